public import CapstanFleet
import Synchronization

/// A fleet in a Git repository: polls one ref of a remote into a local mirror and reads revisions from it.
///
/// A poll costs one ref listing when nothing moved; it fetches only the watched ref when it did, following
/// force-pushes. After a failed poll the last good revision stays readable (`lastGoodRevision`, `tree(at:)`).
public final class GitFleetSource: RevisionSource {
    /// The result of one poll.
    public struct PollResult: Hashable, Sendable {
        public var revision: Revision
        /// Whether objects were downloaded (false when the ref had not moved).
        public var fetched: Bool
    }

    public let remote: GitRemote
    public let ref: GitRef
    /// The fleet directory inside the repository (`""` for the root).
    public let path: String
    public let stateDirectory: String
    private let progress: (@Sendable (TransferProgress) -> Void)?
    private let lastGood = Mutex<Revision?>(nil)

    /// A source for `remote` at `ref`, scoped to `path`, with its mirror under `stateDirectory`. `progress`
    /// receives transfer progress during fetches (for a terminal display).
    public init(remote: GitRemote, ref: GitRef = .defaultBranch, path: String = "", stateDirectory: String,
                progress: (@Sendable (TransferProgress) -> Void)? = nil) throws {
        self.remote = remote
        self.ref = ref
        self.path = try ScopedTree.normalize(path: path, label: remote.description)
        self.stateDirectory = stateDirectory
        self.progress = progress
    }

    /// Where the mirror lives.
    public var mirrorPath: String { GitMirror.directory(for: remote.url, stateDirectory: stateDirectory) }

    /// The revision of the last successful poll.
    public var lastGoodRevision: Revision? { lastGood.withLock { $0 } }

    public func poll() async throws -> Revision { try await pollDetailed().revision }

    /// Polls and also says whether anything was downloaded.
    public func pollDetailed() async throws -> PollResult {
        let mirror = await GitMirror.shared(for: remote.url, stateDirectory: stateDirectory)
        let refText: String? = ref == .defaultBranch ? nil : ref.description
        let outcome = try await mirror.sync(remote, ref: refText, progress: progress)
        guard let commit = outcome.commit else {
            throw SourceError(.notFound, source: remote.description, ref: ref.description, message: "the ref does not exist")
        }
        let revision = Revision(id: commit, ref: outcome.ref)
        lastGood.withLock { $0 = revision }
        return PollResult(revision: revision, fetched: outcome.fetched)
    }

    public func tree(at revision: Revision) throws -> any FileTree {
        try GitTree(repositoryPath: mirrorPath, commit: revision.id, path: path, label: remote.description)
    }
}
