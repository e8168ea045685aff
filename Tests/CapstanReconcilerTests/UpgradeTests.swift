import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct UpgradeTests {
    static let prod1 = "clusters/team-a/prod-1.yaml"

    func condition(_ o: KubeObject?, _ type: String) -> (status: String?, reason: String?) {
        let c = o?.body[path: ["status", "conditions"]]?.listValue?.first { $0["type"]?.stringValue == type }
        return (c?["status"]?.stringValue, c?["reason"]?.stringValue)
    }

    @Test func aVersionBumpIsSequencedControlPlaneFirstThenWorkersToCompletion() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        try await h.settle()
        let text = try #require(h.source.currentFiles[Self.prod1])
        h.source.change([Self.prod1: text.replacingOccurrences(of: "version: v1.30.6", with: "version: v1.31.2")])
        let report = await h.sync()
        #expect(report.rendered.map(\.name) == ["prod-1"])
        guard case .waiting = report.outcome else {
            Issue.record("expected waiting while the upgrade is sequenced, got \(report.outcome): \(report.diagnostics)")
            return
        }
        let kcp = try await h.list(Kinds.kcp, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(kcp?.body[path: ["spec", "version"]]?.stringValue == "v1.31.2")
        let mds = try await h.list(Kinds.machineDeployment, namespace: "team-a").filter { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(mds.count == 2)
        #expect(mds.allSatisfy { $0.body[path: ["spec", "template", "spec", "version"]]?.stringValue == "v1.30.6" }, "workers wait for the control plane")
        #expect(report.results.contains { if case .held = $0.change { $0.key.kind == "MachineDeployment" } else { false } })
        let cluster = try await h.get(Kinds.cluster, "team-a", "prod-1")
        #expect(condition(cluster, "TopologyReconciled").reason == "ClusterUpgrading")
        var status = await h.statusFiles()["status/team-a/prod-1.yaml"] ?? ""
        #expect(status.contains("inProgress: true"), "\(status)")

        try await h.settle()

        let after = try await h.list(Kinds.machineDeployment, namespace: "team-a").filter { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(after.allSatisfy { $0.body[path: ["spec", "template", "spec", "version"]]?.stringValue == "v1.31.2" })
        let machines = try await h.list(Kinds.machine, namespace: "team-a").filter { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" && !$0.isDeleting }
        #expect(machines.count == 3 + 3 + 2)
        #expect(machines.allSatisfy { $0.body[path: ["spec", "version"]]?.stringValue == "v1.31.2" })
        let done = try await h.get(Kinds.cluster, "team-a", "prod-1")
        #expect(condition(done, "TopologyReconciled").status == "True")
        #expect(condition(done, "Available").status == "True")
        status = await h.statusFiles()["status/team-a/prod-1.yaml"] ?? ""
        #expect(status.contains("inProgress: false"), "\(status)")
        #expect(status.contains("controlPlane: v1.31.2"), "\(status)")
        let final = await h.sync()
        #expect(final.outcome == .synced, "\(final.outcome)")
    }
}
