public import CapstanFleet
import CapstanModel
import CapstanPolicy
import Synchronization

/// The GitOps loop: keeps the management cluster equal to the fleet in Git and remembers what it did, for
/// status reports and for the next run.
///
/// One run is a list of named steps, each in its own file (`FleetReconciler+<Step>.swift`), passing one
/// `SyncScope`. Runs are triggered by a new source revision (poll or webhook), by live changes of Clusters
/// that are being sequenced through an upgrade, and by the drift check; the daemon runs one at a time.
public actor FleetReconciler {
    let env: ReconcilerEnvironment
    /// Parsed files of the last revision, reused for unchanged blobs.
    var files = FleetFileCache()
    /// The last revision loaded.
    var state: RevisionState?
    /// The revision whose run finished (without a transient failure); polling it again is a no-op.
    var processedRevisionID: String?
    /// The fleet's inventory as stored in the management cluster (loaded on the first run).
    var inventory: Inventory?
    /// The inventory as last stored (a run stores only when it changed).
    var storedInventory: Inventory?
    /// How the last source-triggered run ended.
    var lastOutcome: SyncOutcome?
    /// Whether the inventory's namespace was applied by this process.
    var inventoryNamespaceReady = false
    /// Per-Cluster memory for status reports.
    var records: [ClusterID: ClusterRecord] = [:]
    /// Admission verdicts of Git objects by input hash (only changed objects are evaluated again).
    var gitVerdicts: [ObjectKey: (hash: String, verdicts: [PolicyVerdict])] = [:]
    /// Git objects of the last validated revision (the old side of UPDATE admission requests).
    var previousObjects: [ObjectKey: KubeObject] = [:]
    /// The policy engine of the last revision and the hash of its inputs.
    var policyCache: (hash: String, engine: PolicyEngine)?
    /// Deletions the last revision held back.
    var heldDeletions: [ObjectResult] = []
    /// The last drift check's findings.
    var lastDrift: DriftFindings?
    /// Status as of the end of the last run or observation.
    var summary: StatusSummary?
    /// Writes to the management cluster so far (shared with concurrent Cluster pipelines).
    let writeCount = WriteCounter()

    public init(environment: ReconcilerEnvironment) {
        env = environment
    }

    /// One run of the loop.
    public func sync(_ trigger: SyncTrigger) async -> SyncReport {
        var scope = SyncScope(trigger: trigger)
        do {
            try await fetchSource(&scope)
            if case .drift = scope.trigger {
                try await checkDrift(&scope)
            } else if !scope.upToDate {
                try await loadFleet(&scope)
                try await validate(&scope)
                try await render(&scope)
                try await diff(&scope)
                try await apply(&scope)
                try await prune(&scope)
            }
            try await observe(&scope)
        } catch {
            scope.failure = SyncFailure.outcome(for: error)
        }
        return await report(&scope)
    }

    /// The status summary as of the last run or observation (nil before the first run).
    public var currentSummary: StatusSummary? { summary }

    /// The revision last loaded.
    public var currentRevision: Revision? { state?.revision }

    /// The fleet's name, once a revision is loaded.
    public var loadedFleetName: String? { state?.config.fleetName }

    /// The configuration in force (defaults and operator layers before the first revision).
    public var configuration: FleetConfig {
        state?.config ?? FleetConfigLayer.resolve(env.operatorLayers.map { ($0, .everything) })
    }
}

/// Counts writes across concurrent tasks and calls the environment's hook after each.
final class WriteCounter: Sendable {
    private let count = Atomic<Int>(0)
    /// Counts one write; returns the total.
    func increment() -> Int { count.add(1, ordering: .relaxed).newValue }
    var value: Int { count.load(ordering: .relaxed) }
}
