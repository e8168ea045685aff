import CapstanDiff
import CapstanModel
import CapstanPolicy

extension Plan {
    /// The plan for a terminal: per Cluster its causes, impact and changes (field lists and YAML hunks for
    /// updates), then fleet objects, then one summary line. Deterministic.
    public func text() -> String {
        var out: [String] = []
        out.append("Plan: \(base.label) → \(head.label)")
        out.append("Live state: \(liveState)")
        for (side, r) in [("base", base), ("head", head)] where !r.errors.isEmpty {
            out.append("")
            out.append("The \(side) revision does not load; nothing was compared:")
            out += r.errors.map { "  " + $0.description }
        }
        for c in clusters where c.status != .unchanged {
            out.append("")
            out += clusterText(c)
        }
        if !fleetObjects.isEmpty {
            out.append("")
            out.append("Fleet objects (\(PlanFormat.countsPhrase(ActionCounts(fleetObjects.map(\.change.change))))):")
            for o in fleetObjects { out += objectText(o, cluster: nil) }
        }
        if !problems.isEmpty {
            out.append("")
            out.append("Problems:")
            out += problems.map { "  " + $0.description }
        }
        let s = PlanSummary(self)
        out.append("")
        out.append("\(s.clustersLine); \(s.objectsLine); \(s.machinesLine); \(s.policyLine)")
        return out.joined(separator: "\n") + "\n"
    }

    func clusterText(_ c: ClusterPlan) -> [String] {
        var out: [String] = []
        let cls = c.className.map { " (class \($0))" } ?? ""
        let version: String
        switch (c.baseVersion, c.headVersion) {
        case (let b?, let h?) where b != h: version = ", version \(b) → \(h)"
        case (_, let h?): version = ", version \(h)"
        case (let b?, nil): version = ", version \(b)"
        default: version = ""
        }
        out.append("Cluster \(c.displayName)\(cls): \(c.status.rawValue)\(version)")
        if c.baseFailed { out.append("  Note: the base revision does not render this Cluster; its objects are compared with nothing:") ; out += c.baseDiagnostics.map { "    " + $0.description } }
        if !c.causes.isEmpty {
            out.append("  Caused by:")
            out += c.causes.map { "    " + PlanFormat.cause($0, cluster: c.key) }
        }
        if c.status == .failed {
            out.append("  The head revision does not render this Cluster; nothing of it is compared:")
            out += c.diagnostics.filter { $0.severity == .error }.map { "    " + $0.description }
            return out
        }
        let impact = PlanFormat.impactLines(c.impact)
        if !impact.isEmpty {
            out.append("  Impact:")
            out += impact.map { "    " + $0 }
        }
        out.append("  Changes (\(PlanFormat.countsPhrase(c.counts, unchanged: c.unchangedCount))):")
        for o in c.objects { out += objectText(o, cluster: c.key) }
        let warnings = c.diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            out.append("  Warnings:")
            out += warnings.map { "    " + $0.description }
        }
        return out
    }

    func objectText(_ o: ObjectPlan, cluster: ObjectKey?) -> [String] {
        var out: [String] = []
        let role = o.role.map { "  [\($0)]" } ?? ""
        var line = "  \(PlanFormat.marker(o.change.change)) \(o.change.change.action) \(PlanFormat.objectName(o.key))\(role)"
        if case .held(let reason) = o.change.change { line += ": " + reason }
        out.append(line)
        out += o.notes.map { "      note: " + $0 }
        // A fleet object added or removed in Git: where it is (or was) written.
        if cluster == nil, let root = o.causes.first(where: { $0.change.path.elements.isEmpty }), let l = root.location {
            out.append("      at \(l)")
        }
        if case .update(let fields) = o.change.change {
            for f in fields.prefix(20) {
                let at = cluster == nil ? o.causes.first { $0.change.path == f.path }?.location.map { "  (\($0))" } ?? "" : ""
                out.append("      " + f.description + at)
            }
            if fields.count > 20 { out.append("      … \(fields.count - 20) more fields") }
            if !o.diff.isEmpty { out += UnifiedDiff.lines(o.diff).map { "        " + $0 } }
        }
        for v in o.verdicts { out.append("      policy: " + PlanFormat.verdict(v)) }
        return out
    }
}
