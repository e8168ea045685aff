import ArgumentParser
import CapstanCluster
import CapstanModel
import CapstanProviders
import CapstanStore
import CapstanYAML
import Foundation

/// `capstan __sim` (hidden): applies manifests to a state directory and runs the embedded controllers in
/// simulated time until they settle. Tests use it to run the controllers in a child process on SQLite —
/// including killing that process with SIGKILL mid-rollout (`--crash-after-writes`, or an external kill after
/// `--announce-rollout`) — and to prepare state for `capstan status`.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__sim", abstract: "Run the embedded controllers in simulated time (testing aid).", shouldDisplay: false)

    @Option(name: .long, help: "State directory.")
    var stateDir: String

    @Option(name: .customLong("apply"), help: "Manifest file to apply (server-side apply as `capstan`) before running; repeatable.")
    var manifests: [String] = []

    @Option(name: .long, help: "Kill this process with SIGKILL right after the Nth write the controllers send.")
    var crashAfterWrites: Int?

    @Option(name: .long, help: "Real milliseconds to sleep after each reconcile (slows the simulation down).")
    var stepDelayMs: Int = 0

    @Flag(name: .long, help: "Print ROLLOUT-IN-PROGRESS once a MachineDeployment has two MachineSets with replicas.")
    var announceRollout = false

    @Option(name: .long, help: "Seed for generated machine names (default: random).")
    var seed: UInt64?

    func run() async throws {
        let clock = SimulatedClock(start: SystemControllerClock().currentMoment())
        let store = try await ClusterStore.open(stateDirectory: stateDir, clock: clock)
        defer { try? store.close() }
        // Simulated time continues from the last run: never before a timestamp already stored.
        if let latest = try await Self.latestTimestamp(store.cluster) { clock.advance(to: latest.advanced(by: .seconds(1))) }
        for path in manifests {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for doc in try YAML.parseStream(text, file: path) where !doc.isEmpty {
                _ = try await store.cluster.apply(KubeObject(doc.value), fieldManager: "capstan", force: true)
            }
        }
        var config = ProviderConfiguration()
        config.nameSeed = seed ?? UInt64.random(in: 1...UInt64.max)
        let target: any ManagementCluster = crashAfterWrites.map { CrashingCluster(base: store.cluster, after: $0) } ?? store.cluster
        let manager = EmbeddedProviders.manager(cluster: target, clock: clock, configuration: config)
        let delay = stepDelayMs, announce = announceRollout, cluster = store.cluster
        let announced = AnnounceOnce()
        let report = try await manager.runUntilQuiescent { _ in
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            if announce, !announced.done, try await Self.rolloutInProgress(cluster) {
                announced.done = true
                FileHandle.standardOutput.write(Data("ROLLOUT-IN-PROGRESS\n".utf8))
            }
            return true
        }
        let stats = manager.statistics
        let seconds = report.simulatedTime.components.seconds
        print("quiescent=\(report.quiescent) reconciles=\(report.reconciles) simulated=\(seconds)s writes=\(stats.writes) errors=\(stats.errors)")
        if !report.quiescent { throw ExitCode(2) }
    }

    /// Whether some MachineDeployment has two MachineSets with replicas.
    static func rolloutInProgress(_ cluster: any ManagementCluster) async throws -> Bool {
        let sets = try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineSet")).items
        var active: [String: Int] = [:]
        for ms in sets where (ms.body[path: ["spec", "replicas"]]?.intValue ?? 0) > 0 {
            if let md = ms.ownerReferences.first(where: { $0.kind == "MachineDeployment" }) { active[md.name, default: 0] += 1 }
        }
        return active.values.contains { $0 >= 2 }
    }

    /// The latest time written into the store (creation, deletion and managed-field times).
    static func latestTimestamp(_ cluster: any ManagementCluster) async throws -> Moment? {
        var kinds: [GroupVersionKind] = ["Cluster", "MachineDeployment", "MachineSet", "Machine", "MachinePool", "MachineHealthCheck"].map {
            GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: $0)
        }
        kinds += [GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmControlPlane"),
                  GroupVersionKind(group: "bootstrap.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmConfig"), Simulation.nodeKind]
        var latest: Timestamp?
        var infraKinds = Set<GroupVersionKind>()
        for gvk in kinds {
            for obj in try await cluster.list(gvk).items {
                for path in [["spec", "infrastructureRef"], ["spec", "template", "spec", "infrastructureRef"]] {
                    if let g = obj.body[path: path + ["apiGroup"]]?.stringValue, let k = obj.body[path: path + ["kind"]]?.stringValue {
                        infraKinds.insert(GroupVersionKind(group: g, version: "v1beta2", kind: k))
                    }
                }
                latest = max(latest, Self.latest(in: obj))
            }
        }
        for gvk in infraKinds { for obj in try await cluster.list(gvk).items { latest = max(latest, Self.latest(in: obj)) } }
        return latest.map(Moment.init)
    }

    private static func latest(in obj: KubeObject) -> Timestamp? {
        var times = [obj.body[path: ["metadata", "creationTimestamp"]], obj.body[path: ["metadata", "deletionTimestamp"]]].compactMap { $0?.stringValue }
        times += (obj.body[path: ["metadata", "managedFields"]]?.listValue ?? []).compactMap { $0["time"]?.stringValue }
        return times.compactMap(Timestamp.init(rfc3339:)).max()
    }
}

