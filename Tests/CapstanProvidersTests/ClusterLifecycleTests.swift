import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Suite("Cluster lifecycle")
struct ClusterLifecycleTests {
    @Test("a cluster with a control plane and workers comes up Available", arguments: Backend.allCases)
    func clusterComesUp(backend: Backend) async throws {
        let h = try await Harness.make(backend)
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 3, workers: [("md-0", 2)]))
        let report = try await h.settle()
        #expect(report.simulatedTime > Duration.seconds(60))

        let cluster = try #require(try await h.get(K.cluster, "c1"))
        #expect(cluster.str("status", "phase") == "Provisioned")
        #expect(cluster.condition("Available")?.status == .true, "\(Conditions.all(cluster))")
        #expect(cluster.condition("RemoteConnectionProbe")?.reason == "ProbeSucceeded")
        #expect(cluster.str("spec", "controlPlaneEndpoint", "host") == "c1.default.sim.capstan.internal")
        #expect(cluster.num("status", "controlPlane", "readyReplicas") == 3)
        #expect(cluster.num("status", "workers", "availableReplicas") == 2)
        #expect(cluster.finalizers == ["cluster.cluster.x-k8s.io"])

        let machines = try await h.list(K.machine)
        #expect(machines.count == 5)
        for m in machines {
            #expect(m.str("status", "phase") == "Running")
            #expect(m.condition("Ready")?.status == .true, "\(m.name): \(Conditions.all(m))")
            #expect(m.condition("UpToDate")?.status == .true)
            #expect(m.str("spec", "providerID")?.hasPrefix("sim://default/c1/") == true)
            #expect(m.str("status", "nodeInfo", "kubeletVersion") == "v1.33.0")
        }
        let kcp = try #require(try await h.get(K.kcp, "c1-cp"))
        #expect(kcp.num("status", "replicas") == 3)
        #expect(kcp.num("status", "readyReplicas") == 3)
        #expect(kcp.num("status", "upToDateReplicas") == 3)
        #expect(kcp.str("status", "version") == "v1.33.0")
        #expect(kcp.body[path: ["status", "initialization", "controlPlaneInitialized"]] == true)
        #expect(kcp.condition("Available")?.status == .true)

        let secrets = Set(try await h.list(K.secret).map(\.name))
        for s in ["c1-ca", "c1-kubeconfig", "c1-etcd", "c1-sa", "c1-proxy"] { #expect(secrets.contains(s), "missing \(s)") }
        #expect(try await h.list(K.node).count == 5)
        #expect(h.manager.statistics.errors == 0, "\(h.manager.recentErrors)")
    }
}
