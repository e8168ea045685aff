import CapstanCluster
import CapstanModel
import CapstanReconciler
import Testing

@Suite struct DebugTests {
    @Test func debugLegacy() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        try await h.settle()
        for o in try await h.list(GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta1", kind: "KubeadmControlPlane"), namespace: "team-b") {
            print(JSON.serializePretty(o.body))
        }
        for o in try await h.list(Kinds.machine, namespace: "team-b") where o.labels["cluster.x-k8s.io/cluster-name"] == "legacy-1" {
            print(o.name, JSON.serialize(o.body["status"] ?? .null))
        }
    }
}
