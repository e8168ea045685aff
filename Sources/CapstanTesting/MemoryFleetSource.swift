public import CapstanFleet
import Synchronization

/// An in-memory `RevisionSource`: each `commit` makes a new revision (ids `r1`, `r2`, ...) of a file map;
/// `fail` makes the next polls throw. Tests of the reconciler drive it instead of a Git server.
public final class MemoryFleetSource: RevisionSource {
    private struct State {
        var revisions: [String: MemoryTree] = [:]
        var head: Revision?
        var failure: SourceError?
        var polls = 0
        var counter = 0
    }

    private let state = Mutex(State())

    public init(files: [String: String] = [:]) {
        if !files.isEmpty { commit(files) }
    }

    /// Makes a revision of exactly these files; returns its id.
    @discardableResult
    public func commit(_ files: [String: String]) -> String {
        state.withLock { s in
            s.counter += 1
            let id = "r\(s.counter)"
            s.revisions[id] = MemoryTree(texts: files)
            s.head = Revision(id: id, ref: "refs/heads/main")
            return id
        }
    }

    /// Makes a revision from the current files with some added or replaced (`nil` removes a file).
    @discardableResult
    public func change(_ changes: [String: String?]) -> String {
        var files = currentFiles
        for (path, text) in changes { files[path] = text }
        return commit(files)
    }

    /// The files of the newest revision.
    public var currentFiles: [String: String] {
        state.withLock { s in
            guard let id = s.head?.id, let tree = s.revisions[id] else { return [:] }
            return tree.files.mapValues { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Makes polls fail with `error` until `fail(nil)`.
    public func fail(_ error: SourceError?) { state.withLock { $0.failure = error } }

    /// How many times `poll` was called.
    public var polls: Int { state.withLock { $0.polls } }

    public func poll() async throws -> Revision {
        try state.withLock { s in
            s.polls += 1
            if let f = s.failure { throw f }
            guard let head = s.head else { throw SourceError(.notFound, source: "memory", message: "no revision committed") }
            return head
        }
    }

    public func tree(at revision: Revision) throws -> any FileTree {
        try state.withLock { s in
            guard let tree = s.revisions[revision.id] else {
                throw SourceError(.notFound, source: "memory", ref: revision.id, message: "no such revision")
            }
            return tree
        }
    }
}

/// An in-memory `StatusWriter`: keeps the status tree and every commit (message, source revision, files),
/// with the writer's semantics (unchanged content makes no commit; replaced directories drop stale files).
public final class MemoryStatusWriter: StatusWriter {
    /// One commit.
    public struct Commit: Sendable {
        public var message: String
        public var source: Revision?
        public var files: [String: String]
    }

    private let state = Mutex<(files: [String: [UInt8]], commits: [Commit])>(([:], []))

    public init() {}

    /// The status tree now.
    public var files: [String: String] { state.withLock { $0.files.mapValues { String(decoding: $0, as: UTF8.self) } } }

    /// Every commit so far.
    public var commits: [Commit] { state.withLock { $0.commits } }

    public func write(files: [String: [UInt8]], replacing: [String], message: String, source: Revision?) async throws -> WriteResult {
        state.withLock { s in
            var next = s.files
            for dir in replacing {
                let prefix = dir.hasSuffix("/") ? dir : dir + "/"
                for path in next.keys where path.hasPrefix(prefix) { next[path] = nil }
            }
            for (path, bytes) in files { next[path] = bytes }
            if next == s.files { return .unchanged(id: s.commits.isEmpty ? nil : "c\(s.commits.count)") }
            s.files = next
            s.commits.append(Commit(message: message, source: source, files: next.mapValues { String(decoding: $0, as: UTF8.self) }))
            return .committed(id: "c\(s.commits.count)", attempts: 1)
        }
    }
}
