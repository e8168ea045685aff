#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file or a directory on disk as a `FileTree`: every regular file below it, recursively, sorted by
/// path. Symbolic links are followed only while they stay inside the root (a link out of the tree, or to
/// something that is not a file or directory, is left out). Hidden entries (names starting with `.`, such
/// as `.git`, `.github/workflows`, `.pre-commit-config.yaml`) are skipped: they are tooling, not fleet.
///
/// `contentID` is a 64-bit hash of the bytes (`h64-…`); a file larger than `maxHashedBytes` gets an id
/// from its size, modification time and inode instead (`stat-…`), so listing never reads huge files.
public struct DirectoryTree: FileTree {
    /// The path as given: a directory, or a single file (then the only entry is its last component).
    public let path: String
    /// Lower-case extensions (without the dot) to list, e.g. `["yaml", "yml"]`; nil lists every file.
    /// A root that is itself a file is always listed.
    public var fileExtensions: Set<String>?
    /// Files above this size are identified by metadata rather than hashed.
    public var maxHashedBytes: Int

    public init(path: String, fileExtensions: Set<String>? = nil, maxHashedBytes: Int = 64 << 20) {
        self.path = path
        self.fileExtensions = fileExtensions
        self.maxHashedBytes = maxHashedBytes
    }

    /// Whether the root is a single file rather than a directory (follows a symlink given as the root).
    public func isSingleFile() throws -> Bool {
        try Self.status(path, follow: true).isRegular
    }

    public func entries() throws -> [FileEntry] {
        let root = try Self.status(path, follow: true)
        if root.isRegular { return [FileEntry(path: Self.lastComponent(of: path), contentID: try contentID(path, root))] }
        guard root.isDirectory else { throw FileTreeError(path: path, message: "not a regular file or directory") }
        let rootReal = try Self.realPath(path)
        var visited: Set<String> = [rootReal]
        var result: [FileEntry] = []
        var pending: [String] = [""]  // directories relative to the root
        while let relative = pending.popLast() {
            for name in try Self.names(in: join(path, relative)) where !name.hasPrefix(".") {
                let rel = relative.isEmpty ? name : relative + "/" + name
                let full = join(path, rel)
                var st = try Self.status(full, follow: false)
                if st.isSymlink {
                    guard let real = try? Self.realPath(full), real.hasPrefix(rootReal + "/"),
                        let target = try? Self.status(full, follow: true)
                    else { continue }
                    if target.isDirectory {
                        if visited.insert(real).inserted { pending.append(rel) }
                        continue
                    }
                    st = target
                }
                if st.isDirectory {
                    // Directories reached directly are recorded too, so a link back to one is not walked twice.
                    if let real = try? Self.realPath(full) { visited.insert(real) }
                    pending.append(rel)
                } else if st.isRegular, wanted(name) {
                    result.append(FileEntry(path: rel, contentID: try contentID(full, st)))
                }
            }
        }
        return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    public func contents(of entryPath: String) throws -> [UInt8] {
        let root = try Self.status(path, follow: true)
        if root.isRegular {
            guard entryPath == Self.lastComponent(of: path) else { throw FileTreeError(path: entryPath, message: "not in this tree") }
            return try Self.readFile(path)
        }
        let parts = entryPath.split(separator: "/", omittingEmptySubsequences: false)
        guard !entryPath.isEmpty, !entryPath.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw FileTreeError(path: entryPath, message: "not a path inside the tree")
        }
        let full = join(path, entryPath)
        let rootReal = try Self.realPath(path)
        guard try Self.realPath(full).hasPrefix(rootReal + "/") else {
            throw FileTreeError(path: entryPath, message: "resolves outside the tree")
        }
        return try Self.readFile(full)
    }

    // MARK: - Helpers

    private func wanted(_ name: String) -> Bool {
        guard let fileExtensions else { return true }
        guard let dot = name.lastIndex(of: ".") else { return false }
        return fileExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    private func join(_ base: String, _ rel: String) -> String {
        if rel.isEmpty { return base }
        return base.hasSuffix("/") ? base + rel : base + "/" + rel
    }

    private func contentID(_ full: String, _ st: Status) throws -> String {
        if st.size > maxHashedBytes { return "stat-\(st.size)-\(st.modified)-\(st.inode)" }
        return ContentHash.id(of: try Self.readFile(full))
    }

    static func lastComponent(of path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    struct Status {
        var mode: mode_t
        var size: Int
        var modified: Int
        var inode: UInt64
        var isRegular: Bool { mode & S_IFMT == S_IFREG }
        var isDirectory: Bool { mode & S_IFMT == S_IFDIR }
        var isSymlink: Bool { mode & S_IFMT == S_IFLNK }
    }

    static func status(_ path: String, follow: Bool) throws -> Status {
        var st = stat()
        let rc = follow ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { throw FileTreeError(path: path, errno: errno) }
        #if canImport(Darwin)
            let modified = Int(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int(st.st_mtimespec.tv_nsec)
        #else
            let modified = Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
        #endif
        return Status(mode: st.st_mode, size: Int(st.st_size), modified: modified, inode: UInt64(st.st_ino))
    }

    static func realPath(_ path: String) throws -> String {
        guard let p = realpath(path, nil) else { throw FileTreeError(path: path, errno: errno) }
        defer { free(p) }
        return String(cString: p)
    }

    static func names(in directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw FileTreeError(path: directory, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Reads a whole regular file.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileTreeError(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileTreeError(path: path, errno: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw FileTreeError(path: path, message: "not a regular file") }
        var result: [UInt8] = []
        var chunkSize = max(Int(st.st_size), 0) + 1  // one byte more than expected, to see the end in one pass
        while true {
            var failure: Int32 = 0
            let size = chunkSize
            let chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                var filled = 0
                while filled < size {
                    let r = read(fd, buffer.baseAddress! + filled, size - filled)
                    if r < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        break
                    }
                    if r == 0 { break }
                    filled += r
                }
                count = filled
            }
            if failure != 0 { throw FileTreeError(path: path, errno: failure) }
            if result.isEmpty { result = chunk } else { result.append(contentsOf: chunk) }
            if chunk.count < size { return result }
            chunkSize = 1 << 16  // the file grew while we read it: keep going
        }
    }
}

/// A problem reading a file tree: the path and what went wrong.
public struct FileTreeError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(path: String, errno code: Int32) {
        self.path = path
        message = String(cString: strerror(code)).lowercased()
    }

    public var description: String { "\(path): \(message)" }
}

/// A fast 64-bit hash of file contents for `contentID`s: not cryptographic, but any edit changes it with
/// overwhelming probability, which is all incremental reconciles need.
enum ContentHash {
    static func id(of bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                let w = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                h = (h ^ w) &* 0x0000_0100_0000_01B3
                h ^= h >> 29
            }
            for i in (words * 8)..<raw.count {
                h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3
            }
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        let hex = String(h, radix: 16)
        return "h64-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