private func max(_ a: Timestamp?, _ b: Timestamp?) -> Timestamp? {
    switch (a, b) {
    case (nil, let x), (let x, nil): return x
    case (let x?, let y?): return Swift.max(x, y)
    }
}

/// A flag set once (the observer closure is `@Sendable`).
private final class AnnounceOnce: @unchecked Sendable {  // @unchecked: only touched from the simulation's one task.
    var done = false
}

/// A `ManagementCluster` that kills its process with SIGKILL right after the Nth write — the crash the
/// kill -9 tests inject between any two writes of a rollout.
private struct CrashingCluster: ManagementCluster {
    let base: any ManagementCluster
    let after: Int
    private let counter = WriteCounter()

    init(base: any ManagementCluster, after: Int) {
        self.base = base
        self.after = after
    }

    private func wrote() {
        if counter.increment() == after { kill(getpid(), SIGKILL) }
    }

    func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject? {
        try await base.get(gvk, namespace: namespace, name: name)
    }
    func list(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?) async throws -> ObjectList {
        try await base.list(gvk, namespace: namespace, selector: selector)
    }
    func create(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        defer { wrote() }
        return try await base.create(obj, fieldManager: fieldManager)
    }
    func update(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        defer { wrote() }
        return try await base.update(obj, fieldManager: fieldManager)
    }
    func updateStatus(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        defer { wrote() }
        return try await base.updateStatus(obj, fieldManager: fieldManager)
    }
    func apply(_ obj: KubeObject, fieldManager: String, options: ApplyOptions) async throws -> KubeObject {
        defer { wrote() }
        return try await base.apply(obj, fieldManager: fieldManager, options: options)
    }
    func patch(_ gvk: GroupVersionKind, namespace: String, name: String, patch: Patch, fieldManager: String, subresource: Subresource) async throws -> KubeObject {
        defer { wrote() }
        return try await base.patch(gvk, namespace: namespace, name: name, patch: patch, fieldManager: fieldManager, subresource: subresource)
    }
    func delete(_ gvk: GroupVersionKind, namespace: String, name: String, options: DeleteOptions) async throws {
        defer { wrote() }
        try await base.delete(gvk, namespace: namespace, name: name, options: options)
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?, fromResourceVersion: String?) async throws -> WatchStream {
        try await base.watch(gvk, namespace: namespace, selector: selector, fromResourceVersion: fromResourceVersion)
    }
}

/// Counts writes across tasks.
private final class WriteCounter: @unchecked Sendable {  // @unchecked: `count` is only touched under `lock`.
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
