public import CapstanFleet
import CGit2
import Synchronization

/// The files of one commit, read straight from a repository's object database (no working tree), scoped to a
/// directory and filtered by the `.capstanignore` in that directory. `contentID` is the blob id.
///
/// Not supported, each with an `unsupported` error naming the path: submodules (gitlinks), Git LFS pointer
/// files (when read), symbolic links that leave the scoped directory, links to directories and dangling links.
/// A link to a file inside the scope is listed at the link's path with the target's content. Ignored paths
/// are skipped before any of these checks, so `.capstanignore` can exclude what Capstan cannot read.
public final class GitTree: FileTree {
    /// The commit this tree belongs to.
    public let commitID: String
    /// The scoped directory (`""` for the whole repository).
    public let root: String
    /// The remote (credentials stripped) or repository path, for errors.
    public let label: String

    private let state: Mutex<State>

    private struct State {
        let repository: GitRepository
        let rootTree: git_oid
        let ignore: IgnoreRules
        var listing: Listing?
    }

    private struct Listing {
        var entries: [FileEntry] = []
        var blobs: [String: git_oid] = [:]
        var directories: Set<String> = []
        var links: [(path: String, blob: git_oid)] = []
    }

    /// Opens the repository at `repositoryPath` and reads `commit` (an id, or a ref name) scoped to `path`.
    public convenience init(repositoryPath: String, commit: String, path: String = "", label: String? = nil) throws {
        let label = label ?? repositoryPath
        let repository: GitRepository
        do {
            repository = try GitRepository.open(path: repositoryPath)
        } catch let error as LibGit2Error {
            throw SourceError(.notFound, source: label, message: error.message)
        }
        var id = git_oid(hex: commit)
        if id == nil { id = repository.referenceTarget(commit) }
        guard let id else {
            throw SourceError(.notFound, source: label, ref: commit, message: "no commit or ref '\(commit)' in \(repositoryPath)")
        }
        try self.init(repository: repository, commit: id, path: path, label: label)
    }

