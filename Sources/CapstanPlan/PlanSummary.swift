import CapstanDiff
import CapstanModel
import CapstanPolicy

/// Totals over a plan, shared by every output format.
public struct PlanSummary: Sendable, Hashable {
    public var added = 0, removed = 0, changed = 0, unchanged = 0, failed = 0
    public var objects = ActionCounts()
    public var machines = MachineCounts()
    public var deny = 0, warn = 0
    /// Clusters whose deletion waits for approval.
    public var deletionsHeld = 0

    public init(_ plan: Plan) {
        for c in plan.clusters {
            switch c.status {
            case .added: added += 1
            case .removed: removed += 1
            case .changed: changed += 1
            case .unchanged: unchanged += 1
            case .failed: failed += 1
            }
            objects = objects + c.counts
            machines = machines + c.impact.machines
            if c.impact.deletion?.requiresApproval == true { deletionsHeld += 1 }
        }
        objects = objects + ActionCounts(plan.fleetObjects.map(\.change.change))
        for v in plan.allVerdicts {
            if v.denies { deny += 1 } else if v.actions.contains(.warn) { warn += 1 }
        }
    }

    /// `1 Cluster added, 2 changed, 0 removed, 3 unchanged`.
    public var clustersLine: String {
        var parts = ["\(added) added", "\(changed) changed", "\(removed) removed", "\(unchanged) unchanged"]
        if failed > 0 { parts.append("\(failed) failed") }
        return "Clusters: " + parts.joined(separator: ", ")
    }

    /// `objects: 3 to create, 4 to update, 0 to delete, 2 held`.
    public var objectsLine: String {
        "objects: \(objects.create) to create, \(objects.update) to update, \(objects.delete) to delete, \(objects.held) held"
    }

    /// `machines: 6 replaced, 2 created, 0 deleted`.
    public var machinesLine: String {
        "machines: \(machines.replaced) replaced, \(machines.created) created, \(machines.deleted) deleted"
    }

    /// `policy: 1 deny, 0 warn`.
    public var policyLine: String { "policy: \(deny) deny, \(warn) warn" }
}

/// Small formatting helpers shared by the text and Markdown outputs.
enum PlanFormat {
    /// `+`, `~`, `-`, `!` for create, update, delete, held.
    static func marker(_ c: Change) -> String {
        switch c {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        case .held: "!"
        case .unchanged: "="
        }
    }

    /// `KubeadmControlPlane team-a/prod-1-abcde`.
    static func objectName(_ key: ObjectKey) -> String { key.description }

    /// `2 update, 1 held`.
    static func countsPhrase(_ c: ActionCounts, unchanged: Int? = nil) -> String {
        var parts: [String] = []
        if c.create > 0 { parts.append("\(c.create) create") }
        if c.update > 0 { parts.append("\(c.update) update") }
        if c.delete > 0 { parts.append("\(c.delete) delete") }
        if c.held > 0 { parts.append("\(c.held) held") }
        if let unchanged, unchanged > 0 { parts.append("\(unchanged) unchanged") }
        return parts.isEmpty ? "no object changes" : parts.joined(separator: ", ")
    }

