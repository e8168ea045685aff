import CapstanFleet
import Foundation

/// The bare mirror of one remote under a state directory (`<state>/git/<hash of URL>`), and the one owner of
/// it in this process: network work goes to a supervised, persistent worker (`WorkerPool`), one operation at a
/// time; local reads and commit building happen here, in-process, between them.
public actor GitMirror {
    /// The mirror's directory.
    public nonisolated let path: String
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// The mirror for `url` under `stateDirectory`, shared by every user of that URL in this process.
    public static func shared(for url: GitRemoteURL, stateDirectory: String) async -> GitMirror {
        await MirrorRegistry.shared.mirror(path: directory(for: url, stateDirectory: stateDirectory))
    }

    /// Where the mirror of `url` lives.
    public static func directory(for url: GitRemoteURL, stateDirectory: String) -> String {
        URL(fileURLWithPath: stateDirectory).appendingPathComponent("git").appendingPathComponent(url.mirrorKey).path
    }

    init(path: String) { self.path = path }

    /// Lists the remote's refs, resolves `ref` and fetches it when it moved (all in a worker).
    func sync(_ remote: GitRemote, ref: String?, allowMissing: Bool = false,
              progress: (@Sendable (TransferProgress) -> Void)? = nil) async throws -> SyncOutcome {
        var request = makeRequest(.sync, remote)
        request.ref = ref
        request.allowMissing = allowMissing
        request.progress = progress != nil
        switch try await runWorker(request, remote: remote, progress: progress) {
        case .synced(let outcome): return outcome
        case .pushed, .failed: throw SourceError(.corrupt, source: remote.description, message: "unexpected worker answer")
        }
    }

    /// Pushes `localRef` of the mirror to `remoteRef` (a worker; never forced).
    func push(_ remote: GitRemote, localRef: String, remoteRef: String) async throws -> PushOutcome {
        var request = makeRequest(.push, remote)
        request.localRef = localRef
        request.remoteRef = remoteRef
        switch try await runWorker(request, remote: remote, progress: nil) {
        case .pushed(let outcome): return outcome
        case .synced, .failed: throw SourceError(.corrupt, source: remote.description, message: "unexpected worker answer")
        }
    }

    /// Runs a local operation on the mirror's repository, holding the cross-process mirror lock.
    func withRepository<R: Sendable>(label: String, _ body: @Sendable (GitRepository) throws -> R) async throws -> R {
        try await exclusively {
            guard let lock = try await MirrorLock.acquire(mirror: path, until: .now + .seconds(30)) else {
                throw SourceError(.timeout, source: label, message: "the mirror \(path) stayed locked by another process for 30 s")
            }
            defer { withExtendedLifetime(lock) {} }
            let repository: GitRepository
            do { repository = try GitRepository.openOrCreateBare(path: path) } catch let error as LibGit2Error {
                throw SourceError(.corrupt, source: label, message: error.message)
            }
            return try body(repository)
        }
    }

    private func makeRequest(_ operation: WorkerRequest.Operation, _ remote: GitRemote) -> WorkerRequest {
        WorkerRequest(
            operation: operation, url: remote.url.url, transport: remote.url.transport, host: remote.url.host,
            port: remote.url.effectivePort, credentials: remote.credentials,
            knownHostsPath: remote.knownHostsPath ?? (NSHomeDirectory() + "/.ssh/known_hosts"),
            caBundlePath: remote.caBundlePath, proxy: remote.proxy, mirrorPath: path)
    }

    private func runWorker(_ request: WorkerRequest, remote: GitRemote,
                           progress: (@Sendable (TransferProgress) -> Void)?) async throws -> WorkerResult {
        let executable = remote.workerExecutable ?? ProcessInfo.processInfo.environment["CAPSTAN_GIT_WORKER"] ?? "/proc/self/exe"
        let result = await exclusively {
            await (remote.workerPool ?? .shared).run(executable: executable, request: request, seconds: remote.timeout,
                                                     progress: progress)
        }
        if case .failed(let failure) = result {
            throw SourceError(failure.reason, source: remote.description, ref: failure.ref, message: failure.message)
        }
        return result
    }

    /// Runs `body` when no other operation on this mirror is running (the actor alone would interleave at `await`).
    private func exclusively<R: Sendable>(_ body: () async throws -> R) async rethrows -> R {
        while busy {
            await withCheckedContinuation { waiters.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}

/// The process-wide map from mirror directory to its owner.
actor MirrorRegistry {
    static let shared = MirrorRegistry()
    private var mirrors: [String: GitMirror] = [:]

    func mirror(path: String) -> GitMirror {
        if let mirror = mirrors[path] { return mirror }
        let mirror = GitMirror(path: path)
        mirrors[path] = mirror
        return mirror
    }
}
