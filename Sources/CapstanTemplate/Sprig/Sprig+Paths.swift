/// sprig's path functions: Go's `path` (slash-separated) and `path/filepath` (Linux semantics, the same).
extension Sprig {
    private typealias S = SprigSupport

    static let paths: [TemplateFunction] = ["", "os"].flatMap { prefix -> [TemplateFunction] in
        func name(_ n: String) -> String { prefix.isEmpty ? n : prefix + n.prefix(1).uppercased() + n.dropFirst() }
        return [
            TemplateFunction(name("base"), [.string]) { a throws(FunctionError) in .string(GoPath.base(S.string(a[0]))) },
            TemplateFunction(name("dir"), [.string]) { a throws(FunctionError) in .string(GoPath.dir(S.string(a[0]))) },
            TemplateFunction(name("clean"), [.string]) { a throws(FunctionError) in .string(GoPath.clean(S.string(a[0]))) },
            TemplateFunction(name("ext"), [.string]) { a throws(FunctionError) in .string(GoPath.ext(S.string(a[0]))) },
            TemplateFunction(name("isAbs"), [.string]) { a throws(FunctionError) in .bool(S.string(a[0]).hasPrefix("/")) },
        ]
    }
}

/// Go's `path` package.
enum GoPath {
    /// `path.Clean`: lexical simplification (`a//b/../c/.` → `a/c`).
    static func clean(_ p: String) -> String {
        if p.isEmpty { return "." }
        let rooted = p.hasPrefix("/")
        var parts: [Substring] = []
        for seg in p.split(separator: "/", omittingEmptySubsequences: true) {
            switch seg {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(seg)
                }
            default: parts.append(seg)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `path.Base`.
    static func base(_ p: String) -> String {
        if p.isEmpty { return "." }
        var s = Substring(p)
        while s.count > 0 && s.last == "/" { s = s.dropLast() }
        if s.isEmpty { return "/" }
        if let i = s.lastIndex(of: "/") { s = s[s.index(after: i)...] }
        return String(s)
    }

    /// `path.Dir`.
    static func dir(_ p: String) -> String {
        let i = p.lastIndex(of: "/").map { p.index(after: $0) } ?? p.startIndex
        return clean(String(p[..<i]))
    }

    /// `path.Ext`.
    static func ext(_ p: String) -> String {
        for i in p.indices.reversed() {
            if p[i] == "/" { break }
            if p[i] == "." { return String(p[i...]) }
        }
        return ""
    }
}
