public import CapstanModel
public import CapstanPolicy

extension PolicyEngine {
    /// Admits the objects rendered for one topology Cluster, as the management cluster's API server would
    /// when the topology controller applies them: CREATE for an object that is not live, UPDATE (with the live
    /// object as `oldObject`) for one that is. The Cluster itself is skipped: it is admitted as the fleet
    /// object it comes from. Verdicts point at `derivedFrom`, the Cluster's file and line, since a rendered
    /// object has no file of its own. `validate`, `plan` and the daemon all admit rendered objects this way.
    public func evaluate(
        render: ClusterRender, derivedFrom: SourceLocation?, live: (ObjectKey) -> KubeObject? = { _ in nil }
    ) -> PolicyEvaluation {
        var total = PolicyEvaluation()
        for d in render.objects {
            if case .cluster = d.role { continue }
            if let old = live(d.object.key) {
                total.merge(evaluate(.update(d.object, from: old, derivedFrom: derivedFrom)))
            } else {
                total.merge(evaluate(.create(d.object, derivedFrom: derivedFrom)))
            }
        }
        return total
    }
}
