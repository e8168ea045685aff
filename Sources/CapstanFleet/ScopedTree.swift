/// A `FileTree` seen from one of its directories, with the `.capstanignore` of that directory applied.
///
/// Paths inside are relative to the scoped directory. The ignore file itself is not listed (it configures the
/// source, it is not fleet content). Git revisions do the same work while walking the object database
/// (`GitTree`); this wrapper serves any other tree, such as a directory on disk.
public struct ScopedTree: FileTree {
    /// The tree being scoped.
    public let base: any FileTree
    /// The scoped directory inside `base` (`""` for the whole tree).
    public let root: String
    /// The rules read from `<root>/.capstanignore` (or given).
    public let ignore: IgnoreRules
    /// Names the source in errors (a directory path or a remote URL).
    public let label: String

    /// Scopes `base` to `path` and reads `<path>/.capstanignore` when the file exists (a file that cannot be
    /// read counts as absent).
    public init(base: any FileTree, path: String?, label: String = "fleet") throws {
        let root = try Self.normalize(path: path ?? "", label: label)
        let ignoreFile = root.isEmpty ? IgnoreRules.fileName : "\(root)/\(IgnoreRules.fileName)"
        var ignore = IgnoreRules.empty
        // Read it directly rather than listing the tree first (listing a directory hashes every file).
        if let bytes = try? base.contents(of: ignoreFile) {
            ignore = IgnoreRules(parsing: String(decoding: bytes, as: UTF8.self))
        }
        self.init(base: base, root: root, ignore: ignore, label: label)
    }

    /// Scopes `base` to an already normalized `root` with the given rules.
    public init(base: any FileTree, root: String, ignore: IgnoreRules, label: String = "fleet") {
        self.base = base
        self.root = root
        self.ignore = ignore
        self.label = label
    }

    public func entries() throws -> [FileEntry] {
        let prefix = root.isEmpty ? "" : root + "/"
        var found = false
        var out: [FileEntry] = []
        for entry in try base.entries() where entry.path.hasPrefix(prefix) {
            found = true
            let relative = String(entry.path.dropFirst(prefix.count))
            if relative == IgnoreRules.fileName || ignore.excludes(file: relative) { continue }
            out.append(FileEntry(path: relative, contentID: entry.contentID))
        }
        if !found && !root.isEmpty {
            throw SourceError(.notFound, source: label, ref: root, message: "path '\(root)' does not exist")
        }
        return out
    }

    public func contents(of path: String) throws -> [UInt8] {
        if path == IgnoreRules.fileName || ignore.excludes(file: path) {
            throw SourceError(.notFound, source: label, ref: path, message: "'\(path)' is excluded by \(IgnoreRules.fileName)")
        }
        return try base.contents(of: root.isEmpty ? path : "\(root)/\(path)")
    }

    /// `path` without `./`, empty components or leading/trailing slashes; `..` is refused.
    public static func normalize(path: String, label: String = "fleet") throws -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." {
                throw SourceError(.unsupported, source: label, ref: path, message: "path '\(path)' must stay inside the repository (no '..')")
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
