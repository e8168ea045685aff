/// `STATUS.md`: the fleet at a glance, as a Git host shows Markdown — a table of Clusters, then errors with
/// file:line, held deletions, drift and warnings.
enum FleetStatusMarkdown {
    static func render(_ s: StatusSummary) -> String {
        var out = "# Fleet status: \(s.fleet)\n\n"
        out += "Source revision: `\(s.revision ?? "none yet")`  \nLast run: \(cell(s.outcome))\n\n"
        let available = s.clusters.filter(\.available).count
        out += "\(s.clusters.count) Cluster\(s.clusters.count == 1 ? "" : "s"), \(available) available"
        out += s.errors.isEmpty ? ".\n\n" : ", \(s.errors.count) error\(s.errors.count == 1 ? "" : "s").\n\n"
        if !s.clusters.isEmpty {
            out += "| Cluster | Class | Version | Phase | Ready | Available | Applied revision | Last error |\n"
            out += "|---|---|---|---|---|---|---|---|\n"
            for c in s.clusters {
                let version = c.controlPlaneVersion.map { v in v == c.topologyVersion || c.topologyVersion == nil ? v : "\(v) → \(c.topologyVersion!)" } ?? (c.topologyVersion ?? "")
                var phase = c.phase ?? (c.exists ? "" : "NotCreated")
                if c.rolloutInProgress && !c.deleting { phase += phase.isEmpty ? "RollingOut" : " (rolling out)" }
                if c.removedFromGit && !c.deleting { phase += " (removed from Git)" }
                let cells = [
                    "`\(c.id)`", c.className ?? "", version, phase, readiness(c), c.available ? "yes" : "no",
                    c.appliedRevision.map(shortRevision) ?? "", c.lastError.map { firstLine($0) } ?? "",
                ]
                out += "| " + cells.map(cell).joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        if !s.errors.isEmpty {
            out += "## Errors\n\n" + s.errors.map { "- `\(code($0))`\n" }.joined() + "\n"
        }
        let held = s.heldDeletions.map { "- \($0.object): \($0.reason)\n" } + s.clusters.flatMap { $0.heldDeletions.map { "- \($0)\n" } }
        if !held.isEmpty { out += "## Held deletions\n\n" + held.joined() + "\n" }
        if let d = s.drift {
            out += "## Drift\n\n"
            if d.scopes.isEmpty && d.problems.isEmpty {
                out += "No drift from `\(d.revision)`. \(d.summary)\n\n"
            } else {
                out += "\(d.summary) (from `\(d.revision)`, mode \(d.mode.rawValue)"
                out += d.mode == .correct ? ").\n\n" : ": not corrected).\n\n"
                for p in d.problems { out += "- `\(code(p))`\n" }
                var shown = 0
                for scope in d.scopes {
                    out += "- \(code(scope.summaryLine))\n"
                    for line in scope.lines where shown < 50 {
                        out += "  - \(code(line))\n"
                        shown += 1
                    }
                }
                if d.objectCount > shown { out += "- … \(d.objectCount - shown) more (see drift/)\n" }
                out += "\n"
            }
        }
        let warnings = s.warnings + s.clusters.flatMap { c in c.warnings.map { "\(c.id): \($0)" } }
        if !warnings.isEmpty { out += "## Warnings\n\n" + warnings.map { "- \(code($0))\n" }.joined() + "\n" }
        out += "Details per Cluster: `status/<namespace>/<name>.yaml`. Written by Capstan; do not edit.\n"
        return out
    }

    /// `ready/desired` over the control plane and every worker pool.
    static func readiness(_ c: StatusSummary.ClusterStatus) -> String {
        let desired = (c.controlPlane.desired ?? 0) + c.workers.reduce(0) { $0 + ($1.replicas.desired ?? 0) }
        let ready = (c.controlPlane.ready ?? 0) + c.workers.reduce(0) { $0 + ($1.replicas.ready ?? 0) }
        return desired == 0 && ready == 0 ? "" : "\(ready)/\(desired)"
    }

    static func shortRevision(_ r: String) -> String {
        guard let at = r.firstIndex(of: ":") else { return r }
        let id = r[r.index(after: at)...]
        return String(r[..<at]) + ":" + String(id.prefix(12))
    }

    static func firstLine(_ s: String) -> String {
        let line = s.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.count > 160 ? String(line.prefix(157)) + "..." : line
    }

    /// A table cell: pipes escaped, newlines as spaces.
    static func cell(_ s: String) -> String {
        s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }

    /// Text inside backticks: backticks replaced so the span holds.
    static func code(_ s: String) -> String { s.replacingAll("`", with: "'").replacingAll("\n", with: " ") }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in this module).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
