public import CapstanModel

/// What a drift check found: objects whose fields Capstan owns differ from the last applied revision.
public struct DriftFindings: Sendable, Hashable {
    /// One drifted object.
    public struct Object: Sendable, Hashable {
        public var key: ObjectKey
        /// The Cluster it belongs to, if any.
        public var cluster: ClusterID?
        /// What differs, as short lines (field paths).
        public var details: [String]

        public init(key: ObjectKey, cluster: ClusterID?, details: [String]) {
            self.key = key
            self.cluster = cluster
            self.details = details
        }
    }

    /// The revision compared against.
    public var revision: String
    public var mode: FleetConfig.DriftMode
    public var objects: [Object]
    /// True when the drift was corrected (mode `correct`).
    public var corrected: Bool

    public init(revision: String, mode: FleetConfig.DriftMode, objects: [Object], corrected: Bool) {
        self.revision = revision
        self.mode = mode
        self.objects = objects
        self.corrected = corrected
    }

    /// Drifted objects by Cluster.
    public var byCluster: [ClusterID: [Object]] {
        Dictionary(grouping: objects.filter { $0.cluster != nil }, by: { $0.cluster! })
    }
}
