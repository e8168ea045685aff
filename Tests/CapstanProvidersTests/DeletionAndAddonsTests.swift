import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Suite("Deletion, ClusterResourceSets and MachinePools")
struct DeletionAndAddonsTests {
    /// A cluster as topology renders it: templates and health checks owned by the Cluster.
    static func ownedCluster(_ h: Harness, _ name: String) async throws {
        try await h.apply(Fixtures.cluster(name, cpReplicas: 3, workers: [("md-0", 2)], labels: ["cni": "calico"]))
        let cluster = try #require(try await h.get(K.cluster, name))
        var owned = [Fixtures.healthCheck("\(name)-mhc", cluster: name, spec: [:])]
        for (gvk, n) in [(K.dockerMachineTemplate, "\(name)-cp"), (K.dockerMachineTemplate, "\(name)-md"), (K.kubeadmConfigTemplate, "\(name)-md")] {
            owned.append(try #require(try await h.get(gvk, n)))
        }
        for var o in owned {
            o.ownerReferences = [OwnerReference(apiVersion: cluster.apiVersion, kind: "Cluster", name: name, uid: cluster.uid ?? "")]
            o.body[path: ["metadata", "resourceVersion"]] = nil
            o.body[path: ["metadata", "managedFields"]] = nil
            _ = try await h.cluster.apply(o, fieldManager: "capstan", force: true)
        }
    }

    @Test("deleting a Cluster removes everything it owns", arguments: Backend.allCases)
    func deleteCascades(backend: Backend) async throws {
        let h = try await Harness.make(backend)
        try await Self.ownedCluster(h, "c1")
        try await Self.ownedCluster(h, "c2")
        try await h.apply([Self.configMap("calico"), Self.resourceSet()])
        try await h.settle()
        #expect(try await h.list(K.crsBinding).count == 2)

        try await h.cluster.delete(K.cluster, namespace: "default", name: "c1")
        let order = Recorder<String>()
        try await h.settle { _ in
            if let c = try await h.get(K.cluster, "c1"), let reason = c.condition("Deleting")?.reason { order.record(reason) }
            return true
        }
        #expect(order.distinct == ["WaitingForWorkersDeletion", "WaitingForControlPlaneDeletion", "WaitingForInfrastructureDeletion"])
        for gvk in Harness.allKinds {
            let left = try await h.list(gvk).filter { $0.labels["cluster.x-k8s.io/cluster-name"] == "c1" || $0.name.hasPrefix("c1") }
            #expect(left.isEmpty, "\(gvk.kind) left behind: \(left.map(\.name))")
        }
        // The other cluster is untouched.
        #expect(try await h.get(K.cluster, "c2")?.condition("Available")?.status == .true)
        #expect(try await h.list(K.machine).count == 5)
        #expect(try await h.list(K.crsBinding).map(\.name) == ["c2"])
    }

    static func configMap(_ name: String) -> KubeObject {
        Fixtures.object("v1", "ConfigMap", name, ["data": ["calico.yaml": "kind: DaemonSet\n"]])
    }

    static func resourceSet(strategy: String = "Reconcile") -> KubeObject {
        Fixtures.object("addons.cluster.x-k8s.io/v1beta2", "ClusterResourceSet", "cni", [
            "spec": ["clusterSelector": ["matchLabels": ["cni": "calico"]], "strategy": .string(strategy),
                     "resources": [["name": "calico", "kind": "ConfigMap"]]],
        ])
    }

    @Test("a ClusterResourceSet records what it applied to each matching cluster")
    func clusterResourceSet() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", workers: [], labels: ["cni": "calico"]) + Fixtures.cluster("c2", workers: []))
        try await h.apply([Self.configMap("calico"), Self.resourceSet()])
        try await h.settle()
        let bindings = try await h.list(K.crsBinding)
        #expect(bindings.map(\.name) == ["c1"], "only the labelled cluster")
        let binding = try #require(bindings.first)
        #expect(binding.str("spec", "clusterName") == "c1")
        let entry = try #require(binding.body[path: ["spec", "bindings"]]?[0])
        #expect(entry["clusterResourceSetName"] == "cni")
        let resource = try #require(entry["resources"]?[0])
        #expect(resource["applied"] == true)
        #expect(resource["kind"] == "ConfigMap" && resource["name"] == "calico")
        let firstHash = try #require(resource["hash"]?.stringValue)
        #expect(firstHash.hasPrefix("sha256:") && firstHash.count == 7 + 64)
        #expect(try await h.get(K.crs, "cni")?.condition("ResourcesApplied")?.status == .true)

        // Reconcile strategy: a changed resource is applied again (new hash) on the next reconcile.
        var cm = Self.configMap("calico")
        cm.body[path: ["data", "calico.yaml"]] = "kind: DaemonSet\nmetadata: {name: calico-node}\n"
        try await h.apply([cm])
        _ = try await h.cluster.patch(K.crs, namespace: "default", name: "cni", patch: .merge(["metadata": ["annotations": ["touch": "1"]]]),
                                      fieldManager: "test", subresource: .main)
        try await h.settle()
        let rehashed = try await h.get(K.crsBinding, "c1")?.body[path: ["spec", "bindings"]]?[0]?["resources"]?[0]?["hash"]?.stringValue
        #expect(rehashed != nil && rehashed != firstHash)

        // A missing resource is reported.
        try await h.apply([Fixtures.object("addons.cluster.x-k8s.io/v1beta2", "ClusterResourceSet", "extra", [
            "spec": ["clusterSelector": ["matchLabels": ["cni": "calico"]], "resources": [["name": "absent", "kind": "Secret"]]],
        ])])
        try await h.settle()
        let extra = try #require(try await h.get(K.crs, "extra"))
        #expect(extra.condition("ResourcesApplied")?.status == .false)
        #expect(extra.condition("ResourcesApplied")?.message.contains("Secret absent") == true)
    }

