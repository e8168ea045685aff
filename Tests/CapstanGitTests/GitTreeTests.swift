import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// Reading a revision straight from the object database: scope, `.capstanignore`, links, submodules, LFS.
@Suite(.serialized) struct GitTreeTests {
    private func fixture(_ files: [String: String], stage: Bool = true,
                         prepare: (String) async throws -> Void = { _ in }) async throws -> GitFixture {
        let fixture = try await GitFixture(files: files)
        try await prepare(fixture.workPath)
        if stage { try await GitCLI.run(["add", "-A"], in: fixture.workPath) }
        try await GitCLI.run(["commit", "-q", "--allow-empty", "-m", "special entries"], in: fixture.workPath)
        try await GitCLI.run(["push", "-q", "origin", "HEAD:refs/heads/main"], in: fixture.workPath)
        return fixture
    }

    private func tree(_ fixture: GitFixture, path: String = "") throws -> GitTree {
        try GitTree(repositoryPath: fixture.barePath, commit: "refs/heads/main", path: path)
    }

    @Test func scopedListingWithBlobIDs() async throws {
        let fixture = try await fixture(sampleFleet)
        let tree = try tree(fixture, path: "./clusters/")
        let entries = try tree.entries()
        #expect(entries.map(\.path) == ["alpha.yaml", "beta.yaml"])
        #expect(entries[0].contentID == (try await GitCLI.run(["rev-parse", "main:clusters/alpha.yaml"], in: fixture.barePath)))
        #expect(try text(tree, "beta.yaml") == sampleFleet["clusters/beta.yaml"])
        #expect(tree.commitID == (try await fixture.head()))
        #expect(throws: SourceError.self) { try tree.contents(of: "README.md") }
        let missing = #expect(throws: SourceError.self) { try self.tree(fixture, path: "nowhere") }
        #expect(missing?.reason == .notFound, "\(String(describing: missing))")
        #expect(throws: SourceError.self) { try self.tree(fixture, path: "../up") }
    }

    @Test func capstanignoreIsAppliedInTheScopedRoot() async throws {
        let fixture = try await fixture(sampleFleet.merging([
            "clusters/.capstanignore": "# drafts and docs\ndrafts/\n*.md\n!KEEP.md\n/top-only.yaml\n",
            "clusters/drafts/wip.yaml": "wip\n", "clusters/notes.md": "n\n", "clusters/KEEP.md": "k\n",
            "clusters/top-only.yaml": "t\n", "clusters/sub/top-only.yaml": "s\n", "clusters/sub/drafts/deep.yaml": "d\n",
        ]) { $1 })
        let entries = try tree(fixture, path: "clusters").entries().map(\.path)
        #expect(entries == ["KEEP.md", "alpha.yaml", "beta.yaml", "sub/top-only.yaml"])
        // The root .capstanignore does not apply to a scope below it.
        #expect(try tree(fixture).entries().map(\.path).contains("clusters/drafts/wip.yaml"))
    }

    @Test func symbolicLinksStayInsideTheScope() async throws {
        let fixture = try await fixture(sampleFleet) { work in
            try FileManager.default.createSymbolicLink(atPath: work + "/clusters/link.yaml", withDestinationPath: "alpha.yaml")
            try FileManager.default.createSymbolicLink(atPath: work + "/clusters/chain.yaml", withDestinationPath: "link.yaml")
        }
        let tree = try tree(fixture, path: "clusters")
        let entries = try tree.entries()
        #expect(entries.map(\.path) == ["alpha.yaml", "beta.yaml", "chain.yaml", "link.yaml"])
        #expect(entries[2].contentID == entries[0].contentID)
        #expect(try text(tree, "link.yaml") == sampleFleet["clusters/alpha.yaml"])

        let escaping = try await self.fixture(sampleFleet) { work in
            try FileManager.default.createSymbolicLink(atPath: work + "/clusters/escape.yaml", withDestinationPath: "../README.md")
        }
        let error = #expect(throws: SourceError.self) { try self.tree(escaping, path: "clusters").entries() }
        #expect(error?.reason == .unsupported, "\(String(describing: error))")
        #expect(error?.ref == "escape.yaml")
        // The whole repository is a larger scope: there the same link points inside.
        #expect(try self.tree(escaping).entries().map(\.path).contains("clusters/escape.yaml"))
        // .capstanignore can exclude what cannot be read.
        _ = try await escaping.commit(files: ["clusters/.capstanignore": "escape.yaml\n"])
        #expect(try self.tree(escaping, path: "clusters").entries().map(\.path) == ["alpha.yaml", "beta.yaml"])

        let absolute = try await self.fixture(sampleFleet) { work in
            try FileManager.default.createSymbolicLink(atPath: work + "/clusters/etc.yaml", withDestinationPath: "/etc/passwd")
            try FileManager.default.createSymbolicLink(atPath: work + "/dir-link", withDestinationPath: "clusters")
        }
        #expect(throws: SourceError.self) { try self.tree(absolute, path: "clusters").entries() }
        let dirError = #expect(throws: SourceError.self) { try self.tree(absolute).entries() }
        #expect(dirError?.reason == .unsupported, "\(String(describing: dirError))")
    }

    @Test func submodulesAndLFSAreUnsupported() async throws {
        let fixture = try await fixture(sampleFleet.merging([
            "clusters/big.yaml": "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
        ]) { $1 }, stage: false) { work in
            let commit = try await GitCLI.run(["rev-parse", "HEAD"], in: work)
            try await GitCLI.run(["update-index", "--add", "--cacheinfo", "160000,\(commit),clusters/vendor"], in: work)
        }
        let tree = try tree(fixture, path: "clusters")
        let submodule = #expect(throws: SourceError.self) { try tree.entries() }
        #expect(submodule?.reason == .unsupported, "\(String(describing: submodule))")
        #expect(submodule?.ref == "vendor")
        #expect(submodule?.message.contains("submodule") == true)

        // Stage only the ignore file: `git add -A` would drop the gitlink, which has no directory here.
        try "vendor\n".write(toFile: fixture.workPath + "/clusters/.capstanignore", atomically: true, encoding: .utf8)
        try await GitCLI.run(["add", "clusters/.capstanignore"], in: fixture.workPath)
        try await GitCLI.run(["commit", "-q", "-m", "ignore vendor"], in: fixture.workPath)
        try await GitCLI.run(["push", "-q", "origin", "HEAD:refs/heads/main"], in: fixture.workPath)
        let ignored = try self.tree(fixture, path: "clusters")
        #expect(try ignored.entries().map(\.path) == ["alpha.yaml", "beta.yaml", "big.yaml"])
        let lfs = #expect(throws: SourceError.self) { try ignored.contents(of: "big.yaml") }
        #expect(lfs?.reason == .unsupported, "\(String(describing: lfs))")
        #expect(lfs?.message.contains("Git LFS") == true)
    }
}
