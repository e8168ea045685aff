import CapstanFleet
import CapstanModel

/// The data of one run of the loop, handed from step to step.
struct SyncScope: Sendable {
    let trigger: SyncTrigger
    let started: ContinuousClock.Instant
    /// The revision this run works on.
    var revision: Revision?
    /// The revision state (new when the source moved, else the last one).
    var state: RevisionState?
    /// True when the source revision is the one already processed and no other trigger asks for work.
    var upToDate = false
    /// Paths whose content changed since the last revision.
    var changedPaths: Set<String> = []
    var filesParsed = 0
    /// Git objects planned this run (changed inputs), in phase order.
    var gitPlans: [PlannedObject] = []
    /// Topology Clusters rendered this run.
    var clusterPlans: [ClusterID: ClusterPlan] = [:]
    /// Results of deletions (pruned or held).
    var deletions: [ObjectResult] = []
    /// Results of Git objects (applied, unchanged, denied).
    var gitResults: [ObjectResult] = []
    /// Errors of this run not tied to one object (the source failed, the management cluster failed).
    var failure: SyncOutcome?
    /// Clusters to observe at the end of the run.
    var observe: Set<ClusterID> = []
    /// Writes made so far (for the crash-test hook and the logs).
    var writes = 0

    init(trigger: SyncTrigger, started: ContinuousClock.Instant = .now) {
        self.trigger = trigger
        self.started = started
    }

    /// Every object result of the run.
    var results: [ObjectResult] {
        gitResults + clusterPlans.keys.sorted().flatMap { clusterPlans[$0]!.results } + deletions
    }

    /// True when the run hit an error anywhere (revision problems, a Cluster that failed, a failed write).
    var hasErrors: Bool {
        (state?.hasErrors ?? false) || failure != nil || clusterPlans.values.contains { $0.problem != nil }
            || gitResults.contains { if case .held = $0.change { true } else { false } }
    }
}
