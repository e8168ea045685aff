import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Suite("Real-time mode")
struct RealTimeTests {
    @Test("the daemon loop brings a cluster up on the real clock and stops when cancelled")
    func runsAndStops() async throws {
        let clock = SystemControllerClock()
        let server = try await ObjectServer(storage: MemoryStorage(), clock: clock)
        var config = ProviderConfiguration()
        config.simulation.clusterProvisioning = .milliseconds(50)
        config.simulation.machineProvisioning = .milliseconds(100)
        config.simulation.nodeReady = .milliseconds(50)
        config.simulation.deprovisioning = .milliseconds(20)
        let manager = EmbeddedProviders.manager(cluster: server, clock: clock, configuration: config)
        for o in Fixtures.cluster("c1", cpReplicas: 1, workers: [("md-0", 1)]) { _ = try await server.apply(o, fieldManager: "capstan", force: true) }

        let task = Task { try await manager.run() }
        let start = ContinuousClock.now
        var available = false
        while ContinuousClock.now - start < .seconds(60) {
            if Conditions.isTrue(try await server.get(K.cluster, namespace: "default", name: "c1") ?? KubeObject(.null), "Available") {
                available = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(available, "cluster not Available in real time: \(manager.recentErrors)")

        // A change made while running is picked up through the watch.
        _ = try await server.apply(Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 2, version: "v1.33.0", infraTemplate: "c1-md"),
                                   fieldManager: "capstan", force: true)
        var scaled = false
        while ContinuousClock.now - start < .seconds(90) {
            if try await server.get(K.md, namespace: "default", name: "c1-md-0")?.body[path: ["status", "availableReplicas"]] == 2 {
                scaled = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(scaled)

        task.cancel()
        let stopped = ContinuousClock.now
        _ = await task.result
        #expect(ContinuousClock.now - stopped < .seconds(10), "graceful stop took too long")
        let rv = try await server.list(K.machine).resourceVersion
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await server.list(K.machine).resourceVersion == rv, "controllers kept writing after stop")
    }
}
