import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

/// Counts what a rollout looks like at one step.
struct RolloutSample: Sendable {
    var available = 0
    var live = 0
    var versions: Set<String> = []
}

@Suite("MachineDeployment rollouts")
struct MachineDeploymentTests {
    static func sample(_ h: Harness, deployment: String) async throws -> RolloutSample {
        var s = RolloutSample()
        for m in try await h.list(K.machine) where m.labels["cluster.x-k8s.io/deployment-name"] == deployment && !m.isDeleting {
            s.live += 1
            if m.condition("Available")?.status == .true { s.available += 1 }
            s.versions.insert(m.str("spec", "version") ?? "")
        }
        return s
    }

    @Test("maxSurge 1, maxUnavailable 0: never fewer available machines than desired", arguments: Backend.allCases)
    func rollingUpdateKeepsAvailability(backend: Backend) async throws {
        let h = try await Harness.make(backend)
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.0", cpReplicas: 1, workers: [("md-0", 3)]))
        try await h.settle()
        let before = try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
        #expect(before.count == 3)
        #expect(try await Self.sample(h, deployment: "c1-md-0").available == 3)

        // New version and a new infrastructure template: machines are replaced (machine immutability).
        let cp = Fixtures.controlPlane("c1-cp", cluster: "c1", replicas: 1, version: "v1.34.0", template: "c1-cp")
        try await h.apply([cp])
        try await h.settle()
        try await h.apply([Fixtures.machineTemplate("c1-md-v2", cluster: "c1"),
                           Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 3, version: "v1.34.0", infraTemplate: "c1-md-v2")])
        let steps = Counter()
        try await h.settle { _ in
            let s = try await Self.sample(h, deployment: "c1-md-0")
            #expect(s.available >= 3, "available machines dropped to \(s.available)")
            #expect(s.live <= 4, "more than replicas + maxSurge machines: \(s.live)")
            steps.add()
            return true
        }
        #expect(steps.value > 20)

        let after = try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
        #expect(after.count == 3)
        #expect(Set(after.map(\.name)).isDisjoint(with: before.map(\.name)))
        for m in after {
            #expect(m.str("spec", "version") == "v1.34.0")
            #expect(m.condition("Available")?.status == .true)
            #expect(m.condition("UpToDate")?.status == .true)
        }
        let dockerMachines = try await h.list(K.dockerMachine).filter { $0.labels["cluster.x-k8s.io/cluster-name"] == "c1" && !$0.name.hasPrefix("c1-cp") }
        #expect(dockerMachines.count == 3)
        #expect(dockerMachines.allSatisfy { $0.annotations["cluster.x-k8s.io/cloned-from-name"] == "c1-md-v2" })
        let sets = try await h.list(K.ms)
        #expect(sets.count == 1, "old MachineSet not cleaned up: \(sets.map(\.name))")
        #expect(sets.first?.annotations["machinedeployment.clusters.x-k8s.io/revision"] == "2")
        let md = try #require(try await h.get(K.md, "c1-md-0"))
        #expect(md.annotations["machinedeployment.clusters.x-k8s.io/revision"] == "2")
        #expect(md.num("status", "upToDateReplicas") == 3)
        #expect(md.condition("RollingOut")?.status == .false)
        #expect(md.condition("Available")?.status == .true)
        #expect(h.manager.statistics.errors == 0, "\(h.manager.recentErrors)")
    }

    @Test("percentages: 25% surge and 25% unavailable on 4 replicas keep at least 3 available")
    func percentRollout() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.0", workers: [("md-0", 4)], maxSurge: "25%", maxUnavailable: "25%"))
        try await h.settle()
        var md = Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 4, version: "v1.33.0", infraTemplate: "c1-md-v2",
                                            maxSurge: "25%", maxUnavailable: "25%")
        try await h.apply([Fixtures.machineTemplate("c1-md-v2", cluster: "c1"), md])
        let lowest = Counter(initial: 100), highest = Counter()
        try await h.settle { _ in
            let s = try await Self.sample(h, deployment: "c1-md-0")
            lowest.min(s.available)
            highest.max(s.live)
            return true
        }
        #expect(lowest.value == 3, "25% of 4 unavailable allows exactly one machine down")
        #expect(highest.value == 5, "25% of 4 surge allows exactly one extra machine")
        md = try #require(try await h.get(K.md, "c1-md-0"))
        #expect(md.num("status", "upToDateReplicas") == 4)
    }

    @Test("a metadata-only change propagates to the existing machines in place")
    func metadataPropagatesInPlace() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", workers: [("md-0", 2)]))
        try await h.settle()
        let before = Set(try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }.map(\.name))

        var md = Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 2, version: "v1.33.0", infraTemplate: "c1-md")
        md.body[path: ["spec", "template", "metadata", "labels", "tier"]] = "gold"
        md.body[path: ["spec", "template", "metadata", "annotations"]] = ["team": "platform"]
        md.body[path: ["spec", "template", "spec", "minReadySeconds"]] = 30
        try await h.apply([md])
        try await h.settle()
        var machines = try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
        #expect(Set(machines.map(\.name)) == before, "machines were replaced")
        #expect(try await h.list(K.ms).count == 1)
        for m in machines {
            #expect(m.labels["tier"] == "gold")
            #expect(m.annotations["team"] == "platform")
            #expect(m.num("spec", "minReadySeconds") == 30)
        }

        // Removing the label from the template removes it from the machines; a label someone else set stays.
        let victim = machines[0]
        _ = try await h.cluster.patch(K.machine, namespace: "default", name: victim.name, patch: .merge(["metadata": ["labels": ["owner": "ops"]]]),
                                      fieldManager: "kubectl", subresource: .main)
        md.body[path: ["spec", "template", "metadata", "labels", "tier"]] = nil
        try await h.apply([md])
        try await h.settle()
        machines = try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
        #expect(Set(machines.map(\.name)) == before)
        #expect(machines.allSatisfy { $0.labels["tier"] == nil })
        #expect(machines.first { $0.name == victim.name }?.labels["owner"] == "ops")
        #expect(machines.allSatisfy { $0.managers(owning: FieldPath([.field("metadata"), .field("labels")])).contains("capi-machineset") })
    }

    @Test("scale down removes machines, scale up adds them")
    func scaling() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", workers: [("md-0", 3)]))
        try await h.settle()
        try await h.apply([Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 1, version: "v1.33.0", infraTemplate: "c1-md")])
        try await h.settle()
        #expect(try await Self.sample(h, deployment: "c1-md-0").live == 1)
        try await h.apply([Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 4, version: "v1.33.0", infraTemplate: "c1-md")])
        try await h.settle()
        let s = try await Self.sample(h, deployment: "c1-md-0")
        #expect(s.live == 4 && s.available == 4)
        #expect(try await h.list(K.dockerMachine).count == 5)
        #expect(try await h.list(K.kubeadmConfig).count == 5)
    }
}

/// A counter the `@Sendable` step observer can update.
final class Counter: @unchecked Sendable {  // @unchecked: the simulation calls observers from one task at a time.
    private(set) var value: Int
    init(initial: Int = 0) { value = initial }
    func add() { value += 1 }
    func min(_ v: Int) { value = Swift.min(value, v) }
    func max(_ v: Int) { value = Swift.max(value, v) }
}