    init(repository: sending GitRepository, commit: git_oid, path: String, label: String) throws {
        let root = try ScopedTree.normalize(path: path, label: label)
        let rootTree: git_oid
        var ignore = IgnoreRules.empty
        do {
            let commitObject = try repository.peelToCommit(commit)
            let tree = try repository.tree(ofCommit: commitObject)
            if root.isEmpty {
                rootTree = tree.id
            } else {
                var entry: OpaquePointer?
                guard git_tree_entry_bypath(&entry, tree.pointer, root) == 0, let entry else {
                    throw SourceError(.notFound, source: label, ref: root, message: "path '\(root)' does not exist at \(commit.hex)")
                }
                defer { git_tree_entry_free(entry) }
                guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
                    throw SourceError(.notFound, source: label, ref: root, message: "path '\(root)' is not a directory at \(commit.hex)")
                }
                rootTree = git_tree_entry_id(entry).pointee
            }
            let scoped = try repository.object(rootTree, type: GIT_OBJECT_TREE)
            if let ignoreEntry = git_tree_entry_byname(scoped.pointer, IgnoreRules.fileName),
               git_tree_entry_type(ignoreEntry) == GIT_OBJECT_BLOB {
                let blob = try repository.object(git_tree_entry_id(ignoreEntry).pointee, type: GIT_OBJECT_BLOB)
                ignore = IgnoreRules(parsing: String(decoding: blob.blobBytes, as: UTF8.self))
            }
        } catch let error as LibGit2Error {
            throw SourceError(.corrupt, source: label, ref: commit.hex, message: error.message)
        }
        self.commitID = commit.hex
        self.root = root
        self.label = label
        self.state = Mutex(State(repository: repository, rootTree: rootTree, ignore: ignore))
    }

    public func entries() throws -> [FileEntry] {
        try state.withLock { state in try listing(&state).entries }
    }

    public func contents(of path: String) throws -> [UInt8] {
        try state.withLock { state in
            guard let blobID = try listing(&state).blobs[path] else {
                throw SourceError(.notFound, source: label, ref: path, message: "'\(path)' is not a file at \(commitID)")
            }
            let bytes: [UInt8]
            do {
                bytes = try state.repository.object(blobID, type: GIT_OBJECT_BLOB).blobBytes
            } catch let error as LibGit2Error {
                throw SourceError(.corrupt, source: label, ref: path, message: error.message)
            }
            if Self.isLFSPointer(bytes) {
                throw SourceError(.unsupported, source: label, ref: path,
                                  message: "'\(path)' is a Git LFS pointer; Git LFS is not supported, commit the file itself")
            }
            return bytes
        }
    }

    /// Builds (once) the list of files.
    private func listing(_ state: inout State) throws -> Listing {
        if let listing = state.listing { return listing }
        var listing = Listing()
        do {
            let tree = try state.repository.object(state.rootTree, type: GIT_OBJECT_TREE)
            try walk(state.repository, tree: tree, prefix: "", ignore: state.ignore, into: &listing)
            try resolveLinks(state.repository, in: &listing)
        } catch let error as LibGit2Error {
            throw SourceError(.corrupt, source: label, ref: commitID, message: error.message)
        }
        listing.entries.sort { $0.path < $1.path }
        state.listing = listing
        return listing
    }

    private func walk(_ repository: GitRepository, tree: GitObject, prefix: String, ignore: IgnoreRules, into listing: inout Listing) throws {
        for index in 0..<git_tree_entrycount(tree.pointer) {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
            let id = git_tree_entry_id(entry).pointee
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                if ignore.isIgnored(path, isDirectory: true) { continue }
                listing.directories.insert(path)
                try walk(repository, tree: repository.object(id, type: GIT_OBJECT_TREE), prefix: path, ignore: ignore, into: &listing)
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                if prefix.isEmpty && name == IgnoreRules.fileName { continue }
                if ignore.isIgnored(path, isDirectory: false) { continue }
                listing.blobs[path] = id
                listing.entries.append(FileEntry(path: path, contentID: id.hex))
            case GIT_FILEMODE_LINK:
                if ignore.isIgnored(path, isDirectory: false) { continue }
                listing.links.append((path, id))
            case GIT_FILEMODE_COMMIT:
                if ignore.isIgnored(path, isDirectory: true) { continue }
                throw SourceError(.unsupported, source: label, ref: path,
                                  message: "'\(path)' is a submodule (gitlink); submodules are not supported, list it in \(IgnoreRules.fileName) or vendor its files")
            default:
                throw SourceError(.unsupported, source: label, ref: path, message: "'\(path)' has an unknown file mode")
            }
        }
    }

    /// Lists each symbolic link at its own path with its target's blob, refusing links that leave the scope.
    private func resolveLinks(_ repository: GitRepository, in listing: inout Listing) throws {
        var targets: [String: String] = [:]
        for link in listing.links {
            let target = String(decoding: try repository.object(link.blob, type: GIT_OBJECT_BLOB).blobBytes, as: UTF8.self)
            guard let resolved = Self.resolve(link: link.path, target: target) else {
                throw SourceError(.unsupported, source: label, ref: link.path,
                                  message: "'\(link.path)' is a symbolic link to '\(target)', outside the fleet path; links are never followed out of it (list it in \(IgnoreRules.fileName))")
            }
            targets[link.path] = resolved
        }
        var resolvedBlobs: [String: git_oid] = [:]
        for link in listing.links {
            var current = targets[link.path]!
            var hops = 0
            while let next = targets[current], hops < 8 {
                current = next
                hops += 1
            }
            if let blob = listing.blobs[current] {
                listing.entries.append(FileEntry(path: link.path, contentID: blob.hex))
                resolvedBlobs[link.path] = blob
                continue
            }
            let what = listing.directories.contains(current) ? "a directory; links to directories are not followed" : "missing or excluded"
            throw SourceError(.unsupported, source: label, ref: link.path,
                              message: "'\(link.path)' is a symbolic link to '\(current)', which is \(what)")
        }
        listing.blobs.merge(resolvedBlobs) { old, _ in old }
    }

    /// The scope-relative path a link at `link` with `target` points to; nil when it leaves the scope.
    static func resolve(link: String, target: String) -> String? {
        if target.hasPrefix("/") { return nil }
        var parts = link.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// Whether a blob is a Git LFS pointer file (a short text starting with the LFS spec line).
    static func isLFSPointer(_ bytes: [UInt8]) -> Bool {
        let marker = Array("version https://git-lfs.github.com/spec/v1".utf8)
        return bytes.count < 1024 && bytes.starts(with: marker)
    }
}
