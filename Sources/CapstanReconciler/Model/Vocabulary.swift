import CapstanDiff

/// The one place that names what Capstan writes into the management cluster: field managers, labels,
/// annotations, and the `TopologyReconciled` condition with its reasons (Cluster API v1beta2 names, as the
/// upstream topology controller sets them in `reconcileTopologyReconciledCondition`).
public enum Vocabulary {
    /// Field manager for objects as written in Git (applied without force unless `force: true`); shared with
    /// the drift check and `capstan plan` through `CapstanDiff.FieldManagers`.
    public static let gitManager = FieldManagers.git
    /// Field manager for rendered topology objects and the topology-owned fields of a Cluster (refs, labels,
    /// annotations), applied with force, like upstream's `capi-topology`.
    public static let topologyManager = FieldManagers.topology
    /// Field manager for Capstan's own bookkeeping (the inventory and its namespace). Not a Git or topology
    /// manager, so the drift check never counts the inventory as an object the fleet no longer wants.
    public static let inventoryManager = "capstan-inventory"

    /// Label on every object Capstan applies: the fleet it belongs to.
    public static let fleetLabel = "capstan.io/fleet"
    /// Annotation on objects from Git: `path:line` of the document that defines them.
    public static let sourceAnnotation = "capstan.io/source"
    /// Annotation a Cluster file keeps to ask for the Cluster's deletion (`"true"`).
    public static let deleteAnnotation = "capstan.io/delete"

    /// Namespace of Capstan's own bookkeeping objects (the inventory).
    public static let systemNamespace = "capstan-system"

    /// The API group of Capstan's configuration kinds (`FleetConfig`); never applied.
    public static let configGroup = "capstan.io"
    /// The kind of `capstan.yaml`.
    public static let fleetConfigKind = "FleetConfig"
    /// The file the fleet configuration lives in, at the fleet root.
    public static let fleetConfigFile = "capstan.yaml"

    /// Cluster API labels the reconciler reads.
    static let clusterNameLabel = "cluster.x-k8s.io/cluster-name"
    static let topologyOwnedLabel = "topology.cluster.x-k8s.io/owned"
    static let capiGroup = "cluster.x-k8s.io"
}

/// The condition Capstan owns on topology Clusters and its reasons.
public enum TopologyCondition {
    /// `TopologyReconciled`: every object of the topology matches what the Cluster asks for.
    public static let type = "TopologyReconciled"
    /// Everything is applied and nothing is held back.
    public static let succeeded = "ReconcileSucceeded"
    /// Rendering, admission or applying failed; the message says why (file:line when known).
    public static let failed = "ReconcileFailed"
    /// An upgrade (or a deferred create) is still being sequenced.
    public static let upgrading = "ClusterUpgrading"
    /// Every remaining upgrade step is deferred by annotations.
    public static let upgradeDeferred = "MachineDeploymentsUpgradeDeferred"
    /// The Cluster is being deleted.
    public static let deleting = "Deleting"
}
