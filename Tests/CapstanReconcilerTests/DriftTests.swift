import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct DriftTests {
    func outOfBandScale(_ h: Harness) async throws -> KubeObject {
        let md = try #require(try await h.list(Kinds.machineDeployment, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "dev-1" })
        var change = KubeObject(apiVersion: md.apiVersion, kind: md.kind, namespace: md.namespace, name: md.name)
        change.body[path: ["spec", "replicas"]] = .int(7)
        return try await h.cluster.apply(change, fieldManager: "kubectl-edit", force: true)
    }

    @Test func reportModeFindsAnOutOfBandChangeAndLeavesIt() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  drift:\n    interval: 5m\n    mode: report\n")
        let h = try await Harness(files: files)
        await h.sync()
        let clean = await h.reconciler.sync(.drift)
        #expect(!clean.outcome.isTransient)
        #expect(await h.statusFiles()["STATUS.md"]?.contains("No drift from") == true)
        let md = try await outOfBandScale(h)
        let report = await h.reconciler.sync(.drift)
        #expect(report.results.allSatisfy { !$0.change.wrote })
        let files2 = await h.statusFiles()
        let drift = try #require(files2["drift/team-a/dev-1.yaml"])
        #expect(drift.contains("MachineDeployment team-a/\(md.name)"), "\(drift)")
        #expect(drift.contains("spec.replicas: 7 (wants 1)"), "\(drift)")
        #expect(files2["STATUS.md"]?.contains("1 object drifted") == true)
        #expect(h.metrics.count("drift.objects") == 1)
        #expect(try await h.get(Kinds.machineDeployment, "team-a", md.name)?.body[path: ["spec", "replicas"]]?.intValue == 7)
    }

    @Test func correctModePutsItBack() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  drift:\n    interval: 5m\n    mode: correct\n")
        let h = try await Harness(files: files)
        await h.sync()
        let md = try await outOfBandScale(h)
        _ = await h.reconciler.sync(.drift)
        #expect(try await h.get(Kinds.machineDeployment, "team-a", md.name)?.body[path: ["spec", "replicas"]]?.intValue == 1)
        #expect(await h.statusFiles()["drift/team-a/dev-1.yaml"]?.contains("corrected: true") == true)
    }
}
