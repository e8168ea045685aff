import CapstanModel
/// sprig's regular-expression functions (`regex.go`) on Swift's `Regex`, configured to behave like Go's
/// RE2 where the syntaxes overlap: unicode-scalar matching, ASCII `\d \w \s`, simple `\b`, and `$`
/// matching only at the end of text outside multi-line mode. Match iteration, `$1`/`${name}` expansion
/// and `Split` follow Go's `regexp` rules.
extension Sprig {
    private typealias S = SprigSupport

    static let regex: [TemplateFunction] = [
        TemplateFunction("regexMatch", [.string, .string]) { a throws(FunctionError) in
            guard let re = try? GoRegex(S.string(a[0])) else { return .bool(false) }
            return .bool(re.firstMatch(S.string(a[1])) != nil)
        },
        TemplateFunction("mustRegexMatch", [.string, .string]) { a throws(FunctionError) in
            .bool(try GoRegex(S.string(a[0])).firstMatch(S.string(a[1])) != nil)
        },
        TemplateFunction("regexFindAll", [.string, .string, .int]) { a throws(FunctionError) in
            try findAll(GoRegex(S.string(a[0]), panicking: true), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("mustRegexFindAll", [.string, .string, .int]) { a throws(FunctionError) in
            try findAll(GoRegex(S.string(a[0])), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("regexFind", [.string, .string]) { a throws(FunctionError) in
            let s = S.string(a[1])
            return .string(try GoRegex(S.string(a[0]), panicking: true).firstMatch(s).map { String(s[$0]) } ?? "")
        },
        TemplateFunction("mustRegexFind", [.string, .string]) { a throws(FunctionError) in
            let s = S.string(a[1])
            return .string(try GoRegex(S.string(a[0])).firstMatch(s).map { String(s[$0]) } ?? "")
        },
        TemplateFunction("regexReplaceAll", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try GoRegex(S.string(a[0]), panicking: true).replaceAll(S.string(a[1]), S.string(a[2]), literal: false))
        },
        TemplateFunction("mustRegexReplaceAll", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try GoRegex(S.string(a[0])).replaceAll(S.string(a[1]), S.string(a[2]), literal: false))
        },
        TemplateFunction("regexReplaceAllLiteral", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try GoRegex(S.string(a[0]), panicking: true).replaceAll(S.string(a[1]), S.string(a[2]), literal: true))
        },
        TemplateFunction("mustRegexReplaceAllLiteral", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try GoRegex(S.string(a[0])).replaceAll(S.string(a[1]), S.string(a[2]), literal: true))
        },
        TemplateFunction("regexSplit", [.string, .string, .int]) { a throws(FunctionError) in
            try split(GoRegex(S.string(a[0]), panicking: true), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("mustRegexSplit", [.string, .string, .int]) { a throws(FunctionError) in
            try split(GoRegex(S.string(a[0])), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("regexQuoteMeta", [.string]) { a throws(FunctionError) in
            var out = ""
            for ch in S.string(a[0]).unicodeScalars {
                if "\\.+*?()|[]{}^$".unicodeScalars.contains(ch) { out.append("\\") }
                out.unicodeScalars.append(ch)
            }
            return .string(out)
        },
    ]

    private static func findAll(_ re: GoRegex, _ s: String, _ n: Int) -> TemplateValue {
        let matches = re.allMatches(s, limit: n)
        return .list(TemplateList(matches.map { .string(String(s[$0.range])) }, element: .string, isNil: matches.isEmpty))
    }

    /// `regexp.Split`.
    private static func split(_ re: GoRegex, _ s: String, _ n: Int) -> TemplateValue {
        if n == 0 { return .list(TemplateList([], element: .string, isNil: true)) }
        if !re.pattern.isEmpty && s.isEmpty { return .stringList([""]) }
        var parts: [String] = []
        var beg = s.startIndex
        var end = s.startIndex
        for m in re.allMatches(s, limit: n) {
            if n > 0 && parts.count == n - 1 { break }
            end = m.range.lowerBound
            if m.range.upperBound != s.startIndex { parts.append(String(s[beg..<end])) }
            beg = m.range.upperBound
        }
        if end != s.endIndex { parts.append(String(s[beg...])) }
        return .stringList(parts)
    }
}

/// A compiled pattern with Go `regexp` iteration and expansion semantics.
struct GoRegex {
    let pattern: String
    let regex: Regex<AnyRegexOutput>

    struct Match {
        var range: Range<String.Index>
        var groups: [Range<String.Index>?]
        var names: [String: Int]
    }

    /// Compiles `pattern`; `panicking` reports errors as `regexp.MustCompile` panics do.
    init(_ pattern: String, panicking: Bool = false) throws(FunctionError) {
        self.pattern = pattern
        do {
            regex = try Regex(Self.translate(pattern))
                .matchingSemantics(.unicodeScalar)
                .asciiOnlyWordCharacters()
                .asciiOnlyDigits()
                .asciiOnlyWhitespace()
                .wordBoundaryKind(RegexWordBoundaryKind.simple)
        } catch {
            let detail = "error parsing regexp: \(error): `\(pattern)`"
            throw FunctionError(panicking ? "regexp: Compile(\(GoQuote.quote(pattern))): \(detail)" : detail)
        }
    }

    /// Rewrites RE2 syntax Swift reads differently: a bare `$` (end of text in Go unless `(?m)`).
    private static func translate(_ p: String) -> String {
        if p.contains("(?m") || p.contains("(?sm") || p.contains("(?im") { return p }
        var out = ""
        var escaped = false
        var inClass = false
        for ch in p {
            if escaped {
                out.append(ch)
                escaped = false
                continue
            }
            switch ch {
            case "\\":
                escaped = true
                out.append(ch)
            case "[":
                inClass = true
                out.append(ch)
            case "]":
                inClass = false
                out.append(ch)
            case "$" where !inClass:
                out.append("\\z")
            default:
                out.append(ch)
            }
        }
        return out
    }

    func firstMatch(_ s: String) -> Range<String.Index>? {
        (try? regex.firstMatch(in: s))?.range
    }

    /// Go's `FindAll...` iteration: an empty match right after the previous match is skipped.
    func allMatches(_ s: String, limit n: Int) -> [Match] {
        var out: [Match] = []
        var prevEnd: String.Index?
        for m in s.matches(of: regex) {
            if n >= 0 && out.count >= n { break }
            if m.range.isEmpty, let p = prevEnd, m.range.lowerBound == p { continue }
            var groups: [Range<String.Index>?] = []
            var names: [String: Int] = [:]
            for (i, g) in m.output.enumerated() {
                groups.append(g.range)
                if let name = g.name { names[name] = i }
            }
            out.append(Match(range: m.range, groups: groups, names: names))
            prevEnd = m.range.upperBound
        }
        return out
    }

    /// `ReplaceAllString` / `ReplaceAllLiteralString`.
    func replaceAll(_ s: String, _ repl: String, literal: Bool) -> String {
        var out = ""
        var last = s.startIndex
        for m in allMatches(s, limit: -1) {
            out += s[last..<m.range.lowerBound]
            out += literal ? repl : expand(repl, m, in: s)
            last = m.range.upperBound
        }
        out += s[last...]
        return out
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to nothing.
    private func expand(_ template: String, _ m: Match, in s: String) -> String {
        var out = ""
        var t = Substring(template)
        while let dollar = t.firstIndex(of: "$") {
            out += t[..<dollar]
            t = t[dollar...]
            let afterDollar = t.dropFirst()
            if afterDollar.first == "$" {
                out.append("$")
                t = afterDollar.dropFirst()
                continue
            }
            var rest = afterDollar
            let brace = rest.first == "{"
            if brace { rest = rest.dropFirst() }
            let name = rest.prefix(while: { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            rest = rest.dropFirst(name.count)
            if name.isEmpty || (brace && rest.first != "}") {
                out.append("$")
                t = afterDollar
                continue
            }
            if brace { rest = rest.dropFirst() }
            t = rest
            var index: Int?
            if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
                index = Int(name)
            } else {
                index = m.names[String(name)]
            }
            if let i = index, i < m.groups.count, let r = m.groups[i] { out += s[r] }
        }
        out += t
        return out
    }
}
