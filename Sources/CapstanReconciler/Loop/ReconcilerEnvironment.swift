public import CapstanCluster
public import CapstanFleet
public import CapstanPlan
public import Logging

/// The ports and settings a `FleetReconciler` works with.
public struct ReconcilerEnvironment: Sendable {
    /// Where revisions come from.
    public var source: any RevisionSource
    /// The management cluster.
    public var cluster: any ManagementCluster
    /// The operator's configuration layers (`--config FILE`, environment, flags), lowest first; they win
    /// over the fleet's own `capstan.yaml`.
    public var operatorLayers: [FleetConfigLayer]
    /// Policy objects from directories outside the fleet (`--policies DIR`).
    public var localPolicies: [FleetObject]
    /// Prefix of fleet paths in messages (the fleet's directory inside the repository, with a slash).
    public var displayPrefix: String
    /// Wall time, for condition transition times.
    public var clock: any WallClock
    public var metrics: any ReconcilerMetrics
    public var logger: Logger
    /// How many Clusters are rendered and applied at once.
    public var concurrency: Int
    /// The drift computation of the periodic drift check (CapstanPlan's, shared with `capstan drift`; its
    /// detector says which field managers' values are never drift).
    public var drift: DriftCheck
    /// Called after every write to the management cluster with the number of writes so far in the process
    /// (a testing aid: the daemon's hidden `--crash-after-writes` kills itself here).
    public var afterWrite: (@Sendable (Int) -> Void)?

    public init(
        source: any RevisionSource, cluster: any ManagementCluster, operatorLayers: [FleetConfigLayer] = [],
        localPolicies: [FleetObject] = [], displayPrefix: String = "", clock: any WallClock,
        metrics: any ReconcilerMetrics = NoMetrics(), logger: Logger = Logger(label: "capstan.reconciler"),
        concurrency: Int = 4, drift: DriftCheck = DriftCheck(), afterWrite: (@Sendable (Int) -> Void)? = nil
    ) {
        self.drift = drift
        self.source = source
        self.cluster = cluster
        self.operatorLayers = operatorLayers
        self.localPolicies = localPolicies
        self.displayPrefix = displayPrefix
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        self.concurrency = max(1, concurrency)
        self.afterWrite = afterWrite
    }
}
