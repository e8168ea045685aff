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
        #expect(drift.contains("kind: DriftReport"), "CapstanPlan's report document: \(drift)")
        #expect(drift.contains("name: \(md.name)") && drift.contains("state: drifted"), "\(drift)")
        #expect(drift.contains("path: spec.replicas") && drift.contains("desired: 1") && drift.contains("live: 7"), "\(drift)")
        #expect(drift.contains("kubectl-edit"), "names who changed it: \(drift)")
        #expect(files2.keys.filter { $0.hasPrefix("drift/") } == ["drift/team-a/dev-1.yaml"], "only Clusters with drift get a file")
        let status = try #require(files2["STATUS.md"])
        #expect(status.contains("Drift: 1 of 4 Clusters drifted; objects: 1 drifted, 0 missing, 0 not desired"), "\(status)")
        #expect(status.contains("drifted MachineDeployment team-a/\(md.name): spec.replicas: desired 1, live 7"), "\(status)")
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
        let files2 = await h.statusFiles()
        #expect(files2["drift/team-a/dev-1.yaml"]?.contains("corrected: true") == true)
        #expect(files2["STATUS.md"]?.contains("1 corrected") == true, "\(files2["STATUS.md"] ?? "")")
        #expect(h.metrics.count("drift.objects") == 1)
        // The next check finds nothing: the correction held.
        _ = await h.reconciler.sync(.drift)
        #expect(await h.statusFiles()["STATUS.md"]?.contains("No drift from") == true)
    }
}
