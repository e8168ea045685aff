public import CapstanModel

extension DriftReport {
    /// The report as a document (`drift/<namespace>/<name>.yaml` in the status branch): stable key order,
    /// Secret values never included.
    public var value: Value {
        var m: ObjectMap = ["apiVersion": "report.capstan.dev/v1alpha1", "kind": "DriftReport"]
        if let cluster {
            m["cluster"] = ["namespace": .string(cluster.namespace), "name": .string(cluster.name)]
        } else {
            m["cluster"] = .null
        }
        let c = counts
        var summary: ObjectMap = [
            "checked": .int(Int64(checked)), "drifted": .int(Int64(c.drifted)), "missing": .int(Int64(c.missing)),
            "notDesired": .int(Int64(c.notDesired)),
        ]
        let corrected = objects.filter { $0.corrected == true }.count
        if objects.contains(where: { $0.corrected != nil }) { summary["corrected"] = .int(Int64(corrected)) }
        m["summary"] = .map(summary)
        m["objects"] = .list(objects.map(\.value))
        if !diagnostics.isEmpty {
            m["problems"] = .list(diagnostics.map { d in
                var p: ObjectMap = ["severity": .string(d.severity.rawValue), "message": .string(d.message)]
                if let l = d.location { p["location"] = .string(l.description) }
                if let o = d.object { p["object"] = .string(o) }
                return .map(p)
            })
        }
        return .map(m)
    }

    /// One line for STATUS.md: `team-a/prod-1: 1 drifted, 0 missing, 0 not desired (12 checked)` or `... in sync`.
    public var summaryLine: String {
        let name = cluster.map { "\($0.namespace)/\($0.name)" } ?? "fleet objects"
        if diagnostics.contains(where: { $0.severity == .error }) { return "\(name): not checked (\(diagnostics.filter { $0.severity == .error }.count) errors)" }
        if objects.isEmpty { return "\(name): in sync (\(checked) checked)" }
        let c = counts
        var parts: [String] = []
        if c.drifted > 0 { parts.append("\(c.drifted) drifted") }
        if c.missing > 0 { parts.append("\(c.missing) missing") }
        if c.notDesired > 0 { parts.append("\(c.notDesired) not desired") }
        let corrected = objects.filter { $0.corrected == true }.count
        let suffix = objects.contains(where: { $0.corrected != nil }) ? ", \(corrected) corrected" : ""
        return "\(name): \(parts.joined(separator: ", "))\(suffix) (\(checked) checked)"
    }
}

extension ObjectDrift {
    /// The object's entry in a drift report.
    public var value: Value {
        var m: ObjectMap = [
            "apiVersion": .string(apiVersion), "kind": .string(key.kind), "namespace": .string(key.namespace),
            "name": .string(key.name), "state": .string(state.name), "manager": .string(manager),
        ]
        if let location { m["source"] = .string(location.description) }
        if case .drifted(let fields) = state {
            m["fields"] = .list(fields.map { f in
                var e: ObjectMap = ["path": .string(f.path.display)]
                e["desired"] = f.desired ?? .null
                e["live"] = f.live ?? .null
                if f.live == nil { e["liveMissing"] = true }
                e["managers"] = .list(f.managers.map(Value.string))
                return .map(e)
            })
        }
        if let corrected { m["corrected"] = .bool(corrected) }
        if let error { m["error"] = .string(error) }
        return .map(m)
    }
}