    /// `3 replaced, 2 created` or `none`.
    static func machinesPhrase(_ m: MachineCounts) -> String {
        var parts: [String] = []
        if m.replaced > 0 { parts.append("\(m.replaced) replaced") }
        if m.created > 0 { parts.append("\(m.created) created") }
        if m.deleted > 0 { parts.append("\(m.deleted) deleted") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// A cause line: `file:line:col: spec.topology.version: v1 → v2` (object named when not the Cluster).
    static func cause(_ c: Cause, cluster: ObjectKey?) -> String {
        var parts: [String] = []
        if let l = c.location { parts.append(l.description) }
        if c.object != cluster { parts.append(c.object.description) }
        if c.change.path.elements.isEmpty {
            parts.append(c.change.operation == .added ? "added" : "removed")
        } else {
            parts.append(c.change.description)
        }
        return parts.joined(separator: ": ")
    }

    /// Impact lines for a Cluster, plain text (no Markdown).
    static func impactLines(_ impact: Impact) -> [String] {
        var lines: [String] = []
        if let d = impact.deletion {
            lines.append("deletion of the Cluster: \(d.machines) machine\(d.machines == 1 ? "" : "s") destroyed; " + (d.requiresApproval ? "requires approval (" + d.reason + ")" : d.reason))
        }
        if let u = impact.upgrade {
            var s = "upgrade \(u.from) → \(u.to): control plane first"
            s += u.controlPlaneSteps.count > 1 ? " in \(u.controlPlaneSteps.count) steps (\(u.controlPlaneSteps.joined(separator: " → ")))" : ""
            if !u.workerOrder.isEmpty {
                let active = u.workerOrder.filter { u.deferred[$0] == nil }
                if !active.isEmpty {
                    s += ", then workers \(u.concurrency) at a time in order \(active.joined(separator: ", "))"
                    if !u.workerSteps.isEmpty && u.workerSteps != [u.to] { s += " (via \(u.workerSteps.joined(separator: " → ")))" }
                }
                for t in u.workerOrder where u.deferred[t] != nil { s += "; \(t) \(u.deferred[t]!)" }
            }
            lines.append(s)
        }
        if let cp = impact.controlPlane {
            var s = "control plane \(cp.kind) \(cp.name):"
            var parts: [String] = []
            if let r = cp.rollout { parts.append(rolloutPhrase(r)) }
            if let sc = cp.scale { parts.append(sc.from == 0 ? "\(sc.to) machine\(sc.to == 1 ? "" : "s") created" : "scaled \(sc.from) → \(sc.to)") }
            if !cp.inPlace.isEmpty { parts.append("in place: " + cp.inPlace.joined(separator: "; ")) }
            if let h = cp.held { parts.append("held: " + h) }
            s += " " + parts.joined(separator: "; ")
            lines.append(s)
        }
        for w in impact.workers {
            var s = "\(w.kind) \(w.topology) (\(w.name)):"
            var parts: [String] = []
            switch w.action {
            case .create: parts.append("new, \(w.createdMachines) machine\(w.createdMachines == 1 ? "" : "s") created")
            case .delete: parts.append("removed, \(w.deletedMachines) machine\(w.deletedMachines == 1 ? "" : "s") deleted")
            case .held:
                if w.createdMachines > 0 || w.rollout == nil { parts.append("new, \(w.createdMachines) machine\(w.createdMachines == 1 ? "" : "s") to create") }
                parts.append("held: " + (w.held ?? ""))
            default: break
            }
            if let r = w.rollout { parts.append(rolloutPhrase(r)) }
            if let sc = w.scale { parts.append("scaled \(sc.from) → \(sc.to) (\(sc.to > sc.from ? "\(sc.to - sc.from) created" : "\(sc.from - sc.to) deleted"), none replaced)") }
            if !w.inPlace.isEmpty { parts.append("in place, no machine replaced: " + w.inPlace.joined(separator: "; ")) }
            s += " " + parts.joined(separator: "; ")
            lines.append(s)
        }
        return lines
    }

    /// `3 machines replaced in 3 steps (RollingUpdate (maxSurge 1, maxUnavailable 0)): version a → b`.
    static func rolloutPhrase(_ r: Rollout) -> String {
        let count = r.machines.map { "\($0) machine\($0 == 1 ? "" : "s")" } ?? "all machines"
        var s = "\(count) replaced"
        if let steps = r.steps { s += " in \(steps) step\(steps == 1 ? "" : "s")" }
        s += " (\(r.strategy))"
        return s + ": " + r.reasons.joined(separator: "; ")
    }

    /// A verdict line with its actions: `file:line:col: Kind ns/name: policy P (binding B): Deny: message`.
    static func verdict(_ v: PolicyVerdict) -> String { v.description }
}
