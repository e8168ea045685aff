/// Everything that configures the loop, resolved: defaults, then the fleet's `capstan.yaml` at the revision
/// being applied, then the operator's settings (`--config FILE`, environment `CAPSTAN_*`, flags), later
/// layers winning. See docs/configuration.md.
public struct FleetConfig: Sendable, Hashable {
    /// The fleet's name (`metadata.name` of the FleetConfig): the inventory's name and the value of the
    /// `capstan.io/fleet` label on everything applied.
    public var fleetName = "default"
    /// Where the fleet comes from (bootstrap: operator layers only).
    public var source = SourceSettings()
    /// Time between polls when nothing else wakes the daemon.
    public var pollInterval: Duration = .seconds(60)
    /// Random spread added to each interval, as a fraction of it (0.1: up to 10 % longer).
    public var pollJitter = 0.1
    /// Where status reports go and how often they may be committed.
    public var status = StatusSettings()
    /// The management cluster (bootstrap: operator layers only).
    public var management = ManagementSettings()
    /// Pruning and Cluster deletion.
    public var deletion = DeletionPolicy()
    /// Directories inside the fleet holding ValidatingAdmissionPolicies, bindings and their parameters.
    /// Their files are policy inputs, not fleet objects.
    public var policyDirectories: [String] = []
    /// The periodic drift check.
    public var drift = DriftSettings()
    /// The HTTP listen address (bootstrap: operator layers only).
    public var httpAddress = "127.0.0.1:8080"
    /// Apply objects from Git with force (take over fields other managers own instead of reporting a conflict).
    public var force = false

    public init() {}

    /// The fleet's source repository.
    public struct SourceSettings: Sendable, Hashable {
        public var repository: String?
        public var ref: String?
        public var path: String?
        public init() {}
    }

    /// Where status reports are committed.
    public enum StatusTarget: Sendable, Hashable, CustomStringConvertible {
        /// A branch of its own (default `capstan-status`); status files at its root.
        case branch(String)
        /// A directory on the source branch (exclude it from the fleet with `.capstanignore`).
        case path(String)

        public var description: String {
            switch self {
            case .branch(let b): "branch \(b)"
            case .path(let p): "path \(p) on the source branch"
            }
        }
    }

    /// Status report settings.
    public struct StatusSettings: Sendable, Hashable {
        public var target = StatusTarget.branch("capstan-status")
        /// At most one status commit per interval while things move.
        public var interval: Duration = .seconds(10)
        public init() {}
    }

    /// The management cluster: only the embedded one (SQLite store + embedded controllers) exists today.
    public struct ManagementSettings: Sendable, Hashable {
        /// The state directory (store, Git mirrors); nil: `$CAPSTAN_STATE_DIR`, else `.state`.
        public var stateDirectory: String?
        /// Simulated provisioning latencies of the embedded infrastructure provider, by name
        /// (`cluster`, `machine`, `node`, `deprovision`, `inPlaceUpdate`).
        public var provisioning: [String: Duration] = [:]
        public init() {}

        /// The latency names `provisioning` accepts.
        public static let latencyNames = ["cluster", "machine", "node", "deprovision", "inPlaceUpdate"]
    }

    /// What may be deleted.
    public struct DeletionPolicy: Sendable, Hashable {
        /// Delete objects (other than Clusters) that left Git.
        public var prune = true
        /// Clusters that may be deleted when they leave Git (`namespace/name`).
        public var approved: Set<ClusterID> = []
        /// At most this many Clusters are deleted per revision; the rest are held.
        public var clusterBudget = 1
        public init() {}
    }

    /// The drift check.
    public struct DriftSettings: Sendable, Hashable {
        /// How often to compare the management cluster with the last applied revision; nil: never.
        public var interval: Duration?
        public var mode = DriftMode.report
        public init() {}
    }

    /// What a drift check does with what it finds.
    public enum DriftMode: String, Sendable, Hashable, CaseIterable {
        /// Report drift in the status commit and metrics only.
        case report
        /// Report it and apply the last applied revision again.
        case correct
    }
}
