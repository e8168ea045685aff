import CapstanCluster
import CapstanModel
@testable import CapstanProviders
import Testing

/// A management cluster that "dies" after a number of writes: later writes fail as if the process was gone.
final class DyingCluster: ManagementCluster, @unchecked Sendable {  // @unchecked: the simulation runs one reconcile at a time.
    let base: any ManagementCluster
    var budget: Int
    var dead = false

    init(base: any ManagementCluster, writes: Int) {
        self.base = base
        budget = writes
    }

    struct Dead: Error {}

    /// Allows `budget` successful writes; the next attempt finds the process gone. (Failed attempts, such as a
    /// create that finds the object exists, change nothing and are not counted.)
    private func write<T>(_ body: () async throws -> T) async throws -> T {
        if budget == 0 { dead = true; throw Dead() }
        let r = try await body()
        budget -= 1
        return r
    }

    func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject? {
        if dead { throw Dead() }
        return try await base.get(gvk, namespace: namespace, name: name)
    }
    func list(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?) async throws -> ObjectList {
        try await base.list(gvk, namespace: namespace, selector: selector)
    }
    func create(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try await write { try await base.create(obj, fieldManager: fieldManager) } }
    func update(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try await write { try await base.update(obj, fieldManager: fieldManager) } }
    func updateStatus(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject { try await write { try await base.updateStatus(obj, fieldManager: fieldManager) } }
    func apply(_ obj: KubeObject, fieldManager: String, options: ApplyOptions) async throws -> KubeObject {
        try await write { try await base.apply(obj, fieldManager: fieldManager, options: options) }
    }
    func patch(_ gvk: GroupVersionKind, namespace: String, name: String, patch: Patch, fieldManager: String, subresource: Subresource) async throws -> KubeObject {
        try await write { try await base.patch(gvk, namespace: namespace, name: name, patch: patch, fieldManager: fieldManager, subresource: subresource) }
    }
    func delete(_ gvk: GroupVersionKind, namespace: String, name: String, options: DeleteOptions) async throws {
        try await write { try await base.delete(gvk, namespace: namespace, name: name, options: options) }
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?, fromResourceVersion: String?) async throws -> WatchStream {
        try await base.watch(gvk, namespace: namespace, selector: selector, fromResourceVersion: fromResourceVersion)
    }
}

@Suite("Crash after every write")
struct CrashEveryWriteTests {
    @Test("a rollout survives the controllers dying after every single write (fresh cache each time)")
    func crashAfterEveryWrite() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.0", cpReplicas: 1, workers: [("md-0", 3)]))
        try await h.settle()
        try await h.apply(CrashRecoveryTests.version("v1.34.0", template: "c1-md-v2"))

        var lives = 0
        while true {
            lives += 1
            let dying = DyingCluster(base: h.cluster, writes: 1)
            var config = ProviderConfiguration()
            config.nameSeed = UInt64(lives)
            let manager = EmbeddedProviders.manager(cluster: dying, clock: h.clock, configuration: config)
            let report = try await manager.runUntilQuiescent { _ in !dying.dead }
            if report.quiescent && !dying.dead { break }
            try #require(lives < 5000, "no progress")
        }
        #expect(lives > 100, "the rollout should need many lives (\(lives))")

        let machines = try await h.list(K.machine)
        let owners = Set(try await h.list(K.ms).compactMap(\.uid) + (try await h.list(K.kcp).compactMap(\.uid)))
        #expect(machines.count == 4)
        #expect(machines.allSatisfy { $0.str("spec", "version") == "v1.34.0" && Conditions.isTrue($0, "Available") })
        #expect(machines.allSatisfy { $0.controllerRef.map { owners.contains($0.uid) } ?? false })
        let uids = Set(machines.compactMap(\.uid))
        for gvk in [K.dockerMachine, K.kubeadmConfig] {
            let objs = try await h.list(gvk)
            #expect(objs.count == 4, "\(gvk.kind): \(objs.map(\.name))")
            #expect(objs.allSatisfy { $0.controllerRef.map { uids.contains($0.uid) } ?? false })
        }
        #expect(try await h.list(K.node).count == 4)
        #expect(try await h.list(K.ms).count == 1)
    }
}
