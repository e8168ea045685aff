import CapstanModel
/// sprig's string functions (Masterminds/sprig `strings.go`, `functions.go`) with Go's `strings` semantics.
extension Sprig {
    private typealias S = SprigSupport

    static let strings: [TemplateFunction] = [
        TemplateFunction("hello", []) { _ throws(FunctionError) in .string("Hello!") },
        TemplateFunction("trim", [.string]) { a throws(FunctionError) in .string(GoStrings.trimSpace(S.string(a[0]))) },
        TemplateFunction("upper", [.string]) { a throws(FunctionError) in .string(GoStrings.toUpper(S.string(a[0]))) },
        TemplateFunction("lower", [.string]) { a throws(FunctionError) in .string(GoStrings.toLower(S.string(a[0]))) },
        TemplateFunction("title", [.string]) { a throws(FunctionError) in .string(GoStrings.title(S.string(a[0]))) },
        TemplateFunction("untitle", [.string]) { a throws(FunctionError) in .string(GoStrings.uncapitalize(S.string(a[0]))) },
        TemplateFunction("substr", [.int, .int, .string]) { a throws(FunctionError) in
            try .string(substring(S.int(a[0]), S.int(a[1]), S.string(a[2])))
        },
        TemplateFunction("repeat", [.int, .string]) { a throws(FunctionError) in
            let n = S.int(a[0])
            if n < 0 { throw FunctionError("strings: negative Repeat count") }
            if n > 0 && S.string(a[1]).utf8.count > Sprig.maxValueBytes / n { try Sprig.checkBuild(-1, "strings: Repeat") }
            return .string(String(repeating: S.string(a[1]), count: n))
        },
        TemplateFunction("trimall", [.string, .string]) { a throws(FunctionError) in .string(GoStrings.trim(S.string(a[1]), cutset: S.string(a[0]))) },
        TemplateFunction("trimAll", [.string, .string]) { a throws(FunctionError) in .string(GoStrings.trim(S.string(a[1]), cutset: S.string(a[0]))) },
        TemplateFunction("trimSuffix", [.string, .string]) { a throws(FunctionError) in
            let (suffix, s) = (Array(S.string(a[0]).utf8), Array(S.string(a[1]).utf8))
            if s.count >= suffix.count && Array(s.suffix(suffix.count)) == suffix {
                return .string(String(decoding: s.dropLast(suffix.count), as: UTF8.self))
            }
            return a[1]
        },
        TemplateFunction("trimPrefix", [.string, .string]) { a throws(FunctionError) in
            let (prefix, s) = (Array(S.string(a[0]).utf8), Array(S.string(a[1]).utf8))
            if s.starts(with: prefix) { return .string(String(decoding: s.dropFirst(prefix.count), as: UTF8.self)) }
            return a[1]
        },
        TemplateFunction("nospace", [.string]) { a throws(FunctionError) in .string(GoStrings.deleteWhiteSpace(S.string(a[0]))) },
        TemplateFunction("initials", [.string]) { a throws(FunctionError) in .string(GoStrings.initials(S.string(a[0]))) },
        TemplateFunction("swapcase", [.string]) { a throws(FunctionError) in .string(GoStrings.swapCase(S.string(a[0]))) },
        TemplateFunction("shuffle", [.string]) { a throws(FunctionError) in .string(String(String.UnicodeScalarView(S.string(a[0]).unicodeScalars.shuffled()))) },
        TemplateFunction("snakecase", [.string]) { a throws(FunctionError) in .string(CaseConversion.lowerCase(S.string(a[0]), connector: "_")) },
        TemplateFunction("kebabcase", [.string]) { a throws(FunctionError) in .string(CaseConversion.lowerCase(S.string(a[0]), connector: "-")) },
        TemplateFunction("camelcase", [.string]) { a throws(FunctionError) in .string(CaseConversion.pascalCase(S.string(a[0]))) },
        TemplateFunction("wrap", [.int, .string]) { a throws(FunctionError) in .string(GoStrings.wrap(S.string(a[1]), S.int(a[0]), newline: "", wrapLongWords: false)) },
        TemplateFunction("wrapWith", [.int, .string, .string]) { a throws(FunctionError) in
            // At most one line break per input byte.
            let (n, nl) = (S.string(a[2]).utf8.count, max(S.string(a[1]).utf8.count, 1))
            if nl > 1 { try Sprig.checkBuild(n > Sprig.maxValueBytes / nl ? -1 : n + n * nl, "wrapWith") }
            return .string(GoStrings.wrap(S.string(a[2]), S.int(a[0]), newline: S.string(a[1]), wrapLongWords: true))
        },
        TemplateFunction("contains", [.string, .string]) { a throws(FunctionError) in
            let (sub, s) = (S.string(a[0]), S.string(a[1]))
            return .bool(sub.isEmpty || GoStrings.index(s, sub) != nil)
        },
        TemplateFunction("hasPrefix", [.string, .string]) { a throws(FunctionError) in .bool(Array(S.string(a[1]).utf8).starts(with: S.string(a[0]).utf8)) },
        TemplateFunction("hasSuffix", [.string, .string]) { a throws(FunctionError) in
            let (suffix, s) = (Array(S.string(a[0]).utf8), Array(S.string(a[1]).utf8))
            return .bool(s.count >= suffix.count && Array(s.suffix(suffix.count)) == suffix)
        },
        TemplateFunction("quote", [], variadic: .any) { a throws(FunctionError) in
            .string(a.compactMap { $0.isNilLike ? nil : GoQuote.quote(S.strval($0)) }.joined(separator: " "))
        },
        TemplateFunction("squote", [], variadic: .any) { a throws(FunctionError) in
            .string(a.compactMap { $0.isNilLike ? nil : "'" + GoFormatter.formatV($0) + "'" }.joined(separator: " "))
        },
        TemplateFunction("cat", [], variadic: .any) { a throws(FunctionError) in
            .string(a.compactMap { $0.isNilLike ? nil : GoFormatter.formatV($0) }.joined(separator: " "))
        },
        TemplateFunction("indent", [.int, .string]) { a throws(FunctionError) in .string(try indent(S.int(a[0]), S.string(a[1]))) },
        TemplateFunction("nindent", [.int, .string]) { a throws(FunctionError) in .string("\n" + (try indent(S.int(a[0]), S.string(a[1])))) },
        TemplateFunction("replace", [.string, .string, .string]) { a throws(FunctionError) in
            let (old, new, s) = (S.string(a[0]), S.string(a[1]), S.string(a[2]))
            if new.utf8.count > old.utf8.count {
                let hits = old.isEmpty ? s.unicodeScalars.count + 1 : GoStrings.split(s, old, limit: -1).count - 1
                let growth = new.utf8.count - old.utf8.count
                try Sprig.checkBuild(hits > Sprig.maxValueBytes / growth ? -1 : s.utf8.count + hits * growth, "replace")
            }
            return .string(GoStrings.replaceAll(s, old, with: new))
        },
        TemplateFunction("plural", [.string, .string, .int]) { a throws(FunctionError) in S.int(a[2]) == 1 ? a[0] : a[1] },
        TemplateFunction("toString", [.any]) { a throws(FunctionError) in .string(S.strval(a[0])) },
        TemplateFunction("toStrings", [.any]) { a throws(FunctionError) in .stringList(S.strslice(a[0])) },
        TemplateFunction("join", [.string, .any]) { a throws(FunctionError) in
            let (parts, sep) = (S.strslice(a[1]), S.string(a[0]))
            var size = sep.utf8.count > Sprig.maxValueBytes / max(parts.count, 1) ? -1 : sep.utf8.count * parts.count
            for p in parts where size >= 0 { size += p.utf8.count }
            try Sprig.checkBuild(size, "join")
            return .string(parts.joined(separator: sep))
        },
        TemplateFunction("split", [.string, .string]) { a throws(FunctionError) in
            splitMap(GoStrings.split(S.string(a[1]), S.string(a[0]), limit: -1))
        },
        TemplateFunction("splitList", [.string, .string]) { a throws(FunctionError) in
            .stringList(GoStrings.split(S.string(a[1]), S.string(a[0]), limit: -1))
        },
        TemplateFunction("splitn", [.string, .int, .string]) { a throws(FunctionError) in
            splitMap(GoStrings.split(S.string(a[2]), S.string(a[0]), limit: S.int(a[1])))
        },
        TemplateFunction("trunc", [.int, .string]) { a throws(FunctionError) in
            let c = S.int(a[0])
            let bytes = Array(S.string(a[1]).utf8)
            if c < 0 && bytes.count + c > 0 { return .string(String(decoding: bytes[(bytes.count + c)...], as: UTF8.self)) }
            if c >= 0 && bytes.count > c { return .string(String(decoding: bytes[..<c], as: UTF8.self)) }
            return a[1]
        },
        TemplateFunction("abbrev", [.int, .string]) { a throws(FunctionError) in
            let (width, s) = (S.int(a[0]), S.string(a[1]))
            if width < 4 { return .string(s) }
            return .string(GoStrings.abbreviate(s, offset: 0, maxWidth: width))
        },
        TemplateFunction("abbrevboth", [.int, .int, .string]) { a throws(FunctionError) in
            let (left, right, s) = (S.int(a[0]), S.int(a[1]), S.string(a[2]))
            if right < 4 || left > 0 && right < 7 { return .string(s) }
            return .string(GoStrings.abbreviate(s, offset: left, maxWidth: right))
        },
    ]

