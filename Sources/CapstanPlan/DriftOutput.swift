import CapstanCluster
import CapstanDiff
public import CapstanModel
import CapstanYAML

/// The output formats of `capstan drift`.
public enum DriftOutput {
    /// The version of the JSON form (docs/drift.md).
    public static let schemaVersion = 1

    /// One block per report that has drift or problems, then a summary line.
    public static func text(_ result: DriftCheck.Result) -> String {
        var out: [String] = []
        for p in result.problems { out.append(p.description) }
        for r in result.reports where !r.isClean {
            out.append(r.summaryLine)
            for d in r.diagnostics { out.append("  " + d.description) }
            for o in r.objects { out += objectLines(o) }
            out.append("")
        }
        out.append(summary(result))
        return out.joined(separator: "\n") + "\n"
    }

    static func objectLines(_ o: ObjectDrift) -> [String] {
        var out: [String] = []
        let status = o.corrected.map { $0 ? " — corrected" : " — correction failed: \(o.error ?? "")" } ?? ""
        switch o.state {
        case .drifted(let fields):
            out.append("  ~ drifted \(o.key) (applied by \(o.manager))\(status)")
            out += fields.map { "      " + $0.description }
        case .missing:
            out.append("  + missing \(o.key)\(status)")
        case .notDesired:
            out.append("  - not desired \(o.key) (applied by \(o.manager); no longer in the fleet)")
        }
        return out
    }

    /// `Drift: 1 Cluster of 4 drifted (1 object drifted, 0 missing, 0 not desired)`.
    public static func summary(_ result: DriftCheck.Result) -> String {
        if !result.problems.isEmpty { return "Drift: not checked (\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s") loading the fleet)" }
        var drifted = 0, missing = 0, notDesired = 0, corrected = 0, failedCorrections = 0, unchecked = 0
        let clusters = result.reports.filter { $0.cluster != nil }
        for r in result.reports {
            let c = r.counts
            drifted += c.drifted; missing += c.missing; notDesired += c.notDesired
            corrected += r.objects.filter { $0.corrected == true }.count
            failedCorrections += r.objects.filter { $0.corrected == false }.count
            if r.diagnostics.contains(where: { $0.severity == .error }) { unchecked += 1 }
        }
        let dirty = clusters.filter { !$0.objects.isEmpty }.count
        var s = "Drift: \(dirty) of \(clusters.count) Cluster\(clusters.count == 1 ? "" : "s") drifted; objects: \(drifted) drifted, \(missing) missing, \(notDesired) not desired"
        if corrected + failedCorrections > 0 { s += "; \(corrected) corrected" + (failedCorrections > 0 ? ", \(failedCorrections) failed" : "") }
        if unchecked > 0 { s += "; \(unchecked) not checked (render errors)" }
        return s
    }

    /// A YAML stream of `DriftReport` documents (what the daemon writes as `drift/<ns>/<name>.yaml`).
    public static func yaml(_ result: DriftCheck.Result) -> String {
        YAML.emitStream(result.reports.map(\.value))
    }

    /// `{"version": 1, "summary": ..., "reports": [...], "problems": [...]}`.
    public static func json(_ result: DriftCheck.Result) -> Value {
        var drifted = 0, missing = 0, notDesired = 0
        for r in result.reports {
            let c = r.counts
            drifted += c.drifted; missing += c.missing; notDesired += c.notDesired
        }
        return [
            "version": .int(Int64(schemaVersion)),
            "summary": ["clean": .bool(result.isClean), "drifted": .int(Int64(drifted)), "missing": .int(Int64(missing)), "notDesired": .int(Int64(notDesired))],
            "reports": .list(result.reports.map(\.value)),
            "problems": .list(result.problems.map { ["location": $0.location.map { .string($0.description) } ?? .null, "message": .string($0.message)] }),
        ]
    }

    /// A table of Clusters with drift, then one collapsible section each.
    public static func markdown(_ result: DriftCheck.Result) -> String {
        var out = "## Capstan drift\n\n" + summary(result) + "\n"
        for p in result.problems { out += "\n- `\(p.description)`" }
        let dirty = result.reports.filter { !$0.isClean }
        if !dirty.isEmpty {
            out += "\n| Scope | Drifted | Missing | Not desired |\n|---|---:|---:|---:|\n"
            for r in dirty {
                let c = r.counts
                out += "| \(r.cluster.map { "`\($0.namespace)/\($0.name)`" } ?? "fleet objects") | \(c.drifted) | \(c.missing) | \(c.notDesired) |\n"
            }
            for r in dirty {
                out += "\n<details><summary>\(r.summaryLine)</summary>\n\n```\n"
                out += r.diagnostics.map { $0.description + "\n" }.joined()
                out += r.objects.flatMap(objectLines).map { $0 + "\n" }.joined()
                out += "```\n</details>\n"
            }
        }
        return out
    }

    /// Report files by path (`drift/<namespace>/<name>.yaml`, `drift/fleet.yaml` for other objects).
    public static func files(_ result: DriftCheck.Result, directory: String = "drift") -> [(path: String, contents: String)] {
        result.reports.map { r in
            let path = r.cluster.map { "\(directory)/\($0.namespace)/\($0.name).yaml" } ?? "\(directory)/fleet.yaml"
            return (path, YAML.emit(r.value))
        }
    }
}
