import CapstanModel

/// cel-go `ext.Strings` as Kubernetes loads it (version 2, plus `quote`, `reverse` and the version 1
/// `format`). Indexes and lengths count code points. Semantics and messages follow cel-go's ext/strings.go.
enum StringsExtension {
    static func register(_ t: inout FunctionTable) {
        t.member("charAt", cost: .traverse(0)) { s, i in
            guard case .string(let str) = s, case .int(let idx) = i else { return nil }
            let scalars = Array(str.unicodeScalars)
            guard idx >= 0, idx <= Int64(scalars.count) else { return .error("index out of range: \(idx)") }
            if idx == Int64(scalars.count) { return .string("") }
            return .string(String(scalars[Int(idx)]))
        }
        t.member("indexOf", cost: .product) { s, sub in
            guard case .string(let str) = s, case .string(let needle) = sub else { return nil }
            return indexOf(str, needle, 0)
        }
        t.member("indexOf", cost: .product) { s, sub, off in
            guard case .string(let str) = s, case .string(let needle) = sub, case .int(let o) = off else { return nil }
            return indexOf(str, needle, o)
        }
        t.member("lastIndexOf", cost: .product) { s, sub in
            guard case .string(let str) = s, case .string(let needle) = sub else { return nil }
            let n = Array(str.unicodeScalars).count
            if needle.isEmpty { return .int(Int64(n)) }
            if str.utf8.count < needle.utf8.count { return .int(-1) }
            return lastIndexOf(str, needle, Int64(n - 1))
        }
        t.member("lastIndexOf", cost: .product) { s, sub, off in
            guard case .string(let str) = s, case .string(let needle) = sub, case .int(let o) = off else { return nil }
            return lastIndexOf(str, needle, o)
        }
        t.member("lowerAscii", cost: .output) { s in
            guard case .string(let str) = s else { return nil }
            return .string(mapASCII(str) { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
        }
        t.member("upperAscii", cost: .output) { s in
            guard case .string(let str) = s else { return nil }
            return .string(mapASCII(str) { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
        }
        t.member("replace", cost: .output) { s, old, new in
            guard case .string(let str) = s, case .string(let o) = old, case .string(let n) = new else { return nil }
            return .string(replace(str, o, n, -1))
        }
        t.memberN("replace", cost: .output) { args in
            guard args.count == 4, case .string(let str) = args[0], case .string(let o) = args[1],
                case .string(let n) = args[2], case .int(let limit) = args[3]
            else { return nil }
            return .string(replace(str, o, n, limit))
        }
        t.member("split", cost: .output) { s, sep in
            guard case .string(let str) = s, case .string(let sp) = sep else { return nil }
            return .list(split(str, sp, -1).map(CELValue.string))
        }
        t.member("split", cost: .output) { s, sep, n in
            guard case .string(let str) = s, case .string(let sp) = sep, case .int(let limit) = n else { return nil }
            return .list(split(str, sp, limit).map(CELValue.string))
        }
        t.member("substring", cost: .output) { s, start in
            guard case .string(let str) = s, case .int(let a) = start else { return nil }
            let scalars = Array(str.unicodeScalars)
            guard a >= 0, a <= Int64(scalars.count) else { return .error("index out of range: \(a)") }
            return .string(String(String.UnicodeScalarView(scalars[Int(a)...])))
        }
        t.member("substring", cost: .output) { s, start, end in
            guard case .string(let str) = s, case .int(let a) = start, case .int(let b) = end else { return nil }
            let scalars = Array(str.unicodeScalars)
            if a > b { return .error("invalid substring range. start: \(a), end: \(b)") }
            guard a >= 0, a <= Int64(scalars.count) else { return .error("index out of range: \(a)") }
            guard b >= 0, b <= Int64(scalars.count) else { return .error("index out of range: \(b)") }
            return .string(String(String.UnicodeScalarView(scalars[Int(a)..<Int(b)])))
        }
        t.member("trim", cost: .output) { s in
            guard case .string(let str) = s else { return nil }
            let scalars = Array(str.unicodeScalars)
            var lo = 0, hi = scalars.count
            while lo < hi, scalars[lo].properties.isWhitespace { lo += 1 }
            while hi > lo, scalars[hi - 1].properties.isWhitespace { hi -= 1 }
            return .string(String(String.UnicodeScalarView(scalars[lo..<hi])))
        }
        t.member("join", cost: .output) { l in
            guard case .list(let list) = l else { return nil }
            return join(list, "")
        }
        t.member("join", cost: .output) { l, sep in
            guard case .list(let list) = l, case .string(let s) = sep else { return nil }
            return join(list, s)
        }
        t.member("reverse", cost: .output) { s in
            guard case .string(let str) = s else { return nil }
            return .string(String(String.UnicodeScalarView(str.unicodeScalars.reversed())))
        }
        t.global("strings.quote", cost: .output) { s in
            guard case .string(let str) = s else { return nil }
            return .string(quote(str))
        }
        t.member("format", cost: .output) { s, args in
            guard case .string(let f) = s, case .list(let list) = args else { return nil }
            return StringFormat.format(f, list.values)
        }
    }

    static func mapASCII(_ s: String, _ f: (UInt8) -> UInt8) -> String {
        String(decoding: s.utf8.map { $0 < 128 ? f($0) : $0 }, as: UTF8.self)
    }

    static func indexOf(_ str: String, _ needle: String, _ offset: Int64) -> CELValue {
        guard offset >= 0 else { return .error("index out of range: \(offset)") }
        let runes = Array(str.unicodeScalars.map(\.value))
        if needle.isEmpty { return .int(offset > Int64(runes.count) ? Int64(runes.count) : offset) }
        let sub = Array(needle.unicodeScalars.map(\.value))
        if offset >= Int64(runes.count) { return .int(-1) }
        var i = Int(offset)
        while i < runes.count - (sub.count - 1) {
            if runes[i..<(i + sub.count)].elementsEqual(sub) { return .int(Int64(i)) }
            i += 1
        }
        return .int(-1)
    }

    static func lastIndexOf(_ str: String, _ needle: String, _ offset: Int64) -> CELValue {
        guard offset >= 0 else { return .error("index out of range: \(offset)") }
        let runes = Array(str.unicodeScalars.map(\.value))
        if needle.isEmpty { return .int(offset > Int64(runes.count) ? Int64(runes.count) : offset) }
        let sub = Array(needle.unicodeScalars.map(\.value))
        if offset >= Int64(runes.count) { return .int(-1) }
        var i = Int(min(offset, Int64(runes.count - sub.count)))
        while i >= 0 {
            if runes[i..<(i + sub.count)].elementsEqual(sub) { return .int(Int64(i)) }
            i -= 1
        }
        return .int(-1)
    }

    /// Go's `strings.Replace(s, old, new, n)`; an empty `old` matches before every code point and at the end.
    static func replace(_ s: String, _ old: String, _ new: String, _ n: Int64) -> String {
        if n == 0 || (old == new && CodePoints.equal(old, new)) { return s }
        if old.isEmpty {
            var out = ""
            var count: Int64 = 0
            for u in s.unicodeScalars {
                if n < 0 || count < n {
                    out += new
                    count += 1
                }
                out.unicodeScalars.append(u)
            }
            if n < 0 || count < n { out += new }
            return out
        }
        let hay = Array(s.utf8), needle = Array(old.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(hay.count)
        var i = 0
        var count: Int64 = 0
        while n < 0 || count < n, let j = CodePoints.find(hay, needle, from: i) {
            out += hay[i..<j]
            out += new.utf8
            i = j + needle.count
            count += 1
        }
        out += hay[i...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `strings.SplitN(s, sep, n)`: n > 0 at most n parts, 0 none, negative all; an empty separator
    /// splits into code points.
    static func split(_ s: String, _ sep: String, _ n: Int64) -> [String] {
        if n == 0 { return [] }
        if sep.isEmpty {
            let scalars = Array(s.unicodeScalars)
            var parts: [String] = []
            for (i, u) in scalars.enumerated() {
                if n > 0 && Int64(parts.count) == n - 1 {
                    parts.append(String(String.UnicodeScalarView(scalars[i...])))
                    return parts
                }
                parts.append(String(u))
            }
            return parts
        }
        let hay = Array(s.utf8), needle = Array(sep.utf8)
        var parts: [String] = []
        var i = 0
        while n < 0 || Int64(parts.count) < n - 1, let j = CodePoints.find(hay, needle, from: i) {
            parts.append(String(decoding: hay[i..<j], as: UTF8.self))
            i = j + needle.count
        }
        parts.append(String(decoding: hay[i...], as: UTF8.self))
        return parts
    }

    static func join(_ list: CELList, _ sep: String) -> CELValue {
        var out = ""
        for (i, v) in list.enumerated() {
            guard case .string(let s) = v else { return .error("join: invalid input: \(v.displayText)") }
            if i > 0 { out += sep }
            out += s
        }
        return .string(out)
    }

    /// `strings.quote`: a double-quoted string with C-style escapes for control characters.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
