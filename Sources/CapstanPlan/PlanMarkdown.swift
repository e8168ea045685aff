import CapstanDiff
import CapstanModel
import CapstanPolicy

extension Plan {
    /// GitHub's limit on a comment is 65,536 characters; the default leaves room for a wrapper.
    public static let markdownLimit = 65_000

    /// The plan as a pull-request comment: a summary table first, CAPI impact, then one collapsible
    /// `<details>` section per Cluster. Kept under `limit` characters: when it would be longer, table rows,
    /// impact lines and sections are cut (sections first lose their YAML hunks) and a note says what was cut.
    public func markdown(limit: Int = Plan.markdownLimit) -> String {
        let s = PlanSummary(self)
        var head: [String] = ["## Capstan plan", ""]
        head.append("`\(base.label)` → `\(self.head.label)` · live state: \(liveState)")
        head.append("")
        var verdict: String
        switch exitCode {
        case 1: verdict = "**Errors: the change does not render; see below.**"
        case 3: verdict = "**Changes, and a policy denies at least one of them.**"
        case 2: verdict = "**Changes.**"
        default: verdict = "**No changes.**"
        }
        verdict += " \(s.clustersLine). " + s.objectsLine.prefix(1).uppercased() + s.objectsLine.dropFirst() + ". "
            + s.machinesLine.prefix(1).uppercased() + s.machinesLine.dropFirst() + ". " + s.policyLine.prefix(1).uppercased() + s.policyLine.dropFirst() + "."
        head.append(verdict)
        for (side, r) in [("base", base), ("head", self.head)] where !r.errors.isEmpty {
            head.append("")
            head.append("The \(side) revision does not load; nothing was compared:")
            head.append("")
            head += r.errors.map { "- `\(Self.inlineCode($0.description))`" }
        }
        if !problems.isEmpty {
            head.append("")
            head.append("Problems:")
            head.append("")
            head += problems.map { "- " + Self.escape($0.description) }
        }
        var budget = Budget(limit: limit)
        var text = head.joined(separator: "\n") + "\n"
        budget.used = text.count

        let shown = clusters.filter { $0.status != .unchanged }
        var cutRows = 0, cutImpact = 0, condensed = 0, cutSections = 0
        if !shown.isEmpty {
            var table = "\n| Cluster | Status | Create | Update | Delete | Held | Machines | Policy |\n|---|---|---:|---:|---:|---:|---|---|\n"
            var tableCount = table.count
            for (i, c) in shown.enumerated() {
                let counts = c.counts
                let verdicts = c.verdicts
                let deny = verdicts.filter(\.denies).count, warn = verdicts.filter { !$0.denies && $0.actions.contains(.warn) }.count
                let policy = deny + warn == 0 ? "" : [deny > 0 ? "\(deny) deny" : nil, warn > 0 ? "\(warn) warn" : nil].compactMap { $0 }.joined(separator: ", ")
                let row = "| `\(c.displayName)` | \(c.status.rawValue) | \(counts.create) | \(counts.update) | \(counts.delete) | \(counts.held) | \(PlanFormat.machinesPhrase(c.impact.machines)) | \(policy) |\n"
                let rowCount = row.count
                if budget.used + tableCount + rowCount > limit * 4 / 10 { cutRows = shown.count - i; break }
                table += row
                tableCount += rowCount
            }
            if cutRows > 0 { table += "\n… \(cutRows) more Cluster\(cutRows == 1 ? "" : "s") not listed.\n" }
            text += table
            budget.used = text.count
        }
        if !fleetObjects.isEmpty {
            text += "\nFleet objects: \(PlanFormat.countsPhrase(ActionCounts(fleetObjects.map(\.change.change)))).\n"
        }
        let impactClusters = shown.filter { !$0.impact.isEmpty }
        if !impactClusters.isEmpty {
            var impact = "\n### Cluster API impact\n\n"
            var impactCount = impact.count
            let textCount = text.count
            for (i, c) in impactClusters.enumerated() {
                let lines = PlanFormat.impactLines(c.impact)
                let block = "- **\(c.displayName)**\n" + lines.map { "  - " + Self.escape($0) + "\n" }.joined()
                let blockCount = block.count
                if textCount + impactCount + blockCount > limit * 55 / 100 { cutImpact = impactClusters.count - i; break }
                impact += block
                impactCount += blockCount
            }
            if cutImpact > 0 { impact += "- … \(cutImpact) more Cluster\(cutImpact == 1 ? "" : "s") with machine impact not listed.\n" }
            text += impact
        }
        let reserve = 400
        var sections: [String] = []
        // Running character counts: `String.count` walks the whole string, so recounting per Cluster was quadratic.
        var used = text.count
        func fits(_ section: String) -> Bool {
            let n = section.count
            guard used + n + reserve <= limit else { return false }
            used += n
            return true
        }
        for c in shown {
            let full = clusterSection(c, hunks: true)
            if fits(full) { sections.append(full); continue }
            let short = clusterSection(c, hunks: false)
            if fits(short) { sections.append(short); condensed += 1; continue }
            cutSections += 1
        }
        if !fleetObjects.isEmpty {
            let full = fleetSection(hunks: true), short = fleetSection(hunks: false)
            if fits(full) { sections.append(full) }
            else if fits(short) { sections.append(short); condensed += 1 }
            else { cutSections += 1 }
        }
        if !sections.isEmpty { text += "\n" + sections.joined() }
        if cutRows + cutImpact + condensed + cutSections > 0 {
            var what: [String] = []
            if cutRows > 0 { what.append("\(cutRows) table row\(cutRows == 1 ? "" : "s")") }
            if cutImpact > 0 { what.append("impact of \(cutImpact) Cluster\(cutImpact == 1 ? "" : "s")") }
            if condensed > 0 { what.append("YAML diffs of \(condensed) section\(condensed == 1 ? "" : "s")") }
            if cutSections > 0 { what.append("\(cutSections) detail section\(cutSections == 1 ? "" : "s")") }
            text += "\n> **Cut to stay under \(limit) characters:** \(what.joined(separator: ", ")) left out. Run `capstan plan -o json` for everything.\n"
        }
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }

