import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology

/// What one run knows about one topology Cluster: its Git document, inputs, render, admission verdicts, the
/// objects to apply and what happened to them.
struct ClusterPlan: Sendable {
    let id: ClusterID
    let source: FleetObject
    let inputHash: String
    /// The live objects read for the render (fresh for this run).
    var reads = LiveReads()
    var render: ClusterRender?
    /// Verdicts for the Cluster's own document and its rendered objects.
    var verdicts: [PolicyVerdict] = []
    /// The Cluster (its Git part and its topology part) and its rendered objects, in apply order.
    var objects: [PlannedObject] = []
    var results: [ObjectResult] = []
    var problem: ClusterProblem?
    /// Deletions the render planned that this run did not make (held).
    var heldDeletions: [ObjectResult] = []

    init(id: ClusterID, source: FleetObject, inputHash: String) {
        self.id = id
        self.source = source
        self.inputHash = inputHash
    }

    var key: ObjectKey { source.key }

    /// True when the render owner references carry the placeholder uid (the Cluster is not live yet).
    var needsSecondRender: Bool {
        render?.objects.contains { $0.hints.contains(.placeholderOwnerUID) } ?? false
    }

    /// True when this run left nothing of the Cluster undone: no problem, nothing held.
    var complete: Bool {
        problem == nil && heldDeletions.isEmpty && !results.contains { if case .held = $0.change { true } else { false } }
    }
}
