/// A semantic-version range in the syntax Flux's `spec.ref.semver` accepts (Masterminds/semver v3):
/// comparators `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (`~>`), `^`; wildcards `1.2.x`, `1.*`, `*`; hyphen ranges
/// `1.2 - 1.4.5`; `,` or spaces for AND, `||` for OR. As there, a pre-release tag matches only when a
/// comparator of its AND group names a pre-release itself.
public struct SemverRange: Hashable, Sendable, CustomStringConvertible {
    enum Operator: String, Hashable, Sendable {
        case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
        case tilde = "~", caret = "^"
    }

    struct Comparator: Hashable, Sendable {
        var op: Operator
        var version: PartialVersion
    }

    /// The range as written.
    public let text: String
    let groups: [[Comparator]]

    /// Parses a range; throws a message naming the part that is not understood.
    public init(_ text: String) throws(SemverRangeError) {
        self.text = text
        var groups: [[Comparator]] = []
        for groupText in text.components(separatedBy: "||") {
            let tokens = Self.tokenize(groupText)
            guard !tokens.isEmpty else { throw SemverRangeError(range: text, part: groupText) }
            var group: [Comparator] = []
            var index = 0
            while index < tokens.count {
                if index + 2 < tokens.count, tokens[index + 1] == "-" {
                    guard let low = PartialVersion(tokens[index]), let high = PartialVersion(tokens[index + 2]) else {
                        throw SemverRangeError(range: text, part: tokens[index...index + 2].joined(separator: " "))
                    }
                    group.append(Comparator(op: .greaterOrEqual, version: low))
                    group.append(Comparator(op: .lessOrEqual, version: high))
                    index += 3
                    continue
                }
                group.append(try Self.comparator(tokens[index], range: text))
                index += 1
            }
            groups.append(group)
        }
        self.groups = groups
    }

    public var description: String { text }

    /// Whether `version` is in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        groups.contains { group in
            let includePrerelease = group.contains { !$0.version.prerelease.isEmpty }
            if !version.prerelease.isEmpty && !includePrerelease { return false }
            return group.allSatisfy { Self.matches(version, $0) }
        }
    }

    /// The highest of `versions` in the range.
    public func highest<S: Sequence>(of versions: S) -> SemanticVersion? where S.Element == SemanticVersion {
        versions.filter(contains).max()
    }

    /// Splits on spaces and commas, and joins a lone operator with the version after it (`>= 1.2`).
    private static func tokenize(_ text: String) -> [String] {
        var raw = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        var out: [String] = []
        while !raw.isEmpty {
            let token = raw.removeFirst()
            if token.allSatisfy({ "<>=!~^".contains($0) }) && !raw.isEmpty {
                out.append(token + raw.removeFirst())
            } else {
                out.append(token)
            }
        }
        return out
    }

    private static func comparator(_ token: String, range: String) throws(SemverRangeError) -> Comparator {
        let ops: [(String, Operator)] = [
            (">=", .greaterOrEqual), ("=>", .greaterOrEqual), ("<=", .lessOrEqual), ("=<", .lessOrEqual),
            ("!=", .notEqual), ("~>", .tilde), (">", .greater), ("<", .less), ("=", .equal), ("~", .tilde), ("^", .caret),
        ]
        var op = Operator.equal
        var rest = Substring(token)
        for (prefix, candidate) in ops where rest.hasPrefix(prefix) {
            op = candidate
            rest = rest.dropFirst(prefix.count)
            break
        }
        guard let version = PartialVersion(String(rest)) else { throw SemverRangeError(range: range, part: token) }
        return Comparator(op: op, version: version)
    }

    private static func matches(_ v: SemanticVersion, _ c: Comparator) -> Bool {
        let p = c.version
        let floor = p.floor
        switch c.op {
        case .equal:
            guard p.hasWildcard else { return v == floor }
            return v >= floor && (p.ceiling.map { v < $0 } ?? true)
        case .notEqual:
            return !matches(v, Comparator(op: .equal, version: p))
        case .greater:
            guard p.hasWildcard else { return v > floor }
            guard let ceiling = p.ceiling else { return false }
            return v >= ceiling
        case .greaterOrEqual:
            return v >= floor
        case .less:
            return v < floor
        case .lessOrEqual:
            guard p.hasWildcard else { return v <= floor }
            return p.ceiling.map { v < $0 } ?? true
        case .tilde:
            guard v >= floor, let major = p.major else { return v >= floor }
            if major == 0 && p.minor == 0 && p.patch == 0 { return true }  // ~0.0.0 is >= 0.0.0
            guard v.major == major else { return false }
            return p.minor.map { v.minor == $0 } ?? true
        case .caret:
            guard v >= floor, let major = p.major else { return v >= floor }
            if major > 0 || p.minor == nil { return v.major == major }
            if v.major > 0 { return false }
            let minor = p.minor!
            if minor > 0 || p.patch == nil { return v.minor == minor }
            if v.minor > 0 { return false }
            return v.patch == p.patch
        }
    }
}

/// A semver range that could not be parsed.
public struct SemverRangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var range: String
    public var part: String
    public var description: String { "invalid semver range '\(range)': cannot read '\(part)'" }
}
