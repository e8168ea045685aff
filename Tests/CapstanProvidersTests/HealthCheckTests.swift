import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Suite("MachineHealthCheck remediation")
struct HealthCheckTests {
    static func workers(_ h: Harness) async throws -> [KubeObject] {
        try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
    }

    @Test("a machine whose infrastructure never provisions is remediated after the node startup timeout", arguments: Backend.allCases)
    func failedMachineIsRemediated(backend: Backend) async throws {
        let h = try await Harness.make(backend) { config in
            config.simulation.failures = [FailureRule(kind: "DockerMachine", namePrefix: "c1-md-0", limit: 1)]
        }
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 1, workers: [("md-0", 3)]) + [
            Fixtures.healthCheck("c1-mhc", cluster: "c1", spec: ["checks": ["nodeStartupTimeoutSeconds": 300]]),
        ])
        let failedName = Recorder<String>(), remediationMarked = Counter()
        try await h.settle { _ in
            for m in try await Self.workers(h) {
                if try await h.get(K.dockerMachine, m.name)?.condition("Ready")?.reason == "ProvisioningFailed" { failedName.record(m.name) }
                if m.condition("OwnerRemediated")?.status == .false { remediationMarked.add() }
            }
            return true
        }
        let failed = try #require(failedName.values.first, "the failure rule never fired")
        #expect(remediationMarked.value > 0)
        let machines = try await Self.workers(h)
        #expect(machines.count == 3)
        #expect(!machines.map(\.name).contains(failed), "the failed machine is gone")
        #expect(try await h.get(K.dockerMachine, failed) == nil)
        #expect(machines.allSatisfy { $0.condition("Ready")?.status == .true && $0.condition("HealthCheckSucceeded")?.status == .true })
        let mhc = try #require(try await h.get(K.mhc, "c1-mhc"))
        #expect(mhc.num("status", "expectedMachines") == 3)
        #expect(mhc.num("status", "currentHealthy") == 3)
        #expect(mhc.condition("RemediationAllowed")?.status == .true)
        #expect(mhc.ownerReferences.contains { $0.kind == "Cluster" })
    }

    @Test("remediation stops when more machines are unhealthy than unhealthyLessThanOrEqualTo allows")
    func respectsMaxUnhealthy() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 1, workers: [("md-0", 3)]) + [
            Fixtures.healthCheck("c1-mhc", cluster: "c1", spec: [
                "checks": ["unhealthyNodeConditions": [["type": "Ready", "status": "False", "timeoutSeconds": 60]]],
                "remediation": ["triggerIf": ["unhealthyLessThanOrEqualTo": 1]],
            ]),
        ])
        try await h.settle()
        let names = try await Self.workers(h).map(\.name).sorted()
        #expect(names.count == 3)
        // Two nodes go NotReady: above the limit of one.
        for name in names.prefix(2) {
            _ = try await h.cluster.patch(K.machine, namespace: "default", name: name,
                                          patch: .merge(["metadata": ["annotations": ["sim.capstan.io/node-conditions": "Ready=False"]]]),
                                          fieldManager: "test", subresource: .main)
        }
        try await h.settle()
        var machines = try await Self.workers(h)
        #expect(machines.map(\.name).sorted() == names, "no machine may be remediated")
        let unhealthy = machines.filter { $0.condition("HealthCheckSucceeded")?.status == .false }
        #expect(unhealthy.count == 2)
        #expect(unhealthy.allSatisfy { $0.condition("HealthCheckSucceeded")?.reason == "UnhealthyNode" })
        #expect(machines.allSatisfy { $0.condition("OwnerRemediated") == nil })
        var mhc = try #require(try await h.get(K.mhc, "c1-mhc"))
        #expect(mhc.condition("RemediationAllowed")?.status == .false)
        #expect(mhc.condition("RemediationAllowed")?.reason == "TooManyUnhealthy")
        #expect(mhc.num("status", "currentHealthy") == 1)
        #expect(mhc.num("status", "remediationsAllowed") == 0)

        // One recovers: one unhealthy is within the limit, so it is replaced.
        _ = try await h.cluster.patch(K.machine, namespace: "default", name: names[1],
                                      patch: .merge(["metadata": ["annotations": ["sim.capstan.io/node-conditions": .null]]]),
                                      fieldManager: "test", subresource: .main)
        try await h.settle()
        machines = try await Self.workers(h)
        #expect(machines.count == 3)
        #expect(!machines.map(\.name).contains(names[0]), "the still-unhealthy machine is replaced")
        #expect(machines.map(\.name).contains(names[1]))
        mhc = try #require(try await h.get(K.mhc, "c1-mhc"))
        #expect(mhc.condition("RemediationAllowed")?.status == .true)
        #expect(mhc.num("status", "currentHealthy") == 3)
    }

    @Test("unhealthyInRange takes precedence over unhealthyLessThanOrEqualTo")
    func unhealthyInRange() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 1, workers: [("md-0", 3)]) + [
            Fixtures.healthCheck("c1-mhc", cluster: "c1", spec: [
                "checks": ["unhealthyNodeConditions": [["type": "Ready", "status": "Unknown", "timeoutSeconds": 300]]],
                "remediation": ["triggerIf": ["unhealthyLessThanOrEqualTo": 3, "unhealthyInRange": "[2-3]"]],
            ]),
        ])
        try await h.settle()
        let names = try await Self.workers(h).map(\.name).sorted()
        _ = try await h.cluster.patch(K.machine, namespace: "default", name: names[0],
                                      patch: .merge(["metadata": ["annotations": ["sim.capstan.io/node-conditions": "Ready=Unknown"]]]),
                                      fieldManager: "test", subresource: .main)
        try await h.settle()
        let machines = try await Self.workers(h)
        #expect(machines.map(\.name).sorted() == names, "one unhealthy machine is outside [2-3]")
        #expect(try await h.get(K.mhc, "c1-mhc")?.condition("RemediationAllowed")?.status == .false)
        #expect(machines.first { $0.name == names[0] }?.condition("HealthCheckSucceeded")?.status == .false)
    }

    @Test("the remediate-machine annotation replaces a control-plane machine without losing quorum")
    func controlPlaneRemediation() async throws {
        let h = try await Harness.make()
        var mhc = Fixtures.healthCheck("cp-mhc", cluster: "c1", spec: [:])
        mhc.body[path: ["spec", "selector"]] = ["matchLabels": ["cluster.x-k8s.io/control-plane": ""]]
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 3, workers: []) + [mhc])
        try await h.settle()
        let cps = try await h.list(K.machine).map(\.name).sorted()
        _ = try await h.cluster.patch(K.machine, namespace: "default", name: cps[1],
                                      patch: .merge(["metadata": ["annotations": ["cluster.x-k8s.io/remediate-machine": ""]]]),
                                      fieldManager: "test", subresource: .main)
        let readyLow = Counter(initial: 3)
        try await h.settle { _ in
            let ready = try await h.list(K.machine).filter { !$0.isDeleting && $0.condition("Ready")?.status == .true }.count
            readyLow.min(ready)
            return true
        }
        let after = try await h.list(K.machine)
        #expect(after.count == 3)
        #expect(!after.map(\.name).contains(cps[1]))
        #expect(readyLow.value >= 2, "quorum kept")
        let kcp = try #require(try await h.get(K.kcp, "c1-cp"))
        #expect(kcp.str("status", "lastRemediation", "machine") == cps[1])
        #expect(kcp.num("status", "readyReplicas") == 3)
    }
}
