import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanProviders
import CapstanReconciler
import CapstanTesting
import Foundation
import Logging

/// A reconciler over an in-memory source, an in-memory management cluster and, when asked, the embedded
/// controllers in simulated time (shared clock), so whole lifecycles run in well under a second.
struct Harness {
    let source: MemoryFleetSource
    let cluster: ObjectServer
    let clock: SimulatedClock
    let reconciler: FleetReconciler
    let metrics: CountingMetrics

    init(files: [String: String], layers: [FleetConfigLayer] = [], localPolicies: [FleetObject] = [],
         cluster existing: ObjectServer? = nil, clock existingClock: SimulatedClock? = nil) async throws {
        source = MemoryFleetSource(files: files)
        clock = existingClock ?? SimulatedClock()
        if let existing {
            cluster = existing
        } else {
            cluster = try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator())
        }
        metrics = CountingMetrics()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        reconciler = FleetReconciler(environment: ReconcilerEnvironment(
            source: source, cluster: cluster, operatorLayers: layers, localPolicies: localPolicies, clock: clock,
            metrics: metrics, logger: logger))
    }

    /// A poll-triggered run.
    @discardableResult
    func sync() async -> SyncReport { await reconciler.sync(.interval) }

    /// Runs the controllers until they settle, re-rendering Clusters being sequenced whenever they have,
    /// until neither has anything left to do (what the daemon's live watcher does, deterministically).
    func settle(maxRounds: Int = 40) async throws {
        var configuration = ProviderConfiguration()
        configuration.nameSeed = 42
        let manager = EmbeddedProviders.manager(cluster: cluster, clock: clock, configuration: configuration)
        for _ in 0..<maxRounds {
            try await manager.runUntilQuiescent(limit: .seconds(86_400), observe: Self.yieldEachStep)
            let ids = try await clusterIDs()
            let report = await reconciler.sync(.live(ids))
            if report.rendered.isEmpty && report.writes == 0 { break }
            if report.results.allSatisfy({ !$0.change.wrote }) && report.rendered.isEmpty { break }
        }
        try await manager.runUntilQuiescent(limit: .seconds(86_400), observe: Self.yieldEachStep)
        _ = await reconciler.sync(.live(try await clusterIDs()))
    }

    /// The simulation never suspends on its own (the in-memory store answers synchronously); yielding after
    /// each reconcile keeps it from holding a thread of the shared concurrency pool for seconds, which starves
    /// timing-sensitive tests of other modules running in parallel.
    static let yieldEachStep: @Sendable (SimulationStep) async throws -> Bool = { _ in
        await Task.yield()
        return true
    }

    func clusterIDs() async throws -> Set<ClusterID> {
        Set(try await cluster.list(Kinds.cluster).items.map { ClusterID(namespace: $0.namespace, name: $0.name) })
    }

    func get(_ gvk: GroupVersionKind, _ namespace: String, _ name: String) async throws -> KubeObject? {
        try await cluster.get(gvk, namespace: namespace, name: name)
    }

    func list(_ gvk: GroupVersionKind, namespace: String? = nil) async throws -> [KubeObject] {
        try await cluster.list(gvk, namespace: namespace, selector: nil).items
    }

    /// The status files the reconciler's summary renders now.
    func statusFiles() async -> [String: String] {
        guard let summary = await reconciler.currentSummary else { return [:] }
        return StatusFiles.render(summary).mapValues { String(decoding: $0, as: UTF8.self) }
    }
}

typealias ClusterID = CapstanReconciler.ClusterID

enum Kinds {
    static let cluster = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Cluster")
    static let clusterClass = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "ClusterClass")
    static let machineDeployment = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")
    static let machineSet = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineSet")
    static let machine = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine")
    static let kcp = GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmControlPlane")
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let namespace = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
}

/// Counts what the reconciler records.
final class CountingMetrics: ReconcilerMetrics, @unchecked Sendable {
    // @unchecked: every field is guarded by `lock`.
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func count(_ key: String) -> Int { lock.withLock { counts[key, default: 0] } }
    private func add(_ key: String, _ n: Int = 1) { lock.withLock { counts[key, default: 0] += n } }

    func syncFinished(duration: Duration, outcome: SyncOutcome) { add("sync.\(outcome.metricLabel)") }
    func appliedRevision(_ revision: Revision) { add("revision") }
    func applied(kind: String, count: Int) { add("applied.\(kind)", count); add("applied", count) }
    func pruned(kind: String, count: Int) { add("pruned.\(kind)", count); add("pruned", count) }
    func held(kind: String, count: Int) { add("held.\(kind)", count); add("held", count) }
    func renderErrors(count: Int) { add("renderErrors", count) }
    func policyDenials(policy: String, count: Int) { add("denials.\(policy)", count); add("denials", count) }
    func fetchError(_ reason: SourceFailureReason) { add("fetch.\(reason.rawValue)") }
    func drift(objects: Int, clusters: Int) { add("drift.objects", objects) }
}

/// The example fleet of the repository, as a file map.
enum Fixture {
    static let root = CLI.packageRoot(from: #filePath)

    static func fleetExample() throws -> [String: String] { try files(in: root.appendingPathComponent("fleet-example")) }

    static func files(in dir: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        let base = dir.standardizedFileURL.path
        guard let e = FileManager.default.enumerator(atPath: base) else { return out }
        for case let rel as String in e where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
            out[rel] = try String(contentsOfFile: base + "/" + rel, encoding: .utf8)
        }
        return out
    }

    static func policies() throws -> [FleetObject] {
        let dir = root.appendingPathComponent("policies").path
        let snapshot = FleetLoader(checkIdentity: false).load(tree: DirectoryTree(path: dir))
        return snapshot.objects.filter { !$0.path.split(separator: "/").contains("tests") && !$0.path.hasSuffix("capstan-policy-test.yaml") }
    }
}
