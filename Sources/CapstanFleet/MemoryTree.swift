/// A `FileTree` held in memory: tests, and fleets assembled by other code (a rendered preview, a PR diff).
public struct MemoryTree: FileTree {
    /// File contents by path (relative, `/`-separated).
    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]] = [:]) {
        self.files = files
    }

    /// A tree from text files.
    public init(texts: [String: String]) {
        files = texts.mapValues { Array($0.utf8) }
    }

    public func entries() throws -> [FileEntry] {
        files.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
            FileEntry(path: $0, contentID: ContentHash.id(of: files[$0]!))
        }
    }

    public func contents(of path: String) throws -> [UInt8] {
        guard let bytes = files[path] else { throw FileTreeError(path: path, message: "no such file") }
        return bytes
    }
}
