import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology

/// Everything derived from one fleet revision that later runs reuse (live triggers re-render at the last
/// revision): the snapshot, the configuration, the policy engine, input hashes and the renderer.
struct RevisionState: Sendable {
    var revision: Revision
    var snapshot: FleetSnapshot
    var config: FleetConfig
    /// Problems of the revision as a whole: YAML and identity errors, configuration problems, policy
    /// problems, Git objects denied; with file:line.
    var problems: [Diagnostic]
    var policies: PolicyEngine
    var policyHash: String
    var hashes: InputHashes
    /// Objects from Git to apply (not topology Clusters, not configuration, not policy-directory files).
    var gitObjects: [FleetObject]
    /// Topology Clusters by id (not those annotated for deletion).
    var clusters: [ClusterID: FleetObject]
    /// Clusters whose file asks for their deletion (`capstan.io/delete: "true"`).
    var deletionRequests: Set<ClusterID>
    /// Templates some ClusterClass of the fleet references (applied with the classes).
    var classTemplates: Set<ObjectKey>
    /// Objects of Git whose admission denied them, with the verdict lines.
    var denied: [ObjectKey: [String]]
    var renderer: TopologyRenderer
    /// The reads the renderer's class contexts used (CustomResourceDefinitions and the like).
    var fleetReads: LiveReads
    /// False when the fleet's configuration has errors: nothing of the revision is applied.
    var configValid: Bool

    /// True when anything in the revision is an error (nothing is deleted then).
    var hasErrors: Bool { problems.contains { $0.severity == .error } }

    /// Every key the revision wants to exist (Git objects and topology Clusters).
    var desiredKeys: Set<ObjectKey> {
        Set(gitObjects.map(\.key)).union(clusters.values.map(\.key))
    }
}
