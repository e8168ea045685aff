import CapstanFleet
import CGit2

/// Builds a commit in a bare repository without a working tree: the parent's tree with some files replaced
/// (treebuilders, blob by blob), or nothing when the files already have that content.
enum CommitBuilder {
    /// A directory level of the files to write.
    private indirect enum Node {
        case file([UInt8])
        case directory([String: Node])
    }

    /// Writes `files` (paths already validated, `/`-separated) on top of `parent`'s tree. Returns the new
    /// commit, or nil when the resulting tree equals the parent's.
    static func commit(in repository: GitRepository, parent: git_oid?, files: [String: [UInt8]], message: String,
                       author: GitStatusWriter.Author) throws -> git_oid? {
        var root: [String: Node] = [:]
        for (path, bytes) in files { try insert(&root, components: path.split(separator: "/").map(String.init), bytes: bytes, path: path) }
        let parentCommit = try parent.map { try repository.peelToCommit($0) }
        let baseTree = try parentCommit.map { try repository.tree(ofCommit: $0) }
        let tree = try writeTree(repository, base: baseTree, children: root)
        if let baseTree, baseTree.id.isSame(as: tree) { return nil }
        var signature: UnsafeMutablePointer<git_signature>?
        try git(git_signature_now(&signature, author.name, author.email), "make the commit signature")
        defer { git_signature_free(signature) }
        let treeObject = try repository.object(tree, type: GIT_OBJECT_TREE)
        var commit = git_oid()
        var parents: [OpaquePointer?] = parentCommit.map { [$0.pointer] } ?? []
        try parents.withUnsafeMutableBufferPointer { buffer in
            _ = try git(git_commit_create(&commit, repository.pointer, nil, signature, signature, nil, message,
                                      treeObject.pointer, buffer.count, buffer.baseAddress), "create commit")
        }
        return commit
    }

    private static func insert(_ level: inout [String: Node], components: [String], bytes: [UInt8], path: String) throws {
        let name = components[0]
        if components.count == 1 {
            if case .directory? = level[name] { throw conflict(path) }
            level[name] = .file(bytes)
            return
        }
        var children: [String: Node] = [:]
        switch level[name] {
        case .file?: throw conflict(path)
        case .directory(let existing)?: children = existing
        case nil: break
        }
        try insert(&children, components: Array(components.dropFirst()), bytes: bytes, path: path)
        level[name] = .directory(children)
    }

    private static func conflict(_ path: String) -> SourceError {
        SourceError(.unsupported, source: "status", ref: path, message: "'\(path)' is both a file and a directory in the status files")
    }

    private static func writeTree(_ repository: GitRepository, base: GitObject?, children: [String: Node]) throws -> git_oid {
        var builder: OpaquePointer?
        try git(git_treebuilder_new(&builder, repository.pointer, base?.pointer), "start a tree")
        defer { git_treebuilder_free(builder) }
        for (name, node) in children {
            var id = git_oid()
            var mode = GIT_FILEMODE_BLOB
            switch node {
            case .file(let bytes):
                try git(git_blob_create_from_buffer(&id, repository.pointer, bytes, bytes.count), "write \(name)")
            case .directory(let grandchildren):
                var subtree: GitObject?
                if let base, let entry = git_tree_entry_byname(base.pointer, name), git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                    subtree = try repository.object(git_tree_entry_id(entry).pointee, type: GIT_OBJECT_TREE)
                }
                id = try writeTree(repository, base: subtree, children: grandchildren)
                mode = GIT_FILEMODE_TREE
            }
            try git(git_treebuilder_insert(nil, builder, name, &id, mode), "add \(name) to a tree")
        }
        var tree = git_oid()
        try git(git_treebuilder_write(&tree, builder), "write a tree")
        return tree
    }
}
