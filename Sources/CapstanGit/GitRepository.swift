import CGit2
import Foundation

/// An open libgit2 repository. Not thread-safe: one owner (an actor, a mutex, or the single-threaded worker)
/// uses it at a time, which is why it is not `Sendable`.
final class GitRepository {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_repository_free(pointer) }

    /// Opens the bare repository at `path`.
    static func open(path: String) throws -> GitRepository {
        LibGit2.initialize()
        var out: OpaquePointer?
        try git(git_repository_open_bare(&out, path), "open repository \(path)")
        return GitRepository(pointer: out!)
    }

    /// Opens the bare repository at `path`, creating it (and its parent directories) when missing.
    static func openOrCreateBare(path: String) throws -> GitRepository {
        LibGit2.initialize()
        if FileManager.default.fileExists(atPath: path + "/HEAD") { return try open(path: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var out: OpaquePointer?
        try git(git_repository_init(&out, path, 1), "create mirror \(path)")
        return GitRepository(pointer: out!)
    }

    /// The object a reference points to (following symbolic references), or nil when it does not exist.
    func referenceTarget(_ name: String) -> git_oid? {
        var oid = git_oid()
        return git_reference_name_to_id(&oid, pointer, name) == 0 ? oid : nil
    }

    /// Creates or moves a reference.
    func setReference(_ name: String, to oid: git_oid, message: String) throws {
        var target = oid
        var ref: OpaquePointer?
        try git(git_reference_create(&ref, pointer, name, &target, 1, message), "update \(name)")
        git_reference_free(ref)
    }

    /// Deletes a reference if it exists.
    func removeReference(_ name: String) {
        _ = git_reference_remove(pointer, name)
    }

    /// Whether the object database holds `oid`.
    func contains(_ oid: git_oid) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0 else { return false }
        defer { git_odb_free(odb) }
        var id = oid
        return git_odb_exists(odb, &id) == 1
    }

    /// Looks up any object; the handle frees it.
    func object(_ oid: git_oid, type: git_object_t = GIT_OBJECT_ANY) throws -> GitObject {
        var id = oid
        var out: OpaquePointer?
        try git(git_object_lookup(&out, pointer, &id, type), "read object \(oid.hex)")
        return GitObject(out!)
    }

    /// The commit `oid` names, peeling annotated tags.
    func peelToCommit(_ oid: git_oid) throws -> GitObject {
        let object = try object(oid)
        var peeled: OpaquePointer?
        try git(git_object_peel(&peeled, object.pointer, GIT_OBJECT_COMMIT), "peel \(oid.hex) to a commit")
        return GitObject(peeled!)
    }

    /// The root tree of a commit.
    func tree(ofCommit commit: GitObject) throws -> GitObject {
        var tree: OpaquePointer?
        try git(git_commit_tree(&tree, commit.pointer), "read the tree of \(commit.id.hex)")
        return GitObject(tree!)
    }
}

/// Owns one libgit2 object (commit, tree, blob, tag) and frees it.
final class GitObject {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_object_free(pointer) }

    /// The object id.
    var id: git_oid { git_object_id(pointer).pointee }

    /// The bytes of a blob.
    var blobBytes: [UInt8] {
        let size = Int(git_blob_rawsize(pointer))
        guard size > 0, let raw = git_blob_rawcontent(pointer) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
}
