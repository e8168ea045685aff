import CapstanModel

extension CELValue: CustomStringConvertible {
    /// The value written as a CEL literal where one exists (`1u`, `b"\x00"`, `{"a": [1, 2.0]}`,
    /// `timestamp("2024-01-01T00:00:00Z")`, `optional.of(1)`), for `capstan cel` and messages.
    public var description: String { literal }

    /// The value written as a CEL literal.
    public var literal: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return Self.doubleLiteral(d)
        case .string(let s): return Self.quote(s)
        case .bytes(let b): return "b" + Self.quoteBytes(b)
        case .list(let l): return "[" + l.map(\.literal).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.entries.map { "\($0.key.literal): \($0.value.literal)" }.joined(separator: ", ") + "}"
        case .timestamp(let t): return "timestamp(\"\(t.rfc3339)\")"
        case .duration(let d): return "duration(\"\(d.text)\")"
        case .type(let t): return t.name
        case .optional(let o): return o.value.map { "optional.of(\($0.literal))" } ?? "optional.none()"
        case .opaque(let o): return o.celDescription
        case .error(let e): return "error(\(Self.quote(e.message)))"
        }
    }

    /// The value as Go's `%v` would print it in cel-go messages (`no such key: name`).
    var displayText: String {
        switch self {
        case .string(let s): return s
        case .double(let d): return GoFloat.formatG(d)
        case .uint(let u): return String(u)
        default: return literal
        }
    }

    static func doubleLiteral(_ d: Double) -> String {
        if d.isNaN { return "double(\"NaN\")" }
        if d.isInfinite { return d < 0 ? "double(\"-Infinity\")" : "double(\"Infinity\")" }
        let s = "\(d)"  // shortest round-trip form, e.g. 1.0, 0.1, 1e+100
        return s
    }

    /// A double-quoted CEL string literal with escapes for quotes, backslashes and control characters.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\x" + hex2(UInt8(u.value))
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func quoteBytes(_ b: [UInt8]) -> String {
        var out = "\""
        for c in b {
            switch c {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(c))
            default: out += "\\x" + hex2(c)
            }
        }
        return out + "\""
    }
}

func hex2(_ c: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(c >> 4)], digits[Int(c & 15)]])
}
