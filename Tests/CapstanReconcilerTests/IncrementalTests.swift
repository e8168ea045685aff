import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct IncrementalTests {
    static let dev1 = "clusters/team-a/dev-1.yaml"

    @Test func changingOneClusterFileRendersAndAppliesThatClusterOnly() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        try await h.settle()
        let text = try #require(h.source.currentFiles[Self.dev1])
        h.source.change([Self.dev1: text.replacingOccurrences(of: "          replicas: 1", with: "          replicas: 3")])
        let report = await h.sync()
        #expect(report.rendered == [ClusterID(namespace: "team-a", name: "dev-1")])
        #expect(report.filesParsed == 1)
        let written = report.results.filter(\.change.wrote)
        #expect(!written.isEmpty)
        #expect(written.allSatisfy { $0.cluster?.name == "dev-1" }, "\(written)")
        let md = try await h.list(Kinds.machineDeployment, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "dev-1" }
        #expect(md?.body[path: ["spec", "replicas"]]?.intValue == 3)
        try await h.settle()
        let machines = try await h.list(Kinds.machine, namespace: "team-a").filter {
            $0.labels["cluster.x-k8s.io/cluster-name"] == "dev-1" && $0.labels["cluster.x-k8s.io/control-plane"] == nil && !$0.isDeleting
        }
        #expect(machines.count == 3)
    }

    @Test func aRevisionThatChangesNothingRelevantCostsNothing() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        let writes = await h.sync().writes
        h.source.change(["README.md": "# a note nobody renders\n"])
        let report = await h.sync()
        #expect(report.filesParsed == 0)
        #expect(report.rendered.isEmpty)
        #expect(report.writes == writes)
        #expect(report.results.allSatisfy { !$0.change.wrote })
        let again = await h.sync()
        #expect(again.upToDate)
    }

    @Test func aClassChangeReRendersEveryClusterOfTheClass() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        let path = "clusterclasses/docker-quick-start/clusterclass.yaml"
        let text = try #require(h.source.currentFiles[path])
        h.source.change([path: text + "\n"])
        let report = await h.sync()
        #expect(Set(report.rendered.map(\.name)) == ["dev-1", "prod-1", "ci-1"])
    }

    @Test func restartResumesFromTheInventoryWithoutWriting() async throws {
        let first = try await Harness(files: try Fixture.fleetExample())
        await first.sync()
        let restarted = try await Harness(files: first.source.currentFiles, cluster: first.cluster, clock: first.clock)
        let report = await restarted.sync()
        #expect(report.rendered.isEmpty, "\(report.rendered)")
        #expect(report.results.allSatisfy { !$0.change.wrote }, "\(report.results.filter(\.change.wrote))")
        #expect(report.outcome == .synced)
        let files = await restarted.statusFiles()
        #expect(files["status/team-a/dev-1.yaml"]?.contains("appliedRevision: main@sha1:r1") == true)
    }

    @Test func aStatusCommitOnTheSourceBranchIsNotAFleetChange() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  status:\n    path: status\n")
        let h = try await Harness(files: files)
        let first = await h.sync()
        let before = try #require(await h.reconciler.currentSummary)
        #expect(before.revision == "main@sha1:r1")
        // What the status writer commits to the source branch: status files (YAML) and STATUS.md.
        let status = await h.statusFiles()
        h.source.change(Dictionary(uniqueKeysWithValues: status.map { ($0.key.hasPrefix("STATUS") ? "status/STATUS.md" : "status/" + $0.key, $0.value) }))
        let report = await h.sync()
        #expect(report.upToDate && report.rendered.isEmpty)
        #expect(report.writes == first.writes, "nothing written")
        #expect(await h.reconciler.currentSummary?.revision == "main@sha1:r1", "the fleet stays at the revision it was at")
        #expect(await h.statusFiles() == status, "so the status does not change and no further commit follows")
        // A real change after it moves the revision as usual.
        let text = try #require(h.source.currentFiles[Self.dev1])
        h.source.change([Self.dev1: text.replacingOccurrences(of: "          replicas: 1", with: "          replicas: 2")])
        let moved = await h.sync()
        #expect(moved.rendered == [ClusterID(namespace: "team-a", name: "dev-1")])
        #expect(await h.reconciler.currentSummary?.revision == "main@sha1:r3")
    }
}
