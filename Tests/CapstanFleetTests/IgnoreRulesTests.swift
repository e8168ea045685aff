import CapstanFleet
import CapstanTesting
import Foundation
import Testing

/// `.capstanignore` follows gitignore(5).
@Suite struct IgnoreRulesTests {
    private func excluded(_ rules: String, _ paths: [String]) -> [String] {
        let parsed = IgnoreRules(parsing: rules)
        return paths.filter { parsed.excludes(file: $0) }
    }

    @Test func basenamesAnchorsAndDirectories() {
        let paths = ["a.md", "docs/b.md", "docs/c.yaml", "build/x.yaml", "src/build/y.yaml", "top.yaml", "src/top.yaml"]
        #expect(excluded("*.md", paths) == ["a.md", "docs/b.md"])
        #expect(excluded("build/", paths) == ["build/x.yaml", "src/build/y.yaml"])
        #expect(excluded("/build", paths) == ["build/x.yaml"])
        #expect(excluded("/top.yaml", paths) == ["top.yaml"])
        #expect(excluded("top.yaml", paths) == ["top.yaml", "src/top.yaml"])
        #expect(excluded("docs/*.yaml", paths) == ["docs/c.yaml"])
        // A trailing slash matches directories only.
        #expect(excluded("top.yaml/", paths) == [])
    }

    @Test func negationCommentsAndEscapes() {
        let paths = ["a.md", "keep.md", "#hash.yaml", "!bang.yaml", "space .yaml", "dir/keep.md"]
        #expect(excluded("# comment\n\n*.md\n!keep.md\n", paths) == ["a.md"])
        #expect(excluded("\\#hash.yaml\n\\!bang.yaml", paths) == ["#hash.yaml", "!bang.yaml"])
        #expect(excluded("space\\ .yaml", paths) == ["space .yaml"])
        // A file below an excluded directory cannot be re-included.
        #expect(excluded("dir/\n!dir/keep.md", paths) == ["dir/keep.md"])
        // Trailing spaces are ignored, CRLF line ends too.
        #expect(excluded("a.md   \r\n", paths) == ["a.md"])
    }

    @Test func wildcardsClassesAndDoubleStars() {
        let paths = ["a/b/c.yaml", "a/c.yaml", "c.yaml", "a/x/y/z.yaml", "v1.yaml", "v2.yaml", "vx.yaml", "a/b"]
        #expect(excluded("**/c.yaml", paths) == ["a/b/c.yaml", "a/c.yaml", "c.yaml"])
        #expect(excluded("a/**/c.yaml", paths) == ["a/b/c.yaml", "a/c.yaml"])
        #expect(excluded("a/**", paths) == ["a/b/c.yaml", "a/c.yaml", "a/x/y/z.yaml", "a/b"])
        #expect(excluded("v[0-9].yaml", paths) == ["v1.yaml", "v2.yaml"])
        #expect(excluded("v[!0-9].yaml", paths) == ["vx.yaml"])
        #expect(excluded("v?.yaml", paths) == ["v1.yaml", "v2.yaml", "vx.yaml"])
        #expect(excluded("a/*", paths) == ["a/b/c.yaml", "a/c.yaml", "a/x/y/z.yaml", "a/b"])
        #expect(excluded("*/c.yaml", paths) == ["a/c.yaml"])
        #expect(excluded("a*c.yaml", paths) == [])  // `*` never crosses a slash
        #expect(IgnoreRules(parsing: "\n# only comments\n").isEmpty)
    }
}

/// Scoping any tree to a directory with its `.capstanignore`.
@Suite struct ScopedTreeTests {
    @Test func scopesAndIgnores() throws {
        let base = MemoryTree(texts: [
            "fleet/.capstanignore": "drafts/\n*.md\n", "fleet/a.yaml": "a", "fleet/drafts/b.yaml": "b",
            "fleet/README.md": "r", "fleet/sub/c.yaml": "c", "other/d.yaml": "d", "fleetish/e.yaml": "e",
        ])
        let tree = try ScopedTree(base: base, path: "./fleet/")
        let baseIDs = Dictionary(uniqueKeysWithValues: try base.entries().map { ($0.path, $0.contentID) })
        #expect(try tree.entries() == [FileEntry(path: "a.yaml", contentID: baseIDs["fleet/a.yaml"]!),
                                       FileEntry(path: "sub/c.yaml", contentID: baseIDs["fleet/sub/c.yaml"]!)])
        #expect(try tree.contents(of: "sub/c.yaml") == Array("c".utf8))
        #expect(throws: SourceError.self) { try tree.contents(of: "drafts/b.yaml") }
        #expect(try ScopedTree(base: base, path: nil).entries().count == 7)
        let missing = #expect(throws: SourceError.self) { try ScopedTree(base: base, path: "nowhere").entries() }
        #expect(missing?.reason == .notFound)
        #expect(throws: SourceError.self) { try ScopedTree(base: base, path: "fleet/../other") }
    }

    @Test func directoryRevisionSource() async throws {
        let dir = try TemporaryDirectory(prefix: "capstan-dir")
        try FileManager.default.createDirectory(atPath: dir.path + "/fleet", withIntermediateDirectories: true)
        try "a: 1\n".write(toFile: dir.path + "/fleet/a.yaml", atomically: true, encoding: .utf8)
        try "*.md\n".write(toFile: dir.path + "/fleet/.capstanignore", atomically: true, encoding: .utf8)
        let source = DirectoryRevisionSource(path: dir.path, scope: "fleet")
        let first = try await source.poll()
        #expect(try await source.poll() == first)
        try "notes\n".write(toFile: dir.path + "/fleet/notes.md", atomically: true, encoding: .utf8)
        #expect(try await source.poll() == first)  // ignored files do not make a new revision
        try "a: 2\n".write(toFile: dir.path + "/fleet/a.yaml", atomically: true, encoding: .utf8)
        let second = try await source.poll()
        #expect(second != first)
        #expect(second.ref == "directory")
        #expect(try source.tree(at: second).entries().map(\.path) == ["a.yaml"])
    }

    @Test func revisionDescription() {
        #expect(Revision(id: "abc", ref: "refs/heads/main").description == "main@sha1:abc")
        #expect(Revision(id: "abc", ref: "refs/tags/v1").description == "v1@sha1:abc")
        #expect(SourceError(.timeout, source: "git://h/x", ref: "main", message: "slow").description == "timeout: git://h/x (main): slow")
    }
}
