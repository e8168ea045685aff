/// One revision of a fleet source: the commit id and the ref it was read from.
///
/// A plain directory has no commit; its source reports a content digest as `id` and `"directory"` as `ref`.
public struct Revision: Hashable, Sendable, CustomStringConvertible {
    /// The commit id (40 hex digits for Git) or a content digest.
    public var id: String
    /// The full ref the revision was resolved from (`refs/heads/main`, `refs/tags/v1.2.0`), or `commit` when
    /// a commit was pinned.
    public var ref: String

    public init(id: String, ref: String) {
        self.id = id
        self.ref = ref
    }

    /// `main@sha1:<id>`: the short ref name and the commit, the form status reports and commit messages use.
    public var description: String {
        var name = ref
        for prefix in ["refs/heads/", "refs/tags/"] where name.hasPrefix(prefix) {
            name.removeFirst(prefix.count)
        }
        return "\(name)@sha1:\(id)"
    }
}

/// Where a fleet's revisions come from: a Git repository watched by polling (`GitFleetSource`), or a
/// directory (`DirectoryRevisionSource`). The reconciler polls it, then reads the tree of the revision it got.
/// (`FleetSource`, the struct, is what the loader reads; this port produces its trees.)
public protocol RevisionSource: Sendable {
    /// Finds the newest revision of the watched ref, fetching only when it moved. Throws `SourceError`;
    /// after a failure the last good revision stays readable through `tree(at:)`.
    func poll() async throws -> Revision
    /// The files of `revision`, scoped to the configured path with `.capstanignore` applied.
    func tree(at revision: Revision) throws -> any FileTree
}

/// A directory as a revision source: every poll lists the files and names the revision after their content,
/// so the id changes exactly when a file does. A directory keeps no history: `tree(at:)` always reads what
/// is on disk now.
public struct DirectoryRevisionSource: RevisionSource {
    public let path: String
    /// The fleet directory below `path` (`""`: `path` itself); its `.capstanignore` applies.
    public let scope: String

    public init(path: String, scope: String = "") {
        self.path = path
        self.scope = scope
    }

    public func poll() async throws -> Revision {
        let tree = try self.tree()
        var digest: [UInt8] = []
        for entry in try tree.entries() {
            digest += Array(entry.path.utf8) + [0] + Array(entry.contentID.utf8) + [0x0A]
        }
        return Revision(id: ContentHash.id(of: digest), ref: "directory")
    }

    public func tree(at revision: Revision) throws -> any FileTree { try tree() }

    private func tree() throws -> ScopedTree {
        try ScopedTree(base: DirectoryTree(path: path), path: scope, label: path)
    }
}

/// Writes status files back to the fleet repository (or anywhere a report can live).
public protocol StatusWriter: Sendable {
    /// Commits `files` (path → bytes, paths relative to the configured status directory) when their content
    /// differs from what is there; `source`, when given, is named in the commit message.
    func write(files: [String: [UInt8]], message: String, source: Revision?) async throws -> WriteResult
}

extension StatusWriter {
    /// Writes `files` without naming a source revision.
    public func write(files: [String: [UInt8]], message: String) async throws -> WriteResult {
        try await write(files: files, message: message, source: nil)
    }
}

/// What a status write did.
public enum WriteResult: Hashable, Sendable {
    /// A commit was made and published; `attempts` counts pushes (more than one after a concurrent writer).
    case committed(id: String, attempts: Int)
    /// The files already had this content at `id` (nil when the target does not exist and nothing was given).
    case unchanged(id: String?)
}

/// Why a source operation failed: a stable reason for status conditions and metrics.
public enum SourceFailureReason: String, Hashable, Sendable, CaseIterable, Codable {
    /// The server refused the credentials, or none were configured where they are needed.
    case authFailed
    /// The SSH host key differs from the one in known_hosts (or was revoked).
    case hostKeyMismatch
    /// The SSH host is not in known_hosts, or the TLS certificate is not trusted.
    case unknownHost
    /// The repository, the ref or the commit does not exist.
    case notFound
    /// The operation did not finish before its deadline.
    case timeout
    /// The connection failed or broke (refused, reset, cut off mid-transfer, worker crashed).
    case network
    /// The repository data is damaged (bad pack, missing object).
    case corrupt
    /// The server rejected a push (hook, protection, or too many concurrent writers).
    case rejected
    /// The repository uses something Capstan does not read (submodule, Git LFS, a link out of the fleet).
    case unsupported
}

/// A failed source operation: the reason, the remote (credentials stripped), the ref and what happened.
public struct SourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: SourceFailureReason
    /// The remote URL without credentials, or the directory path.
    public var source: String
    /// The ref or path involved, when there is one.
    public var ref: String?
    /// What happened and, where it helps, what to do.
    public var message: String

    public init(_ reason: SourceFailureReason, source: String, ref: String? = nil, message: String) {
        self.reason = reason
        self.source = source
        self.ref = ref
        self.message = message
    }

    /// `<reason>: <source> (<ref>): <message>`.
    public var description: String {
        let where_ = ref.map { "\(source) (\($0))" } ?? source
        return "\(reason.rawValue): \(where_): \(message)"
    }
}
