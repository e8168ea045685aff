public import CapstanDiff
public import CapstanModel
public import CapstanPolicy

/// What merging a change would do to the management cluster: per topology Cluster the objects created,
/// updated, deleted or held, why (the file:line in Git), what it means for machines, and the policy
/// verdicts — the result of `capstan plan`, rendered as text, Markdown or JSON.
public struct Plan: Sendable {
    /// The version of the JSON form (docs/plan.md); bumped on incompatible changes.
    public static let schemaVersion = 1

    public var base: RevisionSummary
    public var head: RevisionSummary
    /// Where names and upgrade state came from.
    public var liveState: LiveStateSource
    /// Topology Clusters in either revision, sorted by namespace/name.
    public var clusters: [ClusterPlan]
    /// Changes to objects that are not rendered from a Cluster (ClusterClasses, templates, Namespaces, ...).
    public var fleetObjects: [ObjectPlan]
    /// Problems not tied to a Cluster (policy configuration, unused invalid ClusterClasses).
    public var problems: [Diagnostic]

    public init(base: RevisionSummary, head: RevisionSummary, liveState: LiveStateSource, clusters: [ClusterPlan] = [],
                fleetObjects: [ObjectPlan] = [], problems: [Diagnostic] = []) {
        self.base = base
        self.head = head
        self.liveState = liveState
        self.clusters = clusters
        self.fleetObjects = fleetObjects
        self.problems = problems
    }

    /// Every object change (Clusters first, then fleet objects).
    public var allObjects: [ObjectPlan] { clusters.flatMap(\.objects) + fleetObjects }

    /// Errors in either revision (load or render) or in the policy configuration.
    public var hasErrors: Bool {
        !base.errors.isEmpty || !head.errors.isEmpty || clusters.contains { $0.status == .failed || $0.baseFailed }
            || problems.contains { $0.severity == .error }
    }

    /// Whether anything would change.
    public var hasChanges: Bool { allObjects.contains { $0.change.change.isChange } }

    /// Whether a policy denies one of the changes.
    public var hasDeny: Bool { allVerdicts.contains(where: \.denies) }

    /// Every verdict.
    public var allVerdicts: [PolicyVerdict] { allObjects.flatMap(\.verdicts) }

    /// The process exit status: 1 on errors, 3 on changes a policy denies, 2 on other changes, 0 when nothing changes.
    public var exitCode: Int32 {
        if hasErrors { return 1 }
        if hasChanges && hasDeny { return 3 }
        if hasChanges { return 2 }
        return 0
    }
}

/// One side of the comparison.
public struct RevisionSummary: Sendable {
    /// `main@sha1:…`, or the path read.
    public var label: String
    /// Load errors (YAML, identity); when any exist, nothing is compared.
    public var errors: [Diagnostic]
    public var objectCount: Int
    public var clusterCount: Int

    public init(label: String, errors: [Diagnostic] = [], objectCount: Int = 0, clusterCount: Int = 0) {
        self.label = label
        self.errors = errors
        self.objectCount = objectCount
        self.clusterCount = clusterCount
    }
}

/// Where the renderer's view of existing objects came from.
public enum LiveStateSource: Sendable, Hashable, CustomStringConvertible {
    /// No live state: the base revision is assumed applied and settled (every control plane at its version,
    /// no upgrade running), so template rotations and upgrade steps are what merging the change starts.
    case assumedFromBase
    /// Objects read from files or a management cluster (label says which).
    case given(String)

    public var description: String {
        switch self {
        case .assumedFromBase: "assumed: the base revision, applied and settled"
        case .given(let label): label
        }
    }
}

/// What happens to one topology Cluster.
public enum ClusterStatus: String, Sendable, Hashable {
    case added, removed, changed, unchanged
    /// The head revision does not render (errors in diagnostics); nothing of it is compared.
    case failed
}

/// One topology Cluster's plan.
public struct ClusterPlan: Sendable {
    public var key: ObjectKey
    public var status: ClusterStatus
    /// `namespace/name` of the ClusterClass (head, else base).
    public var className: String?
    public var baseVersion: String?
    public var headVersion: String?
    /// Object changes in apply order (unchanged objects are only counted).
    public var objects: [ObjectPlan]
    public var unchangedCount: Int
    /// Source changes in Git that this Cluster's objects follow from.
    public var causes: [Cause]
    public var impact: Impact
    /// Render errors and warnings of the head revision for this Cluster.
    public var diagnostics: [Diagnostic]
    /// True when the base revision did not render this Cluster (its errors are in `baseDiagnostics`).
    public var baseFailed: Bool
    public var baseDiagnostics: [Diagnostic]

    public init(key: ObjectKey, status: ClusterStatus) {
        self.key = key
        self.status = status
        objects = []
        unchangedCount = 0
        causes = []
        impact = Impact()
        diagnostics = []
        baseFailed = false
        baseDiagnostics = []
    }

    /// `team-a/prod-1`.
    public var displayName: String { "\(key.namespace)/\(key.name)" }

    /// Policy verdicts on this Cluster's objects.
    public var verdicts: [PolicyVerdict] { objects.flatMap(\.verdicts) }

    /// Counts of object actions.
    public var counts: ActionCounts { ActionCounts(objects.map(\.change.change)) }
}

/// Numbers of creates, updates, deletes and holds.
public struct ActionCounts: Sendable, Hashable {
    public var create = 0, update = 0, delete = 0, held = 0

    public init(_ changes: [Change] = []) {
        for c in changes {
            switch c {
            case .create: create += 1
            case .update: update += 1
            case .delete: delete += 1
            case .held: held += 1
            case .unchanged: break
            }
        }
    }

    public static func + (a: ActionCounts, b: ActionCounts) -> ActionCounts {
        var c = a
        c.create += b.create; c.update += b.update; c.delete += b.delete; c.held += b.held
        return c
    }

    public var total: Int { create + update + delete + held }
}

/// One object's change in the plan.
public struct ObjectPlan: Sendable {
    public var change: ObjectChange
    /// The topology role (`machine-deployment/md-0`), for rendered objects.
    public var role: String?
    /// Explanations: rotation, garbage collection with the Cluster, waiting for an upgrade.
    public var notes: [String]
    /// The Git changes this object's change follows from.
    public var causes: [Cause]
    /// Unified diff of the YAML of both sides (Secret values masked).
    public var diff: String
    /// Policy verdicts for this change (CREATE/UPDATE/DELETE).
    public var verdicts: [PolicyVerdict]

    public init(change: ObjectChange, role: String? = nil, notes: [String] = [], causes: [Cause] = [], diff: String = "", verdicts: [PolicyVerdict] = []) {
        self.change = change
        self.role = role
        self.notes = notes
        self.causes = causes
        self.diff = diff
        self.verdicts = verdicts
    }

    public var key: ObjectKey { change.key }
}

/// A changed field in a Git file that a rendered change follows from.
public struct Cause: Sendable, Hashable {
    /// Where the field is written (the head revision's file, or the base's for a removal).
    public var location: SourceLocation?
    /// The Git object holding the field.
    public var object: ObjectKey
    public var change: FieldChange

    public init(location: SourceLocation?, object: ObjectKey, change: FieldChange) {
        self.location = location
        self.object = object
        self.change = change
    }

    /// `clusters/team-a/prod-1.yaml:24:14: Cluster team-a/prod-1: spec.topology.version: v1.30.6 → v1.31.2`.
    public var description: String {
        ([location?.description, object.description].compactMap { $0 } + [change.description]).joined(separator: ": ")
    }
}
