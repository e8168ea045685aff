public import CapstanFleet
import CapstanModel

extension PolicyEngine {
    /// Evaluates every object of a fleet revision: CREATE for objects that are new (or every object
    /// without a `base`), UPDATE with the base revision's object as `oldObject`, and DELETE for objects
    /// the base has and the revision dropped. Policies and bindings themselves are not checked (a
    /// ValidatingAdmissionPolicy never matches admission policy objects).
    public func evaluate(fleet: FleetSnapshot, base: FleetSnapshot? = nil) -> PolicyEvaluation {
        var total = PolicyEvaluation()
        func add(_ e: PolicyEvaluation) { total.merge(e) }
        var seen = Set<ObjectKey>()
        for o in fleet.objects where !Self.isAdmissionPolicyObject(o.key) && seen.insert(o.key).inserted {
            if let old = base?.object(o.key) {
                add(evaluate(.update(o.object, from: old.object, at: o.location)))
            } else {
                add(evaluate(.create(o.object, at: o.location)))
            }
        }
        if let base {
            for o in base.objects where !Self.isAdmissionPolicyObject(o.key) && fleet.object(o.key) == nil && seen.insert(o.key).inserted {
                add(evaluate(.delete(o.object, at: o.location)))
            }
        }
        return total
    }

    /// Policies never match ValidatingAdmissionPolicy or ValidatingAdmissionPolicyBinding objects.
    static func isAdmissionPolicyObject(_ key: ObjectKey) -> Bool {
        key.group == AdmissionKinds.group && (key.kind == AdmissionKinds.policy || key.kind == AdmissionKinds.binding)
    }
}
