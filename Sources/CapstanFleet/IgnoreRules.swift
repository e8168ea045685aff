/// The rules of a `.capstanignore` file, in gitignore syntax, relative to the fleet root.
///
/// Follows gitignore(5): blank lines and `#` comments are skipped; `!` re-includes; a trailing `/` matches
/// directories only; a pattern with a `/` at its start or middle is anchored at the root, one without matches
/// at any depth; `*` and `?` stop at `/`; `[a-z]`/`[!a-z]` classes; `**/`, `/**` and `/**/` span directories;
/// `\` escapes. The last matching rule wins, and, as in Git, a file below an ignored directory cannot be
/// re-included.
public struct IgnoreRules: Sendable, Hashable {
    /// The file name read from the root of a scoped fleet tree.
    public static let fileName = ".capstanignore"
    /// No rules: nothing is ignored.
    public static let empty = IgnoreRules(rules: [])

    struct Rule: Sendable, Hashable {
        var pattern: [UInt8]
        var negated: Bool
        var directoryOnly: Bool
    }

    let rules: [Rule]

    init(rules: [Rule]) { self.rules = rules }

    /// Parses the text of an ignore file.
    public init(parsing text: String) {
        var rules: [Rule] = []
        // Split bytes, not Characters: "\r\n" is one Character and would hide the line break.
        for rawLine in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
            if let rule = Self.parse(line: Array(rawLine)) { rules.append(rule) }
        }
        self.rules = rules
    }

    /// True when there are no rules.
    public var isEmpty: Bool { rules.isEmpty }

    /// Whether `path` itself is ignored (its parent directories are not checked; walks check them on the way down).
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        if rules.isEmpty { return false }
        let text = Array(path.utf8)
        for rule in rules.reversed() where !rule.directoryOnly || isDirectory {
            if Wildmatch.matches(rule.pattern, text) { return !rule.negated }
        }
        return false
    }

    /// Whether the file at `path` is excluded: one of its parent directories or the file itself is ignored.
    public func excludes(file path: String) -> Bool {
        if rules.isEmpty { return false }
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            if isIgnored(String(path[..<slash]), isDirectory: true) { return true }
            index = path.index(after: slash)
        }
        return isIgnored(path, isDirectory: false)
    }

    /// One line → one rule, or nil for blanks and comments.
    private static func parse(line raw: [UInt8]) -> Rule? {
        var line = raw
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        // Trailing spaces are dropped unless escaped with a backslash.
        while line.last == UInt8(ascii: " ") {
            let count = line.count
            if count >= 2 && line[count - 2] == UInt8(ascii: "\\") { break }
            line.removeLast()
        }
        guard let first = line.first, first != UInt8(ascii: "#") else { return nil }
        var negated = false
        if first == UInt8(ascii: "!") {
            negated = true
            line.removeFirst()
        }
        var directoryOnly = false
        if line.last == UInt8(ascii: "/") {
            directoryOnly = true
            line.removeLast()
        }
        if line.isEmpty { return nil }
        let anchored = line.contains(UInt8(ascii: "/"))
        if line.first == UInt8(ascii: "/") { line.removeFirst() }
        // A pattern without a slash matches a name at any depth: the same as `**/name` anchored at the root.
        let pattern = anchored ? line : Array("**/".utf8) + line
        return Rule(pattern: pattern, negated: negated, directoryOnly: directoryOnly)
    }
}

/// Git's wildmatch with path semantics (`*` and `?` never match `/`), over UTF-8 bytes.
enum Wildmatch {
    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")

    /// Whether `pattern` matches all of `text`.
    static func matches(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        match(pattern, 0, text, 0)
    }

    private static func match(_ p: [UInt8], _ pStart: Int, _ t: [UInt8], _ tStart: Int) -> Bool {
        var pi = pStart, ti = tStart
        while pi < p.count {
            let c = p[pi]
            switch c {
            case star:
                if pi + 1 < p.count && p[pi + 1] == star {
                    let boundedBefore = pi == 0 || p[pi - 1] == slash
                    let afterStars = pi + 2
                    if boundedBefore && afterStars == p.count { return true }  // `dir/**` or `**`: everything below
                    if boundedBefore && p[afterStars] == slash {
                        // `**/`: zero or more whole directories.
                        let rest = afterStars + 1
                        if match(p, rest, t, ti) { return true }
                        var k = ti
                        while k < t.count {
                            if t[k] == slash && match(p, rest, t, k + 1) { return true }
                            k += 1
                        }
                        return false
                    }
                    // `**` not bounded by slashes behaves like `*`.
                    pi += 1
                }
                let rest = pi + 1
                var k = ti
                while true {
                    if match(p, rest, t, k) { return true }
                    if k >= t.count || t[k] == slash { return false }
                    k += 1
                }
            case UInt8(ascii: "?"):
                guard ti < t.count, t[ti] != slash else { return false }
                pi += 1
                ti += 1
            case UInt8(ascii: "["):
                guard ti < t.count else { return false }
                if let (matched, next) = matchClass(p, pi, t[ti]) {
                    guard matched, t[ti] != slash else { return false }
                    pi = next
                } else {
                    // An unclosed `[` is a literal.
                    guard t[ti] == c else { return false }
                    pi += 1
                }
                ti += 1
            case UInt8(ascii: "\\") where pi + 1 < p.count:
                guard ti < t.count, t[ti] == p[pi + 1] else { return false }
                pi += 2
                ti += 1
            default:
                guard ti < t.count, t[ti] == c else { return false }
                pi += 1
                ti += 1
            }
        }
        return ti == t.count
    }

    /// Matches `ch` against the class starting at `p[start] == "["`; nil when the class is not closed.
    private static func matchClass(_ p: [UInt8], _ start: Int, _ ch: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.count {
            var lo = p[i]
            if lo == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if lo == UInt8(ascii: "\\") && i + 1 < p.count {
                i += 1
                lo = p[i]
            }
            if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                var hi = p[i + 2]
                var skip = 3
                if hi == UInt8(ascii: "\\") && i + 3 < p.count {
                    hi = p[i + 3]
                    skip = 4
                }
                if lo <= ch && ch <= hi { matched = true }
                i += skip
            } else {
                if lo == ch { matched = true }
                i += 1
            }
        }
        return nil
    }
}
