import CapstanCluster
import CapstanModel
import CapstanTopology

/// One object a run means to apply: the body sent with server-side apply, the field manager, when it goes,
/// and what the diff found.
struct PlannedObject: Sendable {
    var object: KubeObject
    var manager: String
    var force: Bool
    /// The apply phase (Git objects) or the topology order (rendered objects); lower goes first.
    var order: Int
    var hints: [ApplyHint] = []
    /// Where the object is written in Git (rendered objects: the Cluster's document).
    var location: SourceLocation?
    /// The live object the diff compared against (nil: it does not exist).
    var live: KubeObject?
    /// What the diff found; nil before the diff.
    var change: ObjectChange?
    /// The object as the dry run said it would be stored (nil for create-without-dry-run and held objects).
    var dryRun: KubeObject?
    /// Why the management cluster refused the object (a conflict with another field manager, invalid).
    var error: String?

    var key: ObjectKey { object.key }
}

/// The apply phases of objects from Git: Namespaces and CRDs, then ClusterClasses and their templates, then
/// Clusters (each with its topology), then everything else. Deletions go in the reverse order.
enum ApplyPhase: Int, Sendable, Comparable, CaseIterable {
    case definitions = 1
    case classes = 2
    case clusters = 3
    case rest = 4

    static func < (a: ApplyPhase, b: ApplyPhase) -> Bool { a.rawValue < b.rawValue }

    /// The phase of a Git object, given the keys every ClusterClass references.
    static func of(_ key: ObjectKey, classTemplates: Set<ObjectKey>) -> ApplyPhase {
        switch (key.group, key.kind) {
        case ("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition"): return .definitions
        case (Vocabulary.capiGroup, "ClusterClass"): return .classes
        case (Vocabulary.capiGroup, "Cluster"): return .clusters
        default: return classTemplates.contains(key) ? .classes : .rest
        }
    }
}

/// Why a Cluster of this run was not (completely) applied.
enum ClusterProblem: Sendable, Hashable {
    /// The render failed (the diagnostic names file:line).
    case renderFailed(Diagnostic)
    /// A policy denied the Cluster or one of its rendered objects.
    case denied([String])
    /// The management cluster refused a write (a conflict with another field manager, invalid).
    case applyFailed(String)
    /// The management cluster could not be reached or failed; worth retrying.
    case transient(String)

    /// The message status reports show.
    var message: String {
        switch self {
        case .renderFailed(let d): d.description
        case .denied(let reasons): reasons.joined(separator: "\n")
        case .applyFailed(let m), .transient(let m): m
        }
    }

    var isTransient: Bool { if case .transient = self { true } else { false } }
}
