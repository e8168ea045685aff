import CapstanFleet
import Foundation
import Testing

/// `DirectoryTree` on a real temporary directory: regular files only, sorted, symlinks kept inside the root.
@Suite struct DirectoryTreeTests {
    func makeTree() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-dirtree-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try "a: 1\n".write(to: root.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        try "c: 1\n".write(to: root.appendingPathComponent("sub/c.yml"), atomically: true, encoding: .utf8)
        try "d: 1\n".write(to: root.appendingPathComponent("sub/deeper/d.YAML"), atomically: true, encoding: .utf8)
        try "text".write(to: root.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: root.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
        try "on: push\n".write(to: root.appendingPathComponent(".ci.yaml"), atomically: true, encoding: .utf8)
        let outside = fm.temporaryDirectory.appendingPathComponent("capstan-outside-\(UUID().uuidString).yaml")
        try "secret: 1\n".write(to: outside, atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("out.yaml").path, withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("in.yaml").path, withDestinationPath: "b.yaml")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("sub/loop").path, withDestinationPath: "..")
        return root
    }

    @Test func listsRegularFilesInsideTheRoot() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = DirectoryTree(path: root.path)
        let entries = try tree.entries()
        #expect(entries.map(\.path) == ["b.yaml", "in.yaml", "notes.txt", "sub/c.yml", "sub/deeper/d.YAML"])
        #expect(entries[0].contentID == entries[1].contentID)  // same bytes through the link
        #expect(entries[0].contentID != entries[3].contentID)
        #expect(entries[0].contentID.hasPrefix("h64-"))
        #expect(try tree.contents(of: "sub/c.yml") == Array("c: 1\n".utf8))
        #expect(throws: FileTreeError.self) { try tree.contents(of: "out.yaml") }
        #expect(throws: FileTreeError.self) { try tree.contents(of: "../etc/passwd") }
        let yamlOnly = DirectoryTree(path: root.path, fileExtensions: ["yaml", "yml"])
        #expect(try yamlOnly.entries().map(\.path) == ["b.yaml", "in.yaml", "sub/c.yml", "sub/deeper/d.YAML"])
    }

    @Test func singleFileRoot() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = DirectoryTree(path: root.appendingPathComponent("sub/c.yml").path)
        #expect(try tree.isSingleFile())
        #expect(try tree.entries().map(\.path) == ["c.yml"])
        #expect(try tree.contents(of: "c.yml") == Array("c: 1\n".utf8))
        #expect(throws: FileTreeError.self) { try DirectoryTree(path: root.appendingPathComponent("nope").path).entries() }
    }

    @Test func largeFilesAreNotHashed() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = DirectoryTree(path: root.path, maxHashedBytes: 3)
        #expect(try tree.entries().first?.contentID.hasPrefix("stat-5-") == true)
    }
}
