import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// Branches, tags, semver ranges, pinned commits and rewritten history.
@Suite(.serialized) struct RefTests {
    @Test func forcePushedHistoryIsFollowed() async throws {
        let served = try await Served(.git)
        let source = try served.source()
        let before = try await served.fixture.commit(files: ["clusters/alpha.yaml": "kind: Cluster\nmetadata:\n  name: alpha\n# v2\n"])
        #expect(try await source.poll().id == before)

        let rewritten = try await served.fixture.rewriteLastCommit(files: ["clusters/alpha.yaml": "kind: Cluster\nmetadata:\n  name: alpha\n# rewritten\n"])
        let after = try await source.pollDetailed()
        #expect(after.fetched)
        #expect(after.revision.id == rewritten)
        #expect(try text(source.tree(at: after.revision), "clusters/alpha.yaml").contains("# rewritten"))
        // The mirror's branch really was rewound (not merged): the old tip is not an ancestor of the new one.
        #expect(try await GitCLI.exitStatus(["merge-base", "--is-ancestor", before, rewritten], in: source.mirrorPath) == 1)
        // Moving back to a commit the mirror already has needs no download.
        try await GitCLI.run(["push", "-q", "--force", "origin", "\(before):refs/heads/main"], in: served.fixture.workPath)
        let back = try await source.pollDetailed()
        #expect(back.revision.id == before)
        #expect(!back.fetched)
    }

    @Test func tagsSemverRangesAndPinnedCommits() async throws {
        let served = try await Served(.git)
        let fixture = served.fixture
        let v1 = try await fixture.head()
        try await GitCLI.run(["tag", "v1.0.0"], in: fixture.workPath)
        let v12 = try await fixture.commit(files: ["clusters/alpha.yaml": "v1.2\n"])
        try await GitCLI.run(["tag", "-a", "-m", "annotated", "v1.2.0"], in: fixture.workPath)
        let v2 = try await fixture.commit(files: ["clusters/alpha.yaml": "v2\n"])
        try await GitCLI.run(["tag", "v2.0.0"], in: fixture.workPath)
        _ = try await fixture.commit(files: ["clusters/alpha.yaml": "rc\n"])
        try await GitCLI.run(["tag", "v2.1.0-rc.1"], in: fixture.workPath)
        try await GitCLI.run(["push", "-q", "origin", "--tags"], in: fixture.workPath)

        let tag = try await served.source(ref: try GitRef(parsing: "tag:v1.0.0")).poll()
        #expect(tag == Revision(id: v1, ref: "refs/tags/v1.0.0"))
        // An annotated tag resolves to its commit.
        let annotated = try await served.source(ref: try GitRef(parsing: "refs/tags/v1.2.0")).poll()
        #expect(annotated.id == v12)
        let below2 = try await served.source(ref: try GitRef(parsing: "semver:>=1.0.0 <2.0.0")).poll()
        #expect(below2 == Revision(id: v12, ref: "refs/tags/v1.2.0"))
        // Pre-releases match only ranges that name one.
        let any = try await served.source(ref: try GitRef(parsing: "semver:*")).poll()
        #expect(any.id == v2)
        let none = await sourceError { _ = try await served.source(ref: try GitRef(parsing: "semver:>=3")).poll() }
        #expect(none?.reason == .notFound, "\(String(describing: none))")

        // A pinned commit needs no server once the mirror has it.
        let pinned = try served.source(ref: try GitRef(parsing: v12))
        #expect(try await pinned.poll() == Revision(id: v12, ref: "commit"))
        served.daemon!.stop()
        #expect(try await pinned.poll() == Revision(id: v12, ref: "commit"))
        #expect(try text(pinned.tree(at: Revision(id: v12, ref: "commit")), "clusters/alpha.yaml") == "v1.2\n")
    }

    @Test func pinnedCommitIsFetchedWhenMissing() async throws {
        let served = try await Served(.http)
        let old = try await served.fixture.head()
        _ = try await served.fixture.commit(files: ["x.yaml": "x\n"])
        let revision = try await served.source(ref: .commit(old)).poll()
        #expect(revision.id == old)
        let missing = await sourceError { _ = try await served.source(ref: .commit(String(repeating: "ab", count: 20))).poll() }
        #expect(missing?.reason == .notFound, "\(String(describing: missing))")
    }

    @Test func defaultBranchFollowsRemoteHEAD() async throws {
        let served = try await Served(.http)
        try await GitCLI.run(["symbolic-ref", "HEAD", "refs/heads/release"], in: served.fixture.barePath)
        let release = try await served.fixture.commit(files: ["release.yaml": "r\n"], branch: "release")
        let revision = try await served.source().poll()
        #expect(revision == Revision(id: release, ref: "refs/heads/release"))
    }
}
