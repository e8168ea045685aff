import CapstanFleet
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

/// A tree in memory for scoping tests.
private struct MemoryTree: FileTree {
    var files: [String: String]
    func entries() throws -> [FileEntry] {
        files.keys.sorted().map { FileEntry(path: $0, contentID: "id-" + $0) }
    }
    func contents(of path: String) throws -> [UInt8] {
        guard let text = files[path] else { throw SourceError(.notFound, source: "memory", ref: path, message: "missing") }
        return Array(text.utf8)
    }
}

/// Scoping any tree to a directory with its `.capstanignore`.
@Suite struct ScopedTreeTests {
    @Test func scopesAndIgnores() throws {
        let base = MemoryTree(files: [
            "fleet/.capstanignore": "drafts/\n*.md\n", "fleet/a.yaml": "a", "fleet/drafts/b.yaml": "b",
            "fleet/README.md": "r", "fleet/sub/c.yaml": "c", "other/d.yaml": "d", "fleetish/e.yaml": "e",
        ])
        let tree = try ScopedTree(base: base, path: "./fleet/")
        #expect(try tree.entries() == [FileEntry(path: "a.yaml", contentID: "id-fleet/a.yaml"),
                                       FileEntry(path: "sub/c.yaml", contentID: "id-fleet/sub/c.yaml")])
        #expect(try tree.contents(of: "sub/c.yaml") == Array("c".utf8))
        #expect(throws: SourceError.self) { try tree.contents(of: "drafts/b.yaml") }
        #expect(try ScopedTree(base: base, path: nil).entries().count == 7)
        let missing = #expect(throws: SourceError.self) { try ScopedTree(base: base, path: "nowhere").entries() }
        #expect(missing?.reason == .notFound)
        #expect(throws: SourceError.self) { try ScopedTree(base: base, path: "fleet/../other") }
    }

    @Test func revisionDescription() {
        #expect(Revision(id: "abc", ref: "refs/heads/main").description == "main@sha1:abc")
        #expect(Revision(id: "abc", ref: "refs/tags/v1").description == "v1@sha1:abc")
        #expect(SourceError(.timeout, source: "git://h/x", ref: "main", message: "slow").description == "timeout: git://h/x (main): slow")
    }
}
