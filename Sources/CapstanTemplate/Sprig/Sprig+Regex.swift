import CapstanModel
import CapstanRegex

/// sprig's regular-expression functions (`regex.go`) on `CapstanRegex`: RE2 syntax and Go `regexp`
/// semantics (leftmost-first, `FindAll`/`Split` iteration, `Expand`), matched in linear time, so no
/// pattern from a fleet repository can stall a render.
extension Sprig {
    private typealias S = SprigSupport

    static let regex: [TemplateFunction] = [
        TemplateFunction("regexMatch", [.string, .string]) { a throws(FunctionError) in
            guard let re = try? compile(S.string(a[0])) else { return .bool(false) }
            return .bool(re.matches(S.string(a[1])))
        },
        TemplateFunction("mustRegexMatch", [.string, .string]) { a throws(FunctionError) in
            .bool(try compile(S.string(a[0])).matches(S.string(a[1])))
        },
        TemplateFunction("regexFindAll", [.string, .string, .int]) { a throws(FunctionError) in
            try findAll(compile(S.string(a[0]), panicking: true), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("mustRegexFindAll", [.string, .string, .int]) { a throws(FunctionError) in
            try findAll(compile(S.string(a[0])), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("regexFind", [.string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0]), panicking: true).firstMatch(S.string(a[1])) ?? "")
        },
        TemplateFunction("mustRegexFind", [.string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0])).firstMatch(S.string(a[1])) ?? "")
        },
        TemplateFunction("regexReplaceAll", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0]), panicking: true).replaceAll(S.string(a[1]), with: S.string(a[2])))
        },
        TemplateFunction("mustRegexReplaceAll", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0])).replaceAll(S.string(a[1]), with: S.string(a[2])))
        },
        TemplateFunction("regexReplaceAllLiteral", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0]), panicking: true).replaceAllLiteral(S.string(a[1]), with: S.string(a[2])))
        },
        TemplateFunction("mustRegexReplaceAllLiteral", [.string, .string, .string]) { a throws(FunctionError) in
            .string(try compile(S.string(a[0])).replaceAllLiteral(S.string(a[1]), with: S.string(a[2])))
        },
        TemplateFunction("regexSplit", [.string, .string, .int]) { a throws(FunctionError) in
            try split(compile(S.string(a[0]), panicking: true), S.string(a[1]), S.int(a[2]))
        },
        TemplateFunction("mustRegexSplit", [.string, .string, .int]) { a throws(FunctionError) in
            try split(compile(S.string(a[0])), S.string(a[1]), S.int(a[2]))
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

    /// Compiles through the shared bounded cache; `panicking` words the error as `regexp.MustCompile`'s panic.
    private static func compile(_ pattern: String, panicking: Bool = false) throws(FunctionError) -> RegexProgram {
        switch RegexCache.shared.compile(pattern) {
        case .success(let re): return re
        case .failure(let error):
            throw FunctionError(panicking ? "regexp: Compile(\(GoQuote.quote(pattern))): \(error.message)" : error.message)
        }
    }

    private static func findAll(_ re: RegexProgram, _ s: String, _ n: Int) -> TemplateValue {
        let matches = re.allMatches(s, limit: n)
        return .list(TemplateList(matches.map { .string($0) }, element: .string, isNil: matches.isEmpty))
    }

    /// `regexp.Split`; Go returns nil for `n == 0`.
    private static func split(_ re: RegexProgram, _ s: String, _ n: Int) -> TemplateValue {
        if n == 0 { return .list(TemplateList([], element: .string, isNil: true)) }
        return .stringList(re.split(s, limit: n))
    }
}
