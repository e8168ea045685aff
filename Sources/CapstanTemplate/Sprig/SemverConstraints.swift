/// Masterminds/semver v3.4.0 constraints (`NewConstraint`, `Check`) as sprig's `semverCompare` uses them:
/// `||` alternatives of space- or comma-separated comparisons, `x`/`*` wildcards, hyphen ranges, and
/// pre-release versions matching only alternatives that themselves name a pre-release.
struct SemverConstraints: Sendable {
    struct Constraint: Sendable {
        var version: SemanticVersion
        var original: String
        var op: String
        var minorDirty: Bool
        var dirty: Bool
        var patchDirty: Bool
    }

    var alternatives: [[Constraint]]
    var containsPre: [Bool]

    private static let ops: Set<String> = ["", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^"]
    private static let opChars = Set("=!<>~^")
    private static let cvChars = Set("0123456789|xX*")
    private static let idChars = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")

    /// One comparison as written: the operator and the version text split into its regex groups.
    private struct Parsed {
        var op: String
        var text: String
        var major: String
        var minor: String  // with leading dot, or empty
        var patch: String  // with leading dot, or empty
        var pre: String  // with leading dash, or empty
    }

    private static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" || c == "\u{0B}" }

    /// Scans `(op)\s*(cv)` at the start of `s`, returning it and the rest.
    private static func scanComparison(_ s: Substring) -> (Parsed, Substring)? {
        var rest = s
        let opText = String(rest.prefix(while: { opChars.contains($0) }))
        guard ops.contains(opText) else { return nil }
        rest = rest.dropFirst(opText.count)
        rest = rest.drop(while: isSpace)
        let start = rest
        if rest.first == "v" { rest = rest.dropFirst() }
        let major = rest.prefix(while: { cvChars.contains($0) })
        guard !major.isEmpty else { return nil }
        rest = rest.dropFirst(major.count)
        var parts: [String] = []
        for _ in 0..<2 {
            if rest.first == ".", let next = rest.dropFirst().first, cvChars.contains(next) {
                let seg = rest.dropFirst().prefix(while: { cvChars.contains($0) })
                parts.append("." + seg)
                rest = rest.dropFirst(1 + seg.count)
            } else {
                break
            }
        }
        func ids(_ r: Substring) -> Substring {
            // [id](\.[id])*
            var end = r.startIndex
            var cur = r
            while true {
                let id = cur.prefix(while: { idChars.contains($0) })
                if id.isEmpty { break }
                end = id.endIndex
                cur = cur[id.endIndex...]
                if cur.first == ".", let n = cur.dropFirst().first, idChars.contains(n) {
                    cur = cur.dropFirst()
                } else {
                    break
                }
            }
            return r[r.startIndex..<end]
        }
        var pre = ""
        if rest.first == "-" {
            let body = ids(rest.dropFirst())
            if !body.isEmpty {
                pre = "-" + body
                rest = rest.dropFirst(1 + body.count)
            }
        }
        if rest.first == "+" {
            let body = ids(rest.dropFirst())
            if !body.isEmpty { rest = rest.dropFirst(1 + body.count) }
        }
        let text = String(start[start.startIndex..<rest.startIndex])
        return (Parsed(op: opText, text: text, major: String(major), minor: parts.count > 0 ? parts[0] : "", patch: parts.count > 1 ? parts[1] : "", pre: pre), rest)
    }

    /// `rewriteRange`: `1.2 - 1.4` becomes `>= 1.2, <= 1.4`.
    private static func rewriteRange(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while !rest.isEmpty {
            if let (a, afterA) = scanComparison(rest), a.op.isEmpty {
                var r = afterA
                let spaces1 = r.prefix(while: isSpace)
                r = r.dropFirst(spaces1.count)
                if !spaces1.isEmpty, r.first == "-" {
                    r = r.dropFirst()
                    let spaces2 = r.prefix(while: isSpace)
                    r = r.dropFirst(spaces2.count)
                    if !spaces2.isEmpty, let (b, afterB) = scanComparison(r), b.op.isEmpty {
                        // Leading whitespace before the first version is part of the match.
                        while let last = out.last, isSpace(last) { out.removeLast() }
                        out += ">= \(a.text), <= \(b.text) "
                        rest = afterB.drop(while: isSpace)
                        continue
                    }
                }
                out += a.text
                rest = afterA
                continue
            }
            out.append(rest.first!)
            rest = rest.dropFirst()
        }
        return out
    }

    /// `semver.NewConstraint`.
    static func parse(_ c: String) throws(FunctionError) -> SemverConstraints {
        let rewritten = rewriteRange(c)
        var alternatives: [[Constraint]] = []
        var containsPre: [Bool] = []
        for orPartText in rewritten.split(separator: "||", omittingEmptySubsequences: false) {
            let orPart = String(orPartText)
            var found: [Parsed] = []
            var rest = Substring(orPart).drop(while: isSpace)
            var valid = true
            while true {
                guard let (p, after) = scanComparison(rest) else {
                    valid = false
                    break
                }
                found.append(p)
                let spaces = after.prefix(while: isSpace)
                rest = after.dropFirst(spaces.count)
                if rest.isEmpty { break }
                if rest.first == "," {
                    rest = rest.dropFirst().drop(while: isSpace)
                } else if spaces.isEmpty {
                    valid = false
                    break
                }
            }
            if !valid { throw FunctionError("improper constraint: \(orPart)") }
            var group: [Constraint] = []
            var hasPre = false
            for p in found {
                let con = try constraint(p)
                if !con.version.prerelease.isEmpty { hasPre = true }
                group.append(con)
            }
            alternatives.append(group)
            containsPre.append(hasPre)
        }
        return SemverConstraints(alternatives: alternatives, containsPre: containsPre)
    }

    private static func isX(_ s: String) -> Bool { s == "x" || s == "X" || s == "*" }

    private static func constraint(_ p: Parsed) throws(FunctionError) -> Constraint {
        var ver = p.text
        var minorDirty = false
        var patchDirty = false
        var dirty = false
        if isX(p.major) {
            ver = "0.0.0" + p.pre
            dirty = true
        } else if isX(String(p.minor.dropFirst())) || p.minor.isEmpty {
            minorDirty = true
            dirty = true
            ver = "\(p.major).0.0\(p.pre)"
        } else if isX(String(p.patch.dropFirst())) || p.patch.isEmpty {
            dirty = true
            patchDirty = true
            ver = "\(p.major)\(p.minor).0\(p.pre)"
        }
        let version: SemanticVersion
        do { version = try SemanticVersion.parse(ver) } catch { throw FunctionError("constraint parser error") }
        return Constraint(version: version, original: p.text, op: p.op, minorDirty: minorDirty, dirty: dirty, patchDirty: patchDirty)
    }

    /// `Constraints.Check`.
    func check(_ v: SemanticVersion) -> Bool {
        for (i, group) in alternatives.enumerated() {
            if group.allSatisfy({ Self.check(v, $0, includePre: containsPre[i]) }) { return true }
        }
        return false
    }

    private static func check(_ v: SemanticVersion, _ c: Constraint, includePre: Bool) -> Bool {
        if !v.prerelease.isEmpty && !includePre { return false }
        let con = c.version
        switch c.op {
        case "", "=":
            if c.dirty { return tilde(v, c) }
            return v.compare(con) == 0
        case "!=":
            if c.dirty {
                if con.major != v.major { return true }
                if con.minor != v.minor && !c.minorDirty { return true }
                if c.minorDirty { return false }
                if con.patch != v.patch && !c.patchDirty { return true }
                if c.patchDirty {
                    if !v.prerelease.isEmpty || !con.prerelease.isEmpty {
                        return SemanticVersion.comparePrerelease(v.prerelease, con.prerelease) != 0
                    }
                    return false
                }
            }
            return v.compare(con) != 0
        case ">":
            if !c.dirty { return v.compare(con) == 1 }
            if v.major > con.major { return true }
            if v.major < con.major { return false }
            if c.minorDirty { return false }
            if c.patchDirty { return v.minor > con.minor }
            return v.compare(con) == 1
        case "<":
            return v.compare(con) < 0
        case ">=", "=>":
            return v.compare(con) >= 0
        case "<=", "=<":
            if !c.dirty { return v.compare(con) <= 0 }
            if v.major > con.major { return false }
            if v.major == con.major && v.minor > con.minor && !c.minorDirty { return false }
            return true
        case "~", "~>":
            return tilde(v, c)
        case "^":
            if v.compare(con) < 0 { return false }
            if con.major > 0 || c.minorDirty { return v.major == con.major }
            if con.major == 0 && v.major > 0 { return false }
            if con.minor > 0 || c.patchDirty { return v.minor == con.minor }
            if con.minor == 0 && v.minor > 0 { return false }
            return con.patch == v.patch
        default:
            return false
        }
    }

    private static func tilde(_ v: SemanticVersion, _ c: Constraint) -> Bool {
        let con = c.version
        if v.compare(con) < 0 { return false }
        if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minorDirty && !c.patchDirty { return true }
        if v.major != con.major { return false }
        if v.minor != con.minor && !c.minorDirty { return false }
        return true
    }
}