    struct Budget {
        let limit: Int
        var used = 0
    }

    func clusterSection(_ c: ClusterPlan, hunks: Bool) -> String {
        var out = "<details><summary><b>\(Self.escape(c.displayName))</b> · \(c.status.rawValue) · \(PlanFormat.countsPhrase(c.counts))</summary>\n\n"
        if let cls = c.className { out += "ClusterClass `\(cls)`" }
        switch (c.baseVersion, c.headVersion) {
        case (let b?, let h?) where b != h: out += " · version `\(b)` → `\(h)`"
        case (_, let h?): out += " · version `\(h)`"
        case (let b?, nil): out += " · version `\(b)`"
        default: break
        }
        out += "\n\n"
        if c.baseFailed {
            out += "The base revision does not render this Cluster; its objects are compared with nothing:\n\n" + c.baseDiagnostics.map { "- `\(Self.inlineCode($0.description))`\n" }.joined() + "\n"
        }
        if !c.causes.isEmpty {
            out += "**Caused by**\n\n" + c.causes.map { "- " + Self.escape(PlanFormat.cause($0, cluster: c.key)) + "\n" }.joined() + "\n"
        }
        if c.status == .failed {
            out += "**The head revision does not render this Cluster:**\n\n"
            out += c.diagnostics.filter { $0.severity == .error }.map { "- `\(Self.inlineCode($0.description))`\n" }.joined()
            return out + "\n</details>\n\n"
        }
        out += "**Changes** (\(PlanFormat.countsPhrase(c.counts, unchanged: c.unchangedCount)))\n\n"
        for o in c.objects { out += objectMarkdown(o, hunks: hunks) }
        let warnings = c.diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty { out += "\n**Warnings**\n\n" + warnings.map { "- " + Self.escape($0.description) + "\n" }.joined() }
        return out + "\n</details>\n\n"
    }

    func fleetSection(hunks: Bool) -> String {
        var out = "<details><summary><b>Fleet objects</b> · \(PlanFormat.countsPhrase(ActionCounts(fleetObjects.map(\.change.change))))</summary>\n\n"
        for o in fleetObjects { out += objectMarkdown(o, hunks: hunks) }
        return out + "\n</details>\n\n"
    }

    func objectMarkdown(_ o: ObjectPlan, hunks: Bool) -> String {
        var out = "- `\(PlanFormat.marker(o.change.change))` \(o.change.change.action) `\(Self.inlineCode(o.key.description))`"
        if let role = o.role { out += " (\(role))" }
        if case .held(let reason) = o.change.change { out += ": " + Self.escape(reason) }
        out += "\n"
        for n in o.notes { out += "  - " + Self.escape(n) + "\n" }
        if case .update(let fields) = o.change.change {
            for f in fields.prefix(12) { out += "  - `\(Self.inlineCode(f.path.display))`: " + Self.escape(Self.changeText(f)) + "\n" }
            if fields.count > 12 { out += "  - … \(fields.count - 12) more fields\n" }
        }
        for v in o.verdicts { out += "  - **\(v.denies ? "Deny" : (v.actions.contains(.warn) ? "Warn" : "Audit"))** policy `\(v.policy)`: " + Self.escape(v.message) + "\n" }
        if hunks && !o.diff.isEmpty && (o.change.change.fieldChanges.count > 0 || o.change.change == .create) {
            let fence = Self.fence(for: o.diff)
            out += "\n  \(fence)diff\n" + UnifiedDiff.lines(o.diff).map { "  " + $0 + "\n" }.joined() + "  \(fence)\n\n"
        }
        return out
    }

    static func changeText(_ f: FieldChange) -> String {
        switch f.operation {
        case .added: "added " + FieldChange.short(f.new)
        case .removed: "removed (was " + FieldChange.short(f.old) + ")"
        case .changed: FieldChange.short(f.old) + " → " + FieldChange.short(f.new)
        }
    }

    /// A code fence longer than any backtick run in `text`.
    static func fence(for text: String) -> String {
        var longest = 0, run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// Text safe inside inline code (backticks become quotes).
    static func inlineCode(_ s: String) -> String { s.replacingAll("`", with: "'") }

    /// Text safe in Markdown prose and HTML blocks.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "\\|"
            case "*", "_", "`", "[", "]": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
