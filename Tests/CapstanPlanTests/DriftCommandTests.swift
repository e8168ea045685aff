import CapstanCluster
import CapstanModel
import CapstanStore
import CapstanTesting
import Foundation
import Testing

/// `capstan drift` against the SQLite store, run as the built binary.
@Suite(.serialized) struct DriftCommandTests {
    let fleetPath = CLI.packageRoot().appendingPathComponent("fleet-example").path

    /// A state directory holding fleet-example applied and settled.
    func settledState() async throws -> TemporaryDirectory {
        let state = try TemporaryDirectory(prefix: "capstan-drift")
        let store = try await ClusterStore.open(stateDirectory: state.path)
        try await ManagementFixture.apply(FleetFiles.example.snapshot, to: store.cluster)
        try await ManagementFixture.simulateControllers(store.cluster, fleet: FleetFiles.example.snapshot)
        try store.close()
        return state
    }

    /// `kubectl scale --replicas=5` on prod-1's general pool.
    func scaleByKubectl(_ state: TemporaryDirectory) async throws {
        let store = try await ClusterStore.open(stateDirectory: state.path)
        let md = try await store.cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")).items
            .first { $0.namespace == "team-a" && $0.labels["topology.cluster.x-k8s.io/deployment-name"] == "general" }!
        _ = try await store.cluster.patch(md.gvk, namespace: md.namespace, name: md.name, patch: .merge(["spec": ["replicas": 5]]),
                                          fieldManager: "kubectl", subresource: .main)
        try store.close()
    }

    @Test func reportsInSyncThenDriftThenCorrects() async throws {
        let state = try await settledState()
        var r = try CLI.run(["drift", fleetPath, "--management", state.path])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "Drift: 0 of 4 Clusters drifted; objects: 0 drifted, 0 missing, 0 not desired\n")

        try await scaleByKubectl(state)
        r = try CLI.run(["drift", fleetPath, "--management", state.path])
        #expect(r.exitCode == 2, "\(r.stderr)")
        #expect(r.stdout.contains("team-a/prod-1: 1 drifted (11 checked)\n  ~ drifted MachineDeployment team-a/prod-1-general-"))
        #expect(r.stdout.contains("      spec.replicas: desired 3, live 5 (set by kubectl)\n"))

        let reports = try TemporaryDirectory(prefix: "capstan-drift-reports")
        r = try CLI.run(["drift", fleetPath, "--management", state.path, "-o", "yaml", "--report-dir", reports.path])
        #expect(r.exitCode == 2)
        #expect(r.stdout.contains("kind: DriftReport"))
        let prod = try String(contentsOfFile: reports.path + "/team-a/prod-1.yaml", encoding: .utf8)
        #expect(prod.contains("  - path: spec.replicas\n    desired: 3\n    live: 5\n    managers:\n    - kubectl\n"))
        #expect(FileManager.default.fileExists(atPath: reports.path + "/fleet.yaml"))

        let json = try JSON.parse(try CLI.run(["drift", fleetPath, "--management", state.path, "-o", "json"]).stdout)
        #expect(json[path: ["summary", "drifted"]] == 1)

        r = try CLI.run(["drift", fleetPath, "--management", state.path, "--correct"])
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" — corrected\n"))
        r = try CLI.run(["drift", fleetPath, "--management", state.path])
        #expect(r.exitCode == 0, "\(r.stdout)")
    }

    @Test func correctingNeedsTheWriteLock() async throws {
        let state = try await settledState()
        try await scaleByKubectl(state)
        let holder = try await ClusterStore.open(stateDirectory: state.path)  // stands in for a running daemon
        defer { try? holder.close() }
        let locked = try CLI.run(["drift", fleetPath, "--management", state.path, "--correct"])
        #expect(locked.exitCode == 1)
        #expect(locked.stderr.contains("capstan drift: --correct needs the write lock: state directory"))
        #expect(locked.stderr.contains("is in use by process \(ProcessInfo.processInfo.processIdentifier)"))
        // Reporting still works while the lock is held (read-only open).
        let report = try CLI.run(["drift", fleetPath, "--management", state.path])
        #expect(report.exitCode == 2)
    }

    @Test func aMissingStoreIsAClearError() throws {
        let r = try CLI.run(["drift", fleetPath, "--management", "/nonexistent/capstan-state"])
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains("no embedded cluster at /nonexistent/capstan-state/cluster.sqlite"))
    }
}