    /// sprig's `substring` over bytes, with Go's slice-bounds panics.
    static func substring(_ start: Int, _ end: Int, _ s: String) throws(FunctionError) -> String {
        let bytes = Array(s.utf8)
        func slice(_ lo: Int, _ hi: Int) throws(FunctionError) -> String {
            if hi < 0 { throw FunctionError("runtime error: slice bounds out of range [:\(hi)]") }
            if hi > bytes.count { throw FunctionError("runtime error: slice bounds out of range [:\(hi)] with length \(bytes.count)") }
            if lo < 0 || lo > hi { throw FunctionError("runtime error: slice bounds out of range [\(lo):\(hi)]") }
            return String(decoding: bytes[lo..<hi], as: UTF8.self)
        }
        if start < 0 { return try slice(0, end) }
        if end < 0 || end > bytes.count { return try slice(start, bytes.count) }
        return try slice(start, end)
    }

    static func indent(_ spaces: Int, _ v: String) throws(FunctionError) -> String {
        let lines = v.utf8.count(where: { $0 == 10 }) + 1
        try Sprig.checkBuild(max(spaces, 0) > Sprig.maxValueBytes / lines ? -1 : v.utf8.count + lines * max(spaces, 0), "indent")
        let pad = String(repeating: " ", count: max(spaces, 0))
        return pad + GoStrings.replaceAll(v, "\n", with: "\n" + pad)
    }

    /// `split`/`splitn` results: `map[string]string{"_0": ..., "_1": ...}`.
    static func splitMap(_ parts: [String]) -> TemplateValue {
        var entries: [String: TemplateValue] = [:]
        for (i, p) in parts.enumerated() { entries["_\(i)"] = .string(p) }
        return .map(TemplateMap(entries, element: .string))
    }
}
