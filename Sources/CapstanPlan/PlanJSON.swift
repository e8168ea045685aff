import CapstanCluster
import CapstanDiff
public import CapstanModel
import CapstanPolicy

extension Plan {
    /// The plan as a JSON value (schema in docs/plan.md, `version` = `Plan.schemaVersion`). Keys come in a
    /// fixed order and lists in plan order, so the serialised form is stable.
    public var json: Value {
        let s = PlanSummary(self)
        var m: ObjectMap = ["version": .int(Int64(Self.schemaVersion))]
        m["base"] = Self.revision(base)
        m["head"] = Self.revision(head)
        switch liveState {
        case .assumedFromBase: m["liveState"] = ["source": "assumedFromBase"]
        case .given(let label): m["liveState"] = ["source": "given", "label": .string(label)]
        }
        m["summary"] = [
            "exitCode": .int(Int64(exitCode)),
            "clusters": ["added": .int(Int64(s.added)), "changed": .int(Int64(s.changed)), "removed": .int(Int64(s.removed)),
                         "unchanged": .int(Int64(s.unchanged)), "failed": .int(Int64(s.failed))],
            "objects": Self.counts(s.objects),
            "machines": Self.machines(s.machines),
            "policy": ["deny": .int(Int64(s.deny)), "warn": .int(Int64(s.warn))],
            "deletionsAwaitingApproval": .int(Int64(s.deletionsHeld)),
        ]
        m["clusters"] = .list(clusters.map(Self.cluster))
        m["fleetObjects"] = .list(fleetObjects.map(Self.object))
        m["problems"] = .list(problems.map(Self.diagnostic))
        return .map(m)
    }

    static func revision(_ r: RevisionSummary) -> Value {
        ["label": .string(r.label), "objects": .int(Int64(r.objectCount)), "clusters": .int(Int64(r.clusterCount)),
         "errors": .list(r.errors.map(diagnostic))]
    }

    static func counts(_ c: ActionCounts) -> Value {
        ["create": .int(Int64(c.create)), "update": .int(Int64(c.update)), "delete": .int(Int64(c.delete)), "held": .int(Int64(c.held))]
    }

    static func machines(_ m: MachineCounts) -> Value {
        ["replaced": .int(Int64(m.replaced)), "created": .int(Int64(m.created)), "deleted": .int(Int64(m.deleted))]
    }

    static func optional(_ s: String?) -> Value { s.map(Value.string) ?? .null }
    static func optional(_ i: Int?) -> Value { i.map { .int(Int64($0)) } ?? .null }

    static func cluster(_ c: ClusterPlan) -> Value {
        var m: ObjectMap = [
            "namespace": .string(c.key.namespace), "name": .string(c.key.name), "status": .string(c.status.rawValue),
            "class": optional(c.className), "version": ["base": optional(c.baseVersion), "head": optional(c.headVersion)],
            "counts": counts(c.counts), "unchanged": .int(Int64(c.unchangedCount)),
        ]
        m["causes"] = .list(c.causes.map(cause))
        m["impact"] = impact(c.impact)
        m["objects"] = .list(c.objects.map(object))
        m["diagnostics"] = .list(c.diagnostics.map(diagnostic))
        m["baseDiagnostics"] = .list(c.baseDiagnostics.map(diagnostic))
        return .map(m)
    }

    static func cause(_ c: Cause) -> Value {
        ["location": optional(c.location?.description), "object": key(c.object), "field": fieldChange(c.change)]
    }

    static func key(_ k: ObjectKey) -> Value {
        ["group": .string(k.group), "kind": .string(k.kind), "namespace": .string(k.namespace), "name": .string(k.name)]
    }

    static func fieldChange(_ f: FieldChange) -> Value {
        var m: ObjectMap = ["path": .string(f.path.display), "op": .string(f.operation.rawValue)]
        m["old"] = f.old ?? .null
        m["new"] = f.new ?? .null
        return .map(m)
    }

