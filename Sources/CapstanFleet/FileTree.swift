/// One regular file in a fleet source tree.
public struct FileEntry: Hashable, Sendable {
    /// Path relative to the tree root, `/`-separated, no leading `./`.
    public var path: String
    /// Identifies the content: the Git blob id for Git trees, a content hash for directories.
    /// Equal ids mean equal bytes, which makes incremental reconciles cheap.
    public var contentID: String

    public init(path: String, contentID: String) {
        self.path = path
        self.contentID = contentID
    }
}

/// A read-only tree of files: a directory on disk, a Git revision read from the object database, or an
/// in-memory tree in tests. The fleet loader reads every fleet through this port.
public protocol FileTree: Sendable {
    /// Every regular file, sorted by path.
    func entries() throws -> [FileEntry]
    /// The bytes of one file listed by `entries()`.
    func contents(of path: String) throws -> [UInt8]
}
