import CapstanModel
import CapstanYAML

/// The files a status commit holds, rendered from a `StatusSummary`: `status/<namespace>/<name>.yaml` per
/// Cluster, `drift/<namespace>/<name>.yaml` per Cluster with drift (CapstanPlan's `DriftReport` documents), and `STATUS.md`, a summary readable on a
/// Git host. Pure and deterministic: the same summary gives the same bytes.
public enum StatusFiles {
    /// Paths and contents.
    public static func render(_ summary: StatusSummary) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for c in summary.clusters {
            files["status/\(c.namespace)/\(c.name).yaml"] = Array(clusterYAML(c, fleet: summary.fleet).utf8)
        }
        if let drift = summary.drift {
            for (path, text) in drift.files { files[path] = Array(text.utf8) }
        }
        files["STATUS.md"] = Array(FleetStatusMarkdown.render(summary).utf8)
        return files
    }

    /// True for paths this module writes (the status publisher removes those that are no longer rendered).
    public static func isStatusPath(_ path: String) -> Bool {
        path == "STATUS.md" || (path.hasPrefix("status/") || path.hasPrefix("drift/")) && path.hasSuffix(".yaml")
    }

    static func clusterYAML(_ c: StatusSummary.ClusterStatus, fleet: String) -> String {
        var m: ObjectMap = [:]
        m["cluster"] = .string(c.id)
        m["fleet"] = .string(fleet)
        m["source"] = c.source.map(Value.string) ?? .null
        m["class"] = c.className.map(Value.string) ?? .null
        m["appliedRevision"] = c.appliedRevision.map(Value.string) ?? .null
        m["phase"] = .string(c.phase ?? (c.exists ? "Unknown" : "NotCreated"))
        m["available"] = .bool(c.available)
        if c.removedFromGit { m["removedFromGit"] = true }
        var workerVersions: ObjectMap = [:]
        for w in c.workers { workerVersions[w.name] = w.version.map(Value.string) ?? .null }
        m["versions"] = .map([
            "topology": c.topologyVersion.map(Value.string) ?? .null,
            "controlPlane": c.controlPlaneVersion.map(Value.string) ?? .null,
            "workers": .map(workerVersions),
        ])
        var workers: ObjectMap = [:]
        for w in c.workers { workers[w.name] = replicas(w.replicas) }
        m["replicas"] = .map(["controlPlane": replicas(c.controlPlane), "workers": .map(workers)])
        m["rollout"] = .map([
            "inProgress": .bool(c.rolloutInProgress),
            "upgradePlan": .list(c.upgradePlan.map(Value.string)),
            "rollingOut": .list(c.workers.filter(\.rollingOut).map { .string($0.name) }),
        ])
        m["conditions"] = .list(c.conditions.map { cond in
            .map(["type": .string(cond.type), "status": .string(cond.status), "reason": .string(cond.reason), "message": .string(cond.message)])
        })
        m["heldDeletions"] = .list(c.heldDeletions.map(Value.string))
        m["lastError"] = c.lastError.map(Value.string) ?? .null
        m["warnings"] = .list(c.warnings.map(Value.string))
        return "# Status of Cluster \(c.id), written by Capstan. Do not edit: the next status commit replaces it.\n"
            + YAML.emit(.map(m))
    }

    static func replicas(_ r: StatusSummary.Replicas) -> Value {
        func v(_ x: Int64?) -> Value { x.map(Value.int) ?? .null }
        return .map(["desired": v(r.desired), "ready": v(r.ready), "updated": v(r.updated), "available": v(r.available)])
    }
}
