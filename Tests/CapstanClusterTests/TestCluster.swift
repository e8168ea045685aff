import CapstanCluster
import CapstanModel
import CapstanStore
import Foundation
import Testing

/// The storage backends every semantic test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite
    var testDescription: String { rawValue }
}

/// A fresh cluster on one backend with a manual clock and sequential uids.
final class TestCluster: Sendable {
    let backend: Backend
    let cluster: ObjectServer
    let clock: ManualClock
    let directory: URL?
    let store: ClusterStore?

    private init(backend: Backend, cluster: ObjectServer, clock: ManualClock, directory: URL?, store: ClusterStore?) {
        self.backend = backend
        self.cluster = cluster
        self.clock = clock
        self.directory = directory
        self.store = store
    }

    static func make(_ backend: Backend, options: ObjectServer.Options = ObjectServer.Options()) async throws -> TestCluster {
        let clock = ManualClock()
        switch backend {
        case .memory:
            let server = try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator(), options: options)
            return TestCluster(backend: backend, cluster: server, clock: clock, directory: nil, store: nil)
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-store-\(UUID().uuidString)")
            let store = try await ClusterStore.open(stateDirectory: dir.path, clock: clock, uids: SequentialUIDGenerator(), options: options)
            return TestCluster(backend: backend, cluster: store.cluster, clock: clock, directory: dir, store: store)
        }
    }

    /// Closes the SQLite store and opens the same directory again (the process-restart case).
    func reopen(options: ObjectServer.Options = ObjectServer.Options()) async throws -> TestCluster {
        guard let directory, let store else { return self }
        try store.close()
        let reopened = try await ClusterStore.open(stateDirectory: directory.path, clock: clock, uids: SequentialUIDGenerator(), options: options)
        return TestCluster(backend: backend, cluster: reopened.cluster, clock: clock, directory: directory, store: reopened)
    }

    deinit {
        try? store?.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Test objects.
enum Fixtures {
    static let capi = "cluster.x-k8s.io/v1beta2"
    static let machineGVK = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine")
    static let clusterGVK = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Cluster")
    static let mdGVK = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")
    static let configMapGVK = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    /// Parses a JSON object literal.
    static func object(_ json: String) -> KubeObject {
        KubeObject(try! JSON.parse(json))
    }

    static func machine(_ name: String, namespace: String = "fleet", labels: [String: String] = [:], version: String = "v1.30.0") -> KubeObject {
        var m = KubeObject(apiVersion: capi, kind: "Machine", namespace: namespace, name: name)
        m.labels = labels
        m.spec = .map(["clusterName": "c1", "version": .string(version)])
        return m
    }

    static func configMap(_ name: String, namespace: String = "fleet", data: [String: String] = [:]) -> KubeObject {
        var c = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: namespace, name: name)
        c.body["data"] = .map(ObjectMap(data.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
        return c
    }

    /// An owner reference to a stored object.
    static func owner(_ o: KubeObject, controller: Bool? = nil, block: Bool? = nil) -> OwnerReference {
        OwnerReference(apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid!, controller: controller, blockOwnerDeletion: block)
    }
}

extension ClusterError {
    /// Which case this is, for `#expect` without matching payloads.
    var caseName: String {
        switch self {
        case .notFound: "notFound"
        case .alreadyExists: "alreadyExists"
        case .conflict: "conflict"
        case .invalid: "invalid"
        case .gone: "gone"
        case .forbidden: "forbidden"
        case .badRequest: "badRequest"
        case .watchClosed: "watchClosed"
        case .storage: "storage"
        }
    }
}

/// Runs `body` and returns the `ClusterError` it threw (nil if it threw nothing or something else).
func clusterError(_ body: () async throws -> Void) async -> ClusterError? {
    do {
        try await body()
        return nil
    } catch let e as ClusterError {
        return e
    } catch {
        return nil
    }
}
