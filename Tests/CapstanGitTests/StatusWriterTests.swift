import CapstanFleet
@testable import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// Status commits: concurrent writers, server rejections, writing into the source branch.
@Suite(.serialized) struct StatusWriterTests {
    /// Two daemons (separate mirrors) write to the same status branch at the same time, several rounds:
    /// every commit lands, nothing is lost, and no push is forced.
    @Test(arguments: [Transport.git, .http])
    func concurrentWritersBothLand(_ transport: Transport) async throws {
        let served = try await Served(transport)
        let otherState = try TemporaryDirectory(prefix: "capstan-state")
        let first = try served.writer()
        let second = try served.writer(state: otherState.path)
        var commits: [String] = []
        for round in 0..<3 {
            async let a = first.write(files: ["a.yaml": Array("a: \(round)\n".utf8)], message: "a \(round)")
            async let b = second.write(files: ["b.yaml": Array("b: \(round)\n".utf8)], message: "b \(round)")
            for result in try await [a, b] {
                guard case .committed(let id, let attempts) = result else {
                    Issue.record("expected a commit, got \(result)")
                    continue
                }
                commits.append(id)
                #expect(attempts >= 1)
            }
            #expect(try await served.fixture.show("capstan-status", "status/a.yaml") == "a: \(round)")
            #expect(try await served.fixture.show("capstan-status", "status/b.yaml") == "b: \(round)")
        }
        let tip = try await served.fixture.head("refs/heads/capstan-status")
        for id in commits {
            let ancestor = try await GitCLI.exitStatus(["merge-base", "--is-ancestor", id, tip], in: served.fixture.barePath)
            #expect(ancestor == 0, "commit \(id) was lost")
        }
        #expect(try await GitCLI.run(["rev-list", "--count", tip], in: served.fixture.barePath) == "6")
    }

    /// Losing the race on purpose: another writer pushes between our build and our push. The push is refused
    /// as non-fast-forward, the commit is rebuilt on the new tip and the second push lands.
    @Test func nonFastForwardIsRetriedOnTheNewTip() async throws {
        let served = try await Served(.git)
        let otherState = try TemporaryDirectory(prefix: "capstan-state")
        let other = try served.writer(state: otherState.path)
        _ = try await other.write(files: ["b.yaml": Array("b: 0\n".utf8)], message: "b 0")
        let racer = try GitStatusWriter(
            remote: served.remote, stateDirectory: served.state.path, branch: "capstan-status", directory: "status",
            author: .capstan, maxAttempts: 3, backoff: .milliseconds(10),
            beforePush: { attempt in
                if attempt == 1 { _ = try await other.write(files: ["b.yaml": Array("b: 1\n".utf8)], message: "b 1") }
            })
        let result = try await racer.write(files: ["a.yaml": Array("a\n".utf8)], message: "a")
        guard case .committed(let id, let attempts) = result else {
            Issue.record("expected a commit, got \(result)")
            return
        }
        #expect(attempts == 2)
        #expect(try await served.fixture.head("refs/heads/capstan-status") == id)
        #expect(try await served.fixture.show("capstan-status", "status/a.yaml") == "a")
        #expect(try await served.fixture.show("capstan-status", "status/b.yaml") == "b: 1")
        #expect(try await GitCLI.run(["rev-list", "--count", id], in: served.fixture.barePath) == "3")
    }

    /// A server hook that refuses the update: `rejected`, with the hook's message, and no retry loop.
    @Test(arguments: [Transport.git, .http])
    func hookRejectionIsAnError(_ transport: Transport) async throws {
        let served = try await Served(transport)
        let hook = served.fixture.barePath + "/hooks/update"
        let calls = served.state.path + "/hook-calls"
        let script = "#!/bin/sh\necho call >> '\(calls)'\necho \"status branch is frozen\" >&2\nexit 1\n"
        // Written by a child shell: a file this process opened for writing could be inherited by a process
        // another test spawns at that moment, and executing it would then fail with ETXTBSY.
        let wrote = try await offloaded {
            try CLI.runExecutable(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat > '\(hook)' && chmod 755 '\(hook)'"], stdin: script)
        }
        #expect(wrote.exitCode == 0)
        let error = await sourceError { _ = try await served.writer().write(files: ["x.yaml": Array("x\n".utf8)], message: "x") }
        #expect(error?.reason == .rejected, "\(String(describing: error))")
        #expect(error?.message.contains("hook declined") == true)
        // Refused once, not retried: the branch did not move, so it is the server's decision.
        #expect(try String(contentsOfFile: calls, encoding: .utf8) == "call\n")
        await #expect(throws: (any Error).self) { try await served.fixture.head("refs/heads/capstan-status") }
    }

    /// Status files in a directory of the source branch itself; the next poll sees the commit.
    @Test func writeToAPathOnTheSourceBranch() async throws {
        let served = try await Served(.ssh)
        let source = try served.source()
        let revision = try await source.poll()
        let writer = try served.writer(branch: "main", directory: "status/clusters")
        let result = try await writer.write(files: ["alpha.yaml": Array("ready: true\n".utf8)], message: "status", source: revision)
        guard case .committed(let id, _) = result else {
            Issue.record("expected a commit, got \(result)")
            return
        }
        #expect(try await served.fixture.head() == id)
        #expect(try await served.fixture.show("main", "status/clusters/alpha.yaml") == "ready: true")
        #expect(try await served.fixture.show("main", "clusters/alpha.yaml").contains("alpha"))
        let next = try await source.pollDetailed()
        #expect(next.revision.id == id)
        #expect(!next.fetched)  // the mirror already holds the commit it pushed
    }

    @Test func invalidStatusPathsAndBranchesAreRefused() async throws {
        let served = try await Served(.localPath)
        #expect(throws: SourceError.self) { try served.writer(branch: "bad..name") }
        let error = await sourceError { _ = try await served.writer().write(files: ["../escape.yaml": [1]], message: "x") }
        #expect(error?.reason == .unsupported, "\(String(describing: error))")
    }
}
