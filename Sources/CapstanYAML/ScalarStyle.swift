import CapstanModel

/// How the emitter writes a string: plain when reading it back gives the same string, a literal block
/// for multi-line text a literal can hold exactly, double-quoted otherwise.
enum ScalarStyle: Equatable {
    case plain
    case doubleQuoted
    /// `|` with its chomping indicator: `-` (no final newline), none (one), `+` (several).
    case literal(chomp: UInt8?)

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Keys longer than this (in bytes, as written) use the explicit `? key` form; libyaml reads simple
    /// keys of at most 1024 characters.
    static let maxSimpleKeyBytes = 1000

    /// The style for a string value.
    static func valueStyle(_ s: Bytes) -> ScalarStyle {
        if s.contains(UInt8(ascii: "\n")) {
            if let chomp = literalChomp(s) { return .literal(chomp: chomp) }
            return .doubleQuoted
        }
        if isPlainSyntax(s), ScalarResolver.resolvePlain(s) == .string { return .plain }
        return .doubleQuoted
    }

    /// Whether a map key can be written plain: it must read back as the same key string, which allows
    /// `8080` or `true` (they become "8080" and "true" again) but not `yes` (→ "true") or `1.0` (→ "1").
    static func isPlainKey(_ s: Bytes) -> Bool {
        guard isPlainSyntax(s) else { return false }
        if s.count == 2, s[0] == UInt8(ascii: "<"), s[1] == UInt8(ascii: "<") { return false }  // a merge key
        switch ScalarResolver.resolvePlain(s) {
        case .string: return true
        case .int(let i): return s.elementsEqual(String(i).utf8)
        case .bool(let b): return s.elementsEqual((b ? "true" : "false").utf8)
        case .float(let d): return s.elementsEqual(ScalarConversions.float32KeyString(d).utf8)
        case .null, .uint: return false
        }
    }

    /// A double as text that reads back as the same number: Go's shortest `%v` form, or `.inf`/`.nan`.
    static func format(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        return GoFloat.formatG(d)
    }

    // MARK: - Plain

