public import CapstanFleet
import CGit2
import Foundation

/// Commits status files to a branch of the fleet repository and pushes them, without a checkout.
///
/// Each write fetches the branch, lays the files over its tree (treebuilders), and commits only when the tree
/// changed. A push that loses a race (non-fast-forward: someone else pushed) is retried on the new tip after
/// a jittered, growing pause, up to `maxAttempts` pushes. It never force-pushes. A server that refuses the
/// update (a hook, a protected branch) fails the write with `rejected` and the server's message.
public final class GitStatusWriter: StatusWriter {
    /// Who the status commits are by.
    public struct Author: Hashable, Sendable {
        public var name: String
        public var email: String
        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
        /// `Capstan <capstan@localhost>`.
        public static let capstan = Author(name: "Capstan", email: "capstan@localhost")
    }

    public let remote: GitRemote
    public let stateDirectory: String
    /// The branch written to: a dedicated status branch (default `capstan-status`) or the source branch.
    public let branch: String
    /// The directory inside the branch that file paths are relative to (`""`: the root).
    public let directory: String
    public let author: Author
    public let maxAttempts: Int
    /// The first retry pause; each further retry doubles it (with ±50 % jitter, capped at 5 s).
    public let backoff: Duration
    /// Called before each push with the attempt number (tests use it to lose a race on purpose).
    let beforePush: (@Sendable (Int) async throws -> Void)?

    public convenience init(remote: GitRemote, stateDirectory: String, branch: String = "capstan-status", directory: String = "",
                            author: Author = .capstan, maxAttempts: Int = 6, backoff: Duration = .milliseconds(100)) throws {
        try self.init(remote: remote, stateDirectory: stateDirectory, branch: branch, directory: directory, author: author,
                      maxAttempts: maxAttempts, backoff: backoff, beforePush: nil)
    }

    init(remote: GitRemote, stateDirectory: String, branch: String, directory: String, author: Author,
         maxAttempts: Int, backoff: Duration, beforePush: (@Sendable (Int) async throws -> Void)?) throws {
        LibGit2.initialize()
        self.beforePush = beforePush
        var valid: Int32 = 0
        guard git_reference_name_is_valid(&valid, "refs/heads/\(branch)") == 0, valid == 1 else {
            throw SourceError(.unsupported, source: remote.description, ref: branch, message: "'\(branch)' is not a valid branch name")
        }
        self.remote = remote
        self.stateDirectory = stateDirectory
        self.branch = branch
        self.directory = try ScopedTree.normalize(path: directory, label: remote.description)
        self.author = author
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    public func write(files: [String: [UInt8]], message: String, source: Revision?) async throws -> WriteResult {
        var paths: [String: [UInt8]] = [:]
        for (path, bytes) in files {
            let clean = try ScopedTree.normalize(path: path, label: remote.description)
            guard !clean.isEmpty, !clean.split(separator: "/").contains(".git") else {
                throw SourceError(.unsupported, source: remote.description, ref: path, message: "'\(path)' is not a valid status file path")
            }
            paths[directory.isEmpty ? clean : "\(directory)/\(clean)"] = bytes
        }
        let files = paths
        let fullMessage = Self.message(message, source: source)
        let mirror = await GitMirror.shared(for: remote.url, stateDirectory: stateDirectory)
        let branchRef = "refs/heads/\(branch)"
        let pushRef = "refs/capstan/push/\(branch)"
        var lastRefusal = ""
        for attempt in 1...maxAttempts {
            let tip = try await mirror.sync(remote, ref: branchRef, allowMissing: true).commit
            let (author, label) = (self.author, remote.description)
            let commit: String? = try await mirror.withRepository(label: label) { repository in
                do {
                    let parent = tip.flatMap { git_oid(hex: $0) }
                    guard let commit = try CommitBuilder.commit(in: repository, parent: parent, files: files,
                                                                message: fullMessage, author: author) else { return nil }
                    try repository.setReference(pushRef, to: commit, message: "capstan: status")
                    return commit.hex
                } catch let error as LibGit2Error {
                    throw SourceError(.corrupt, source: label, ref: branchRef, message: error.message)
                }
            }
            guard let commit else { return .unchanged(id: tip) }
            try await beforePush?(attempt)
            switch try await mirror.push(remote, localRef: pushRef, remoteRef: branchRef) {
            case .pushed:
                try await mirror.withRepository(label: label) { repository in
                    if let id = git_oid(hex: commit) { try? repository.setReference(branchRef, to: id, message: "capstan: pushed status") }
                }
                return .committed(id: commit, attempts: attempt)
            case .nonFastForward(let why):
                lastRefusal = why
            case .rejected(let why):
                // A refusal while the branch stood still is the server's decision (hook, protection), not a race.
                let now = try await mirror.sync(remote, ref: branchRef, allowMissing: true).commit
                if now == tip || why.localizedCaseInsensitiveContains("hook") {
                    throw SourceError(.rejected, source: remote.description, ref: branchRef, message: "the server rejected the push: \(why)")
                }
                lastRefusal = why
            }
            if attempt < maxAttempts { try await Task.sleep(for: pause(after: attempt)) }
        }
        throw SourceError(.rejected, source: remote.description, ref: branchRef,
                          message: "gave up after \(maxAttempts) pushes: other writers kept moving the branch (\(lastRefusal))")
    }

    /// `message`, plus a trailer naming the source revision.
    static func message(_ message: String, source: Revision?) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = "capstan: status" }
        if let source { text += "\n\nCapstan-Source-Revision: \(source)" }
        return text + "\n"
    }

    private func pause(after attempt: Int) -> Duration {
        let base = Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18
        let grown = min(base * Double(1 << min(attempt - 1, 10)), 5)
        return .milliseconds(Int(grown * Double.random(in: 0.5...1.5) * 1000))
    }
}
