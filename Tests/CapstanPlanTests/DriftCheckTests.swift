import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPlan
import CapstanTesting
import Testing

@Suite struct DriftCheckTests {
    let fleet = FleetFiles.example.snapshot

    /// A management cluster holding fleet-example as the daemon would leave it, controllers included.
    func settledCluster() async throws -> ObjectServer {
        let cluster = try await InMemoryCluster.make()
        try await ManagementFixture.apply(fleet, to: cluster)
        try await ManagementFixture.simulateControllers(cluster, fleet: fleet)
        return cluster
    }

    func check(_ cluster: ObjectServer, fleet: FleetSnapshot? = nil, correct: Bool = false) async throws -> DriftCheck.Result {
        try await DriftCheck().run(fleet: fleet ?? self.fleet, cluster: cluster, kinds: cluster.kindRegistry.all.map(\.gvk), correct: correct)
    }

    @Test func statusDefaultsAndControllerFieldsAreNotDrift() async throws {
        let cluster = try await settledCluster()
        let result = try await check(cluster)
        #expect(result.isClean, "\(DriftOutput.text(result))")
        #expect(result.reports.map { $0.cluster?.name ?? "-" } == ["-", "dev-1", "prod-1", "ci-1", "legacy-1"])
        let checked = result.reports.map(\.checked)
        #expect(checked.allSatisfy { $0 > 0 })
        // The simulated writes happened: the control plane has a status version, MDs a defaulted field.
        let mds = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")).items
        #expect(mds.allSatisfy { $0.body[path: ["spec", "template", "spec", "readinessGates"]] == .list([]) && $0.status?["phase"] == "Running" })
        #expect(mds.contains { $0.body[path: ["spec", "deletion", "order"]] == "Random" })
    }

    @Test func aReplicaChangeByKubectlIsReportedAndCorrected() async throws {
        let cluster = try await settledCluster()
        let md = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")).items
            .first { $0.namespace == "team-a" && $0.labels["topology.cluster.x-k8s.io/deployment-name"] == "general" }!
        _ = try await cluster.patch(md.gvk, namespace: md.namespace, name: md.name, patch: .merge(["spec": ["replicas": 5]]),
                                    fieldManager: "kubectl", subresource: .main)

        let report = try await check(cluster)
        #expect(!report.isClean)
        let prod = report.reports.first { $0.cluster?.name == "prod-1" }!
        #expect(prod.objects.count == 1)
        #expect(prod.objects[0].key == md.key)
        #expect(prod.objects[0].manager == FieldManagers.topology)
        guard case .drifted(let fields) = prod.objects[0].state else { Issue.record("not drifted"); return }
        #expect(fields.map(\.description) == ["spec.replicas: desired 3, live 5 (set by kubectl)"])
        #expect(DriftOutput.text(report).contains("team-a/prod-1: 1 drifted (11 checked)"))

        let corrected = try await check(cluster, correct: true)
        #expect(corrected.reports.first { $0.cluster?.name == "prod-1" }!.objects.map(\.corrected) == [true])
        let after = try await cluster.get(md.gvk, namespace: md.namespace, name: md.name)
        #expect(after?.body[path: ["spec", "replicas"]] == 3)
        #expect(after?.managers(owning: FieldPath(fields: "spec", "replicas")) == [FieldManagers.topology])
        // Fields the defaulting webhook set are untouched by the correction.
        #expect(after?.body[path: ["spec", "template", "spec", "readinessGates"]] == .list([]))
        #expect(try await check(cluster).isClean)
    }

    @Test func missingObjectsAndObjectsNoLongerWantedAreReported() async throws {
        let cluster = try await settledCluster()
        let mhc = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineHealthCheck")).items.first { $0.namespace == "team-a" }!
        try await cluster.delete(mhc.gvk, namespace: mhc.namespace, name: mhc.name)
        // The fleet drops prod-1's memory pool: its MachineDeployment and templates are no longer desired.
        let smaller = FleetFiles.example.replacing("clusters/team-a/prod-1.yaml", """
                    - class: memory-worker
                      name: memory
                      replicas: 2
                      metadata:
                        labels:
                          platform.example.com/workload: cache
                      variables:
                        overrides:
                          - name: maxPods
                            value: 200

            """, "").snapshot
        let result = try await check(cluster, fleet: smaller)
        let prod = result.reports.first { $0.cluster?.name == "prod-1" }!
        #expect(prod.objects.filter { $0.state == .missing }.map(\.key) == [mhc.key])
        let leftovers = prod.objects.filter { $0.state == .notDesired }.map(\.key.kind).sorted()
        #expect(leftovers == ["DockerMachineTemplate", "KubeadmConfigTemplate", "MachineDeployment"])

        let corrected = try await check(cluster, fleet: smaller, correct: true)
        #expect(corrected.reports.flatMap(\.objects).filter { $0.state == .missing }.allSatisfy { $0.corrected == true })
        #expect(try await cluster.get(mhc.gvk, namespace: mhc.namespace, name: mhc.name) != nil)
        // Leftovers are reported, never deleted by a drift correction.
        #expect(corrected.reports.flatMap(\.objects).filter { $0.state == .notDesired }.allSatisfy { $0.corrected == nil })
    }

    @Test func aFleetThatDoesNotLoadIsNotCompared() async throws {
        let cluster = try await settledCluster()
        let broken = FleetFiles.example.setting("clusters/team-a/dev-1.yaml", "kind: [").snapshot
        let result = try await check(cluster, fleet: broken)
        #expect(result.reports.isEmpty)
        #expect(!result.problems.isEmpty)
        #expect(DriftOutput.summary(result).hasPrefix("Drift: not checked"))
    }

    @Test func aClusterThatDoesNotRenderKeepsItsObjects() async throws {
        let cluster = try await settledCluster()
        let invalid = FleetFiles.example.replacing("clusters/team-a/dev-1.yaml", "value: dev\n", "value: qa\n").snapshot
        let result = try await check(cluster, fleet: invalid)
        let dev = result.reports.first { $0.cluster?.name == "dev-1" }!
        #expect(dev.objects.isEmpty)
        #expect(dev.diagnostics.contains { $0.severity == .error && $0.message.contains("Unsupported value") })
        #expect(!result.isClean)
        let others = result.reports.filter { $0.cluster?.name != "dev-1" }
        #expect(others.allSatisfy { $0.isClean })
    }
}
