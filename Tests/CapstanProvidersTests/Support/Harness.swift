import CapstanCluster
import CapstanModel
import CapstanProviders
import CapstanStore
import Foundation
import Testing

/// Which storage backend a simulation runs against.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite
    var description: String { rawValue }
}

/// A management cluster (memory or SQLite) with the embedded controllers on a simulated clock.
final class Harness: Sendable {
    let clock: SimulatedClock
    let cluster: ObjectServer
    let manager: ControllerManager
    let store: ClusterStore?
    let directory: URL?

    private init(clock: SimulatedClock, cluster: ObjectServer, manager: ControllerManager, store: ClusterStore?, directory: URL?) {
        self.clock = clock
        self.cluster = cluster
        self.manager = manager
        self.store = store
        self.directory = directory
    }

    static func make(_ backend: Backend = .memory, _ configure: (inout ProviderConfiguration) -> Void = { _ in }) async throws -> Harness {
        let clock = SimulatedClock()
        var config = ProviderConfiguration()
        configure(&config)
        switch backend {
        case .memory:
            let server = try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator())
            return Harness(clock: clock, cluster: server, manager: EmbeddedProviders.manager(cluster: server, clock: clock, configuration: config),
                           store: nil, directory: nil)
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-providers-\(UUID().uuidString)")
            let store = try await ClusterStore.open(stateDirectory: dir.path, clock: clock, uids: SequentialUIDGenerator())
            return Harness(clock: clock, cluster: store.cluster, manager: EmbeddedProviders.manager(cluster: store.cluster, clock: clock, configuration: config),
                           store: store, directory: dir)
        }
    }

    deinit {
        try? store?.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Applies objects as Capstan does (server-side apply, field manager `capstan`, forced).
    func apply(_ objects: [KubeObject]) async throws {
        for o in objects { _ = try await cluster.apply(o, fieldManager: "capstan", force: true) }
    }

    /// Runs the controllers until nothing is left to do and checks that they settled.
    @discardableResult
    func settle(limit: Duration = .seconds(86_400), observe: (@Sendable (SimulationStep) async throws -> Bool)? = nil,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> SimulationReport {
        let report = try await manager.runUntilQuiescent(limit: limit, observe: observe)
        #expect(report.quiescent, "controllers did not settle: \(manager.recentErrors)", sourceLocation: sourceLocation)
        return report
    }

    func list(_ gvk: GroupVersionKind) async throws -> [KubeObject] { try await cluster.list(gvk).items }

    func get(_ gvk: GroupVersionKind, _ name: String, namespace: String = Fixtures.ns) async throws -> KubeObject? {
        try await cluster.get(gvk, namespace: namespace, name: name)
    }

    /// Every object of the kinds a cluster is made of.
    static let allKinds: [GroupVersionKind] = [
        K.cluster, K.dockerCluster, K.kcp, K.md, K.ms, K.machine, K.dockerMachine, K.kubeadmConfig, K.secret, K.node, K.mhc,
        K.dockerMachineTemplate, K.kubeadmConfigTemplate, K.machinePool, K.dockerMachinePool, K.crs, K.crsBinding, K.configMap,
    ]
}

/// GVKs used by the tests.
enum K {
    static let cluster = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Cluster")
    static let machine = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine")
    static let ms = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineSet")
    static let md = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")
    static let mhc = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineHealthCheck")
    static let machinePool = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachinePool")
    static let kcp = GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmControlPlane")
    static let kubeadmConfig = GroupVersionKind(group: "bootstrap.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmConfig")
    static let kubeadmConfigTemplate = GroupVersionKind(group: "bootstrap.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmConfigTemplate")
    static let dockerCluster = GroupVersionKind(group: "infrastructure.cluster.x-k8s.io", version: "v1beta2", kind: "DockerCluster")
    static let dockerMachine = GroupVersionKind(group: "infrastructure.cluster.x-k8s.io", version: "v1beta2", kind: "DockerMachine")
    static let dockerMachinePool = GroupVersionKind(group: "infrastructure.cluster.x-k8s.io", version: "v1beta2", kind: "DockerMachinePool")
    static let dockerMachineTemplate = GroupVersionKind(group: "infrastructure.cluster.x-k8s.io", version: "v1beta2", kind: "DockerMachineTemplate")
    static let crs = GroupVersionKind(group: "addons.cluster.x-k8s.io", version: "v1beta2", kind: "ClusterResourceSet")
    static let crsBinding = GroupVersionKind(group: "addons.cluster.x-k8s.io", version: "v1beta2", kind: "ClusterResourceSetBinding")
    static let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let node = Simulation.nodeKind
}

extension KubeObject {
    func condition(_ type: String) -> Condition? { Conditions.get(self, type) }
    func str(_ path: String...) -> String? { body[path: path]?.stringValue }
    func num(_ path: String...) -> Int64? { body[path: path]?.intValue }
}
