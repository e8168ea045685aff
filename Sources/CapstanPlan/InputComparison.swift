import CapstanFleet
import CapstanModel
import Synchronization

/// Whether a topology Cluster's render inputs are the same in two revisions: the Cluster object, its
/// ClusterClass, the templates the class references, and every CustomResourceDefinition (control-plane
/// contract versions come from them). Equal inputs against the same live state render equal objects.
final class InputComparison: Sendable {
    let base: FleetSnapshot
    let head: FleetSnapshot
    /// Whether every CRD is the same in both revisions (computed once).
    let crdsUnchanged: Bool
    private let classes = Mutex<[ObjectKey: Bool]>([:])

    init(base: FleetSnapshot, head: FleetSnapshot) {
        self.base = base
        self.head = head
        let crd = GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition")
        let b = base.objects(of: crd), h = head.objects(of: crd)
        crdsUnchanged = b.count == h.count && b.allSatisfy { o in head.object(o.key).map { $0.object.body == o.object.body } ?? false }
    }

    func same(_ key: ObjectKey) -> Bool {
        switch (base.object(key), head.object(key)) {
        case (nil, nil): true
        case (let b?, let h?): b.object.body == h.object.body
        default: false
        }
    }

    /// True when `cluster`'s inputs are identical in both revisions.
    func unchanged(cluster key: ObjectKey) -> Bool {
        guard crdsUnchanged, same(key), let c = head.object(key) else { return false }
        guard let classKey = TopologyRefs.classKey(of: c.object) else { return true }
        if let known = classes.withLock({ $0[classKey] }) { return known }
        var result = same(classKey)
        if result, let cc = head.object(classKey) {
            result = TopologyRefs.templates(of: cc.object).allSatisfy(same)
        }
        classes.withLock { $0[classKey] = result }
        return result
    }
}
