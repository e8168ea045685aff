import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Foundation
import Synchronization
import Testing

@Suite struct DaemonTests {
    /// Waits (polling) until `condition` holds, up to `seconds`.
    func eventually(_ seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test func pollsCommitsStatusAnswersPokesAndStopsGracefully() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  pollInterval: 1h\n  status:\n    interval: 0s\n")
        let h = try await Harness(files: files)
        let writer = MemoryStatusWriter()
        let ready = Mutex(false)
        var options = FleetDaemon.Options()
        options.liveBatchDelay = .milliseconds(10)
        let daemon = FleetDaemon(
            reconciler: h.reconciler, publisher: StatusPublisher { _ in writer }, cluster: h.cluster, options: options,
            onFirstSync: { _ in ready.withLock { $0 = true } })
        let running = Task { await daemon.run() }

        #expect(await eventually { ready.withLock { $0 } })
        #expect(await eventually { writer.files["STATUS.md"]?.contains("main@sha1:r1") == true })
        #expect(writer.files["status/team-a/dev-1.yaml"] != nil)
        #expect(writer.commits.last?.source?.id == "r1")
        let polls = h.source.polls

        let dev1 = try #require(h.source.currentFiles["clusters/team-a/dev-1.yaml"])
        h.source.change(["clusters/team-a/dev-1.yaml": dev1.replacingOccurrences(of: "          replicas: 1", with: "          replicas: 2")])
        daemon.requestPoll(reason: "webhook generic")
        #expect(await eventually { writer.files["STATUS.md"]?.contains("main@sha1:r2") == true })
        #expect(h.source.polls > polls, "the poke polled long before the one-hour interval")
        let md = try await h.list(Kinds.machineDeployment, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "dev-1" }
        #expect(md?.body[path: ["spec", "replicas"]]?.intValue == 2)

        let started = ContinuousClock.now
        daemon.stop()
        await running.value
        #expect(ContinuousClock.now - started < .seconds(5))
        let commits = writer.commits.count
        #expect(commits >= 2)
        #expect(writer.commits.allSatisfy { $0.files["STATUS.md"] != nil }, "every commit carries a whole status")
    }
}