    @Test("a MachinePool gets one simulated instance and node per replica")
    func machinePool() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", workers: []))
        let pool = Fixtures.object("cluster.x-k8s.io/v1beta2", "MachinePool", "c1-mp-0", [
            "spec": ["clusterName": "c1", "replicas": 2, "template": ["spec": [
                "clusterName": "c1", "version": "v1.33.0",
                "bootstrap": ["configRef": Fixtures.ref("bootstrap.cluster.x-k8s.io", "KubeadmConfig", "c1-mp-0")],
                "infrastructureRef": Fixtures.ref(Fixtures.infraGroup, "DockerMachinePool", "c1-mp-0"),
            ]]],
        ])
        let config = Fixtures.object("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfig", "c1-mp-0", ["spec": ["joinConfiguration": [:]]])
        let infra = Fixtures.object("infrastructure.cluster.x-k8s.io/v1beta2", "DockerMachinePool", "c1-mp-0", ["spec": [:]])
        try await h.apply([pool, config, infra])
        try await h.settle()
        var mp = try #require(try await h.get(K.machinePool, "c1-mp-0"))
        #expect(mp.num("status", "replicas") == 2)
        #expect(mp.num("status", "readyReplicas") == 2)
        #expect(mp.str("status", "phase") == "Running")
        #expect(mp.body[path: ["spec", "providerIDList"]]?.listValue?.count == 2)
        #expect(mp.condition("Available")?.status == .true)
        #expect(try await h.list(K.node).filter { $0.annotations["cluster.x-k8s.io/owner-kind"] == "MachinePool" }.count == 2)

        var scaled = pool
        scaled.body[path: ["spec", "replicas"]] = 3
        scaled.body[path: ["spec", "template", "spec", "version"]] = "v1.34.0"
        try await h.apply([scaled])
        try await h.settle()
        mp = try #require(try await h.get(K.machinePool, "c1-mp-0"))
        #expect(mp.num("status", "readyReplicas") == 3)
        #expect(mp.num("status", "upToDateReplicas") == 3)
        let nodes = try await h.list(K.node).filter { $0.annotations["cluster.x-k8s.io/owner-kind"] == "MachinePool" }
        #expect(nodes.count == 3 && nodes.allSatisfy { $0.str("status", "nodeInfo", "kubeletVersion") == "v1.34.0" })
    }
}
