import CapstanCluster
import CapstanDiff
import CapstanModel
import CapstanPlan
import CapstanProviders
import CapstanTesting
import Testing

/// Drift against the real embedded Cluster API controllers: after they provision fleet-example (status,
/// MachineSets, Machines, bootstrap configs and Secrets, Nodes, finalizers, endpoints), nothing is drift.
@Suite struct DriftWithProvidersTests {
    @Test func provisionedClustersHaveNoDriftUntilSomeoneScales() async throws {
        let clock = SimulatedClock()
        let cluster = try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator())
        let manager = EmbeddedProviders.manager(cluster: cluster, clock: clock, configuration: ProviderConfiguration())
        let fleet = FleetFiles.example.snapshot
        try await ManagementFixture.apply(fleet, to: cluster)
        let report = try await manager.runUntilQuiescent(limit: .seconds(86_400))
        #expect(report.quiescent)
        let machines = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine")).items
        #expect(machines.count >= 10)  // 3+1+1+1 control-plane machines and 3+2+1+4+2 workers, minus nothing

        let check = DriftCheck()
        let kinds = cluster.kindRegistry.all.map(\.gvk)
        let settled = try await check.run(fleet: fleet, cluster: cluster, kinds: kinds, correct: false)
        #expect(settled.isClean, "\(DriftOutput.text(settled))")

        let md = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")).items
            .first { $0.namespace == "team-b" && $0.labels["topology.cluster.x-k8s.io/deployment-name"] == "runners" }!
        _ = try await cluster.patch(md.gvk, namespace: md.namespace, name: md.name, patch: .merge(["spec": ["replicas": 6]]),
                                    fieldManager: "kubectl", subresource: .main)
        let drifted = try await check.run(fleet: fleet, cluster: cluster, kinds: kinds, correct: true)
        let ci = drifted.reports.first { $0.cluster?.name == "ci-1" }!
        #expect(ci.objects.map(\.key) == [md.key])
        guard case .drifted(let fields)? = ci.objects.first?.state else {
            Issue.record("ci-1's MachineDeployment is not reported as drifted: \(String(describing: ci.objects.first?.state))")
            return
        }
        #expect(fields.map(\.description) == ["spec.replicas: desired 4, live 6 (set by kubectl)"])
        #expect(ci.objects.first?.corrected == true)
        // The controllers settle again on the corrected replica count, and nothing is left.
        #expect(try await manager.runUntilQuiescent(limit: .seconds(86_400)).quiescent)
        let after = try await check.run(fleet: fleet, cluster: cluster, kinds: kinds, correct: false)
        #expect(after.isClean, "\(DriftOutput.text(after))")
    }
}
