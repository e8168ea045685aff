import CapstanFleet

/// What the supervising process asks `capstan __git-worker` to do: one JSON line on the worker's stdin
/// (never argv, since it carries credentials). The worker answers with JSON lines on stdout: an acknowledgement,
/// any number of progress messages, then exactly one result; then it waits for the next request line and exits
/// at end-of-file. Everything a request needs travels in it: the worker keeps nothing from one to the next.
struct WorkerRequest: Codable, Sendable {
    enum Operation: String, Codable, Sendable {
        /// List the remote's refs, resolve `ref`, fetch it into the mirror when it moved.
        case sync
        /// Push `localRef` from the mirror to `remoteRef` (never forced).
        case push
    }

    var operation: Operation
    var url: String
    var transport: GitRemoteURL.Transport
    var host: String?
    var port: Int
    var credentials: GitCredentials
    var knownHostsPath: String?
    var caBundlePath: String?
    var proxy: GitRemote.Proxy
    var mirrorPath: String
    /// `sync`: the `--ref` text (nil: the default branch).
    var ref: String?
    /// `sync`: a ref missing on the remote is an answer (`missing`), not a `notFound` error.
    var allowMissing: Bool = false
    /// `push`: the ref in the mirror that holds the commit to publish.
    var localRef: String?
    /// `push`: the ref to update on the remote.
    var remoteRef: String?
    /// Send transfer progress messages.
    var progress: Bool = false
}

/// Objects and bytes received so far in a fetch.
public struct TransferProgress: Codable, Hashable, Sendable {
    /// Objects downloaded so far.
    public var receivedObjects: Int
    /// Objects indexed (checked and written to the mirror) so far.
    public var indexedObjects: Int
    /// Objects the server is sending.
    public var totalObjects: Int
    /// Bytes downloaded so far.
    public var receivedBytes: Int
}

/// One line the worker writes.
struct WorkerMessage: Codable, Sendable {
    /// The worker read the request and starts on it (from here on a crash is this request's failure).
    var accepted: Bool?
    var progress: TransferProgress?
    var result: WorkerResult?
}

/// The single result of a worker run.
enum WorkerResult: Codable, Sendable {
    case synced(SyncOutcome)
    case pushed(PushOutcome)
    case failed(WorkerFailure)
}

/// What a `sync` found and did.
struct SyncOutcome: Codable, Hashable, Sendable {
    /// The full ref followed (`refs/heads/main`), or `commit` for a pinned commit.
    var ref: String
    /// The commit now in the mirror; nil when the ref is missing and that was allowed.
    var commit: String?
    /// Whether objects were downloaded (false for a poll that found nothing new).
    var fetched: Bool
}

/// How a push ended, when the transport itself worked.
enum PushOutcome: Codable, Hashable, Sendable {
    case pushed
    /// The remote ref moved since we last fetched it: fetch, rebuild, retry.
    case nonFastForward(String)
    /// The server refused the update (hook, protection); the message is the server's.
    case rejected(String)
}

/// A failure with its stable reason, already scrubbed of secrets.
struct WorkerFailure: Codable, Hashable, Sendable, Error {
    var reason: SourceFailureReason
    var message: String
    var ref: String?
}