    /// Whether libyaml reads `s` back unchanged as a plain scalar in block context (typing aside).
    static func isPlainSyntax(_ s: Bytes) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            // These start a plain scalar only when a non-blank follows.
            guard s.count > 1, s[1] != UInt8(ascii: " ") else { return false }
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"), UInt8(ascii: " "):
            return false
        default:
            break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        if s.count >= 3, (s[0] == UInt8(ascii: "-") && s[1] == UInt8(ascii: "-") && s[2] == UInt8(ascii: "-"))
            || (s[0] == UInt8(ascii: ".") && s[1] == UInt8(ascii: ".") && s[2] == UInt8(ascii: "."))
        {
            return false  // a document marker at the left margin
        }
        var previous: UInt8 = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if c < 0x20 || c == 0x7F { return false }
            if c == UInt8(ascii: ":"), i + 1 < s.count, s[i + 1] == UInt8(ascii: " ") { return false }
            if c == UInt8(ascii: "#"), previous == UInt8(ascii: " ") { return false }
            if c >= 0x80, needsEscape(s, at: i) { return false }
            previous = c
            i += 1
        }
        return true
    }

    /// Whether the non-ASCII character at byte `i` must be escaped: C1 controls (including NEL, a YAML 1.1
    /// line break), the line and paragraph separators, the byte-order mark, and U+FFFE/U+FFFF, which
    /// libyaml's reader rejects or turns into line breaks.
    @inline(__always)
    static func needsEscape(_ s: Bytes, at i: Int) -> Bool {
        let c = s[i]
        let n = s.count
        if c == 0xC2, i + 1 < n, s[i + 1] < 0xA0 { return true }
        if c == 0xE2, i + 2 < n, s[i + 1] == 0x80, s[i + 2] == 0xA8 || s[i + 2] == 0xA9 { return true }
        if c == 0xEF, i + 2 < n, s[i + 1] == 0xBB, s[i + 2] == 0xBF { return true }
        if c == 0xEF, i + 2 < n, s[i + 1] == 0xBF, s[i + 2] >= 0xBE { return true }
        return false
    }

    // MARK: - Literal blocks

    /// The chomping indicator when `s` can be written as a literal block exactly, or nil. A literal cannot
    /// hold: a first content line starting with a space or tab (it would be read as indentation), spaces
    /// or tabs before a line break, carriage returns and other control characters, or text that is only
    /// line breaks.
    static func literalChomp(_ s: Bytes) -> UInt8?? {
        var sawContent = false
        var atLineStart = true
        var previous: UInt8 = UInt8(ascii: "\n")
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\n") {
                if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t") { return nil }
                atLineStart = true
            } else {
                if c < 0x20 && c != UInt8(ascii: "\t") || c == 0x7F { return nil }
                if c >= 0x80, needsEscape(s, at: i) { return nil }
                if atLineStart, !sawContent, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { return nil }
                sawContent = true
                atLineStart = false
            }
            previous = c
            i += 1
        }
        guard sawContent, previous != UInt8(ascii: " "), previous != UInt8(ascii: "\t") else { return nil }
        var trailing = 0
        var j = s.count - 1
        while j >= 0, s[j] == UInt8(ascii: "\n") {
            trailing += 1
            j -= 1
        }
        switch trailing {
        case 0: return .some(UInt8(ascii: "-"))
        case 1: return .some(nil)
        default: return .some(UInt8(ascii: "+"))
        }
    }

    /// The lines of a literal block, each indented (empty lines stay empty), each ending in a newline.
    static func appendLiteralBody(_ s: Bytes, indent: Int, to out: inout [UInt8]) {
        var lineStart = 0
        let end = s.count
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, s[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd > lineStart {
                for _ in 0..<indent { out.append(UInt8(ascii: " ")) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[lineStart..<lineEnd]))
            }
            out.append(UInt8(ascii: "\n"))
            lineStart = lineEnd + 1
        }
    }

    // MARK: - Double-quoted

    /// `"..."` on one line, escaping quotes, backslashes, control characters and the characters YAML
    /// treats as line breaks or refuses.
    static func appendDoubleQuoted(_ s: Bytes, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var i = 0
        while i < s.count {
            let c = s[i]
            switch c {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x00: out.append(contentsOf: [0x5C, UInt8(ascii: "0")])
            case 0x07: out.append(contentsOf: [0x5C, UInt8(ascii: "a")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0B: out.append(contentsOf: [0x5C, UInt8(ascii: "v")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x1B: out.append(contentsOf: [0x5C, UInt8(ascii: "e")])
            case 0x01..<0x20, 0x7F: appendHexEscape(UInt32(c), to: &out)
            case 0x80...:
                if needsEscape(s, at: i) {
                    let (scalar, length) = decodeScalar(s, at: i)
                    switch scalar {
                    case 0x85: out.append(contentsOf: [0x5C, UInt8(ascii: "N")])
                    case 0x2028: out.append(contentsOf: [0x5C, UInt8(ascii: "L")])
                    case 0x2029: out.append(contentsOf: [0x5C, UInt8(ascii: "P")])
                    default: appendHexEscape(scalar, to: &out)
                    }
                    i += length
                    continue
                }
                out.append(c)
            default:
                out.append(c)
            }
            i += 1
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
    private static func appendHexEscape(_ scalar: UInt32, to out: inout [UInt8]) {
        let (letter, digits): (UInt8, Int) = scalar < 0x100 ? (UInt8(ascii: "x"), 2) : scalar < 0x10000 ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
        out.append(0x5C)
        out.append(letter)
        let hex = Array("0123456789ABCDEF".utf8)
        for k in stride(from: digits - 1, through: 0, by: -1) { out.append(hex[Int(scalar >> (4 * UInt32(k)) & 0xF)]) }
    }

    /// The Unicode scalar starting at byte `i` of valid UTF-8, and its length in bytes.
    private static func decodeScalar(_ s: Bytes, at i: Int) -> (UInt32, Int) {
        let c = UInt32(s[i])
        if c < 0xE0 { return ((c & 0x1F) << 6 | UInt32(s[i + 1]) & 0x3F, 2) }
        if c < 0xF0 { return ((c & 0x0F) << 12 | (UInt32(s[i + 1]) & 0x3F) << 6 | UInt32(s[i + 2]) & 0x3F, 3) }
        return ((c & 0x07) << 18 | (UInt32(s[i + 1]) & 0x3F) << 12 | (UInt32(s[i + 2]) & 0x3F) << 6 | UInt32(s[i + 3]) & 0x3F, 4)
    }
}
