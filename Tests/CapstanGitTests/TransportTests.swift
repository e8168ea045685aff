import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// Over every transport: mirror, poll with and without a change, read a revision, write status back.
@Suite(.serialized) struct TransportTests {
    @Test(arguments: Transport.allCases)
    func mirrorPollReadAndWriteStatus(_ transport: Transport) async throws {
        let served = try await Served(transport)
        let source = try served.source(path: "clusters")

        // First poll: clones into the mirror.
        let first = try await source.pollDetailed()
        #expect(first.fetched)
        #expect(first.revision == Revision(id: try await served.fixture.head(), ref: "refs/heads/main"))
        #expect(FileManager.default.fileExists(atPath: source.mirrorPath + "/HEAD"))
        #expect(source.mirrorPath.hasPrefix(served.state.path + "/git/"))

        // No change: one ref listing, no fetch.
        let again = try await source.pollDetailed()
        #expect(!again.fetched)
        #expect(again.revision == first.revision)

        // A new commit is fetched.
        let newID = try await served.fixture.commit(files: ["clusters/gamma.yaml": "kind: Cluster\nmetadata:\n  name: gamma\n"])
        let second = try await source.pollDetailed()
        #expect(second.fetched)
        #expect(second.revision.id == newID)

        // Read the revision straight from the mirror, scoped to clusters/.
        let tree = try source.tree(at: second.revision)
        #expect(try tree.entries().map(\.path) == ["alpha.yaml", "beta.yaml", "gamma.yaml"])
        #expect(try text(tree, "gamma.yaml").contains("name: gamma"))
        let blobID = try await GitCLI.run(["rev-parse", "\(newID):clusters/gamma.yaml"], in: served.fixture.barePath)
        #expect(try tree.entries().last?.contentID == blobID)
        // The older revision is still readable.
        #expect(try source.tree(at: first.revision).entries().count == 2)

        // Status write-back: a commit on capstan-status, pushed, naming the source revision.
        let writer = try served.writer()
        let report = Array("clusters: 3\n".utf8)
        let written = try await writer.write(files: ["summary.yaml": report], message: "capstan: status", source: second.revision)
        guard case .committed(let commitID, let attempts) = written else {
            Issue.record("expected a commit, got \(written)")
            return
        }
        #expect(attempts == 1)
        #expect(try await served.fixture.head("refs/heads/capstan-status") == commitID)
        #expect(try await served.fixture.show("capstan-status", "status/summary.yaml") == "clusters: 3")
        let message = try await GitCLI.run(["log", "-1", "--format=%an <%ae>%n%B", "capstan-status"], in: served.fixture.barePath)
        #expect(message.contains("Capstan Test <capstan@test>"))
        #expect(message.contains("Capstan-Source-Revision: main@sha1:\(newID)"))

        // Same content again: no commit.
        let unchanged = try await writer.write(files: ["summary.yaml": report], message: "capstan: status", source: second.revision)
        #expect(unchanged == .unchanged(id: commitID))
        // The source branch is untouched.
        #expect(try await served.fixture.head() == newID)
    }

    /// HTTPS through a proxy (a CONNECT tunnel). Plain HTTP is not tested: libgit2 1.5.1 writes proxy-style
    /// requests but connects straight to the server (see docs/git.md).
    @Test func httpsThroughAProxy() async throws {
        let served = try await Served(.https)
        let proxy = try TCPRelay(.proxy)
        var remote = served.remote
        remote.proxy = .url("http://127.0.0.1:\(proxy.port)")
        let revision = try await served.source(remote: remote).poll()
        #expect(revision.id == (try await served.fixture.head()))
        #expect(proxy.requests.contains { $0.hasPrefix("CONNECT localhost:\(served.http!.port) ") }, "\(proxy.requests)")
        proxy.stop()
    }
}