    static func object(_ o: ObjectPlan) -> Value {
        var m: ObjectMap = [
            "apiVersion": .string(o.change.apiVersion), "kind": .string(o.key.kind), "namespace": .string(o.key.namespace),
            "name": .string(o.key.name), "role": optional(o.role), "action": .string(o.change.change.action),
        ]
        if case .held(let reason) = o.change.change { m["heldReason"] = .string(reason) }
        m["fields"] = .list(o.change.change.fieldChanges.map(fieldChange))
        m["notes"] = .list(o.notes.map(Value.string))
        m["causes"] = .list(o.causes.map(cause))
        m["diff"] = .string(o.diff)
        m["policy"] = .list(o.verdicts.map(verdict))
        return .map(m)
    }

    static func verdict(_ v: PolicyVerdict) -> Value {
        var m: ObjectMap = [
            "policy": .string(v.policy), "binding": optional(v.binding), "actions": .list(v.actions.map { .string($0.rawValue) }),
            "message": .string(v.message), "reason": .string(v.reason.rawValue), "location": optional(v.location?.description),
        ]
        m["locationIsDerived"] = .bool(v.locationIsDerived)
        return .map(m)
    }

    static func diagnostic(_ d: Diagnostic) -> Value {
        ["severity": .string(d.severity.rawValue), "location": optional(d.location?.description), "object": optional(d.object),
         "fieldPath": optional(d.fieldPath), "message": .string(d.message)]
    }

    static func rollout(_ r: Rollout?) -> Value {
        guard let r else { return .null }
        return ["machines": optional(r.machines), "steps": optional(r.steps),
                "strategy": ["type": .string(r.strategy.kind.rawValue), "maxSurge": .int(Int64(r.strategy.maxSurge)), "maxUnavailable": .int(Int64(r.strategy.maxUnavailable))],
                "reasons": .list(r.reasons.map(Value.string))]
    }

    static func scale(_ s: Scale?) -> Value {
        guard let s else { return .null }
        return ["from": .int(Int64(s.from)), "to": .int(Int64(s.to))]
    }

    static func impact(_ i: Impact) -> Value {
        var m: ObjectMap = ["machines": machines(i.machines)]
        if let cp = i.controlPlane {
            m["controlPlane"] = ["kind": .string(cp.kind), "name": .string(cp.name), "replicas": optional(cp.replicas), "rollout": rollout(cp.rollout),
                                 "scale": scale(cp.scale), "inPlace": .list(cp.inPlace.map(Value.string)), "held": optional(cp.held)]
        } else {
            m["controlPlane"] = .null
        }
        m["workers"] = .list(i.workers.map { w in
            ["kind": .string(w.kind), "topology": .string(w.topology), "name": .string(w.name), "action": .string(w.action.rawValue),
             "rollout": rollout(w.rollout), "scale": scale(w.scale), "inPlace": .list(w.inPlace.map(Value.string)), "held": optional(w.held),
             "machines": machines(w.machines)]
        })
        if let u = i.upgrade {
            m["upgrade"] = ["from": .string(u.from), "to": .string(u.to), "controlPlaneSteps": .list(u.controlPlaneSteps.map(Value.string)),
                            "workerSteps": .list(u.workerSteps.map(Value.string)), "workerOrder": .list(u.workerOrder.map(Value.string)),
                            "concurrency": .int(Int64(u.concurrency)),
                            "deferred": .map(ObjectMap(u.deferred.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) })),
                            "controlPlaneReplicas": optional(u.controlPlaneReplicas)]
        } else {
            m["upgrade"] = .null
        }
        if let d = i.deletion {
            m["deletion"] = ["requiresApproval": .bool(d.requiresApproval), "reason": .string(d.reason), "machines": .int(Int64(d.machines))]
        } else {
            m["deletion"] = .null
        }
        return .map(m)
    }
}
