import CapstanModel

/// The fleet's status in one value: what the status reports (`status/<ns>/<name>.yaml`, `STATUS.md`,
/// `drift/...`) are written from. Built in one place (`FleetReconciler.summarize`) at the end of every run and
/// observation. Holds no Secret data and no timestamps, so equal states give equal files and no commit.
public struct StatusSummary: Sendable, Hashable {
    public var fleet: String
    /// The source revision the daemon last loaded (`main@sha1:<id>`).
    public var revision: String?
    /// How the last run ended (`synced`, `stalled: ...`).
    public var outcome: String
    public var clusters: [ClusterStatus]
    /// Problems of the revision not tied to one Cluster, `file:line:col: ...` first.
    public var errors: [String]
    public var warnings: [String]
    /// Deletions held back, with the reason.
    public var heldDeletions: [Held]
    /// The last drift check, when one ran.
    public var drift: DriftFindings?

    /// A held deletion.
    public struct Held: Sendable, Hashable {
        public var object: String
        public var reason: String
    }

    /// One Cluster's status.
    public struct ClusterStatus: Sendable, Hashable {
        public var namespace: String
        public var name: String
        /// `path:line` of its Git document.
        public var source: String?
        public var className: String?
        /// The revision last applied to it.
        public var appliedRevision: String?
        /// The version Git asks for.
        public var topologyVersion: String?
        public var controlPlaneVersion: String?
        public var phase: String?
        /// True when the Cluster's `Available` condition is True.
        public var available: Bool
        public var exists: Bool
        public var deleting: Bool
        /// Git no longer lists the Cluster (its deletion is held or in progress).
        public var removedFromGit: Bool
        public var conditions: [Condition]
        public var controlPlane: Replicas
        public var workers: [Worker]
        /// An upgrade or rollout in progress, and the versions still ahead.
        public var rolloutInProgress: Bool
        public var upgradePlan: [String]
        public var heldDeletions: [String]
        public var lastError: String?
        public var warnings: [String]

        public var id: String { "\(namespace)/\(name)" }
    }

    /// A condition without its time.
    public struct Condition: Sendable, Hashable {
        public var type: String
        public var status: String
        public var reason: String
        public var message: String
    }

    /// Replica counts.
    public struct Replicas: Sendable, Hashable {
        public var desired: Int64?
        public var ready: Int64?
        public var updated: Int64?
        public var available: Int64?
    }

    /// A MachineDeployment or MachinePool.
    public struct Worker: Sendable, Hashable {
        public var name: String
        public var kind: String
        public var version: String?
        public var replicas: Replicas
        public var rollingOut: Bool
    }
}
