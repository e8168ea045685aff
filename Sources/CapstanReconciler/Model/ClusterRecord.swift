import CapstanModel
import CapstanTopology

/// What the daemon remembers about one Cluster between runs: what it applied, what went wrong, what it last
/// saw live. The status summary is built from these.
struct ClusterRecord: Sendable {
    let id: ClusterID
    /// Where the Cluster is written in Git.
    var location: SourceLocation?
    /// `namespace/name` of its ClusterClass.
    var className: String?
    /// The topology version Git asks for.
    var topologyVersion: String?
    /// The revision last applied to this Cluster (`main@sha1:<id>`).
    var appliedRevision: String?
    /// The input hash of the last render (applied or not).
    var renderedHash: String?
    /// Why the last run did not apply the Cluster completely (file:line when known).
    var lastError: String?
    /// Warn verdicts of policies on the Cluster's own document (set when it is validated).
    var policyWarnings: [String] = []
    /// Render warnings and Warn verdicts on its rendered objects (set when it is rendered).
    var renderWarnings: [String] = []
    /// Everything worth reporting as a warning.
    var warnings: [String] { policyWarnings + renderWarnings }
    /// The upgrade state the last render saw.
    var upgrade: UpgradeSummary?
    /// True while live changes must re-render the Cluster (an upgrade or deferred create is sequenced).
    var sequencing = false
    /// Deletions (of this Cluster, or of topology objects it no longer wants) that were not made, with reasons.
    var heldDeletions: [String] = []
    /// What the management cluster showed the last time it was read.
    var observed: ObservedCluster?
    /// Whether Git still wants the Cluster.
    var wanted = true
    /// Whether Capstan deleted the Cluster (it may take a while to go).
    var deleted = false

    init(id: ClusterID) { self.id = id }
}

/// A Cluster as the management cluster shows it, reduced to what status reports carry (no times, no
/// Secret data, nothing that changes without meaning something).
struct ObservedCluster: Sendable, Hashable {
    /// One condition, without its transition time.
    struct Condition: Sendable, Hashable {
        var type: String
        var status: String
        var reason: String
        var message: String
    }

    /// Replica counts of the control plane or a worker pool.
    struct Replicas: Sendable, Hashable {
        var desired: Int64?
        var ready: Int64?
        var updated: Int64?
        var available: Int64?
    }

    /// One MachineDeployment or MachinePool of the topology.
    struct Worker: Sendable, Hashable {
        var name: String
        var kind: String
        var version: String?
        var replicas: Replicas
        var rollingOut: Bool
    }

    var exists = false
    var deleting = false
    var phase: String?
    var conditions: [Condition] = []
    var controlPlaneVersion: String?
    var controlPlane = Replicas()
    var workers: [Worker] = []
    /// Versions the control plane still has to go through.
    var upgradePlan: [String] = []

    /// The condition of a type, if present.
    func condition(_ type: String) -> Condition? { conditions.first { $0.type == type } }

    /// True when the Cluster's `Available` condition is True.
    var available: Bool { condition("Available")?.status == "True" }
}
