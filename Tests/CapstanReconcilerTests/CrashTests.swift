import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanProviders
import CapstanReconciler
import CapstanTesting
import Synchronization
import Testing

/// A management cluster that stops answering writes after a number of them (a process dying mid-apply, as
/// seen from the store: everything before the failing write is committed, nothing after).
final class FailingCluster: ManagementCluster {
    let base: any ManagementCluster
    let remaining: Mutex<Int>

    init(base: any ManagementCluster, writes: Int) {
        self.base = base
        remaining = Mutex(writes)
    }

    func spend() throws {
        try remaining.withLock { n in
            if n <= 0 { throw ClusterError.storage("simulated crash") }
            n -= 1
        }
    }

    func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject? { try await base.get(gvk, namespace: namespace, name: name) }
    func list(_ gvk: GroupVersionKind, namespace: String?, selector: CapstanModel.LabelSelector?) async throws -> ObjectList {
        try await base.list(gvk, namespace: namespace, selector: selector)
    }
    func create(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try spend(); return try await base.create(obj, fieldManager: fieldManager) }
    func update(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try spend(); return try await base.update(obj, fieldManager: fieldManager) }
    func updateStatus(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try spend(); return try await base.updateStatus(obj, fieldManager: fieldManager) }
    func apply(_ obj: KubeObject, fieldManager: String, options: ApplyOptions) async throws -> KubeObject {
        if !options.dryRun { try spend() }
        return try await base.apply(obj, fieldManager: fieldManager, options: options)
    }
    func patch(_ gvk: GroupVersionKind, namespace: String, name: String, patch: Patch, fieldManager: String, subresource: Subresource) async throws -> KubeObject {
        try spend()
        return try await base.patch(gvk, namespace: namespace, name: name, patch: patch, fieldManager: fieldManager, subresource: subresource)
    }
    func delete(_ gvk: GroupVersionKind, namespace: String, name: String, options: DeleteOptions) async throws {
        try spend()
        try await base.delete(gvk, namespace: namespace, name: name, options: options)
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, selector: CapstanModel.LabelSelector?, fromResourceVersion: String?) async throws -> WatchStream {
        try await base.watch(gvk, namespace: namespace, selector: selector, fromResourceVersion: fromResourceVersion)
    }
}

@Suite struct CrashTests {
    /// Every object of the fleet's kinds, by key, counting duplicates by uid.
    func census(_ cluster: any ManagementCluster) async throws -> [String] {
        var out: [String] = []
        for gvk in [Kinds.cluster, Kinds.machineDeployment, Kinds.kcp, Kinds.configMap, Kinds.clusterClass] {
            out += try await cluster.list(gvk).items.map { "\($0.key)" }
        }
        return out.sorted()
    }

    @Test(arguments: [4, 25])
    func dyingMidApplyThenRestartingConvergesWithNothingLostAndNothingDuplicated(writes: Int) async throws {
        let files = try Fixture.fleetExample()
        let reference = try await Harness(files: files)
        await reference.sync()
        let expected = try await census(reference.cluster)

        let clock = SimulatedClock()
        let store = try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator())
        let crashing = FailingCluster(base: store, writes: writes)
        let first = FleetReconciler(environment: ReconcilerEnvironment(source: MemoryFleetSource(files: files), cluster: crashing, clock: clock))
        let broken = await first.sync(.interval)
        #expect(broken.outcome.isTransient, "\(broken.outcome)")
        let inventory = try await store.get(Kinds.configMap, namespace: "capstan-system", name: "capstan-inventory-default")
        let listed = inventory?.body[path: ["data", "objects"]]?.stringValue ?? ""
        for key in try await census(store) where key.hasPrefix("Cluster ") || key.hasPrefix("ClusterClass") {
            let name = String(key.split(separator: "/").last!)
            #expect(listed.contains(" \(name) "), "\(key) exists, so the inventory must know it (write-ahead)")
        }

        // The restarted daemon resumes; objects whose creation was deferred behind a half-made control plane
        // come with the live re-renders once the controllers have moved it on.
        let restarted = try await Harness(files: files, cluster: store, clock: clock)
        let report = await restarted.sync()
        #expect(!report.outcome.isTransient, "\(report.outcome)")
        try await restarted.settle()
        let settled = await restarted.sync()
        #expect(settled.outcome == .synced, "\(settled.outcome)")
        let actual = try await census(store)
        #expect(actual == expected, "missing \(Set(expected).subtracting(actual)), extra \(Set(actual).subtracting(expected))")
        #expect(settled.upToDate)
    }
}
