import CapstanModel

/// Go's `encoding/json` for template values (`toJson`, `toPrettyJson`, `toRawJson`) and the decoding
/// `fromJson` uses (numbers become float64).
enum GoJSON {
    struct UnsupportedValue: Error {
        var message: String
    }

    /// `json.Marshal` (HTML-escaped) or an encoder with `SetEscapeHTML(false)`; `indent` for `MarshalIndent`.
    static func encode(_ v: TemplateValue, escapeHTML: Bool, indent: String? = nil) throws(UnsupportedValue) -> String {
        var out = ""
        try write(v, &out, escapeHTML: escapeHTML, indent: indent, level: 0)
        return out
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out.append("\n")
        for _ in 0..<level { out.append(indent) }
    }

    private static func write(_ v: TemplateValue, _ out: inout String, escapeHTML: Bool, indent: String?, level: Int) throws(UnsupportedValue) {
        switch v {
        case .invalid, .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): out.append(String(i))
        case .int64(let i): out.append(String(i))
        case .uint64(let u): out.append(String(u))
        case .uint8(let u): out.append(String(u))
        case .float64(let d):
            guard let s = GoFloat.formatJSON(d) else {
                throw UnsupportedValue(message: "json: unsupported value: \(GoFloatFormat.format(d, "g", precision: -1))")
            }
            out.append(s)
        case .string(let s): writeString(s, &out, escapeHTML: escapeHTML)
        case .semver(let s): writeString(s.description, &out, escapeHTML: escapeHTML)
        case .list(let l):
            if l.isNil {
                out.append("null")
                return
            }
            if l.items.isEmpty {
                out.append("[]")
                return
            }
            out.append("[")
            for (i, item) in l.items.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                try write(item, &out, escapeHTML: escapeHTML, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("]")
        case .map(let m):
            if m.isNil {
                out.append("null")
                return
            }
            if m.entries.isEmpty {
                out.append("{}")
                return
            }
            out.append("{")
            for (i, key) in m.sortedKeys.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                writeString(key, &out, escapeHTML: escapeHTML)
                out.append(indent == nil ? ":" : ": ")
                try write(m.entries[key]!, &out, escapeHTML: escapeHTML, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("}")
        }
    }

    private static let hex = Array("0123456789abcdef")

    /// Go's string encoding: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other controls as `\u00XX`,
    /// `<`, `>`, `&` as `\u003c`... when escaping HTML, and U+2028/U+2029 always escaped.
    static func writeString(_ s: String, _ out: inout String, escapeHTML: Bool) {
        out.append("\"")
        for r in s.unicodeScalars {
            switch r {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            case "<", ">", "&":
                if escapeHTML {
                    out.append("\\u00")
                    out.append(hex[Int(r.value >> 4)])
                    out.append(hex[Int(r.value & 0xF)])
                } else {
                    out.unicodeScalars.append(r)
                }
            case "\u{2028}": out.append("\\u2028")
            case "\u{2029}": out.append("\\u2029")
            default:
                if r.value < 0x20 {
                    out.append("\\u00")
                    out.append(hex[Int(r.value >> 4)])
                    out.append(hex[Int(r.value & 0xF)])
                } else {
                    out.unicodeScalars.append(r)
                }
            }
        }
        out.append("\"")
    }

    /// `json.Unmarshal` into `interface{}`; the error text approximates Go's.
    static func decode(_ s: String) throws(FunctionError) -> TemplateValue {
        do {
            return TemplateValue(json: try JSON.parse(s))
        } catch {
            let bytes = Array(s.utf8)
            if error.offset >= bytes.count || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
                throw FunctionError("unexpected end of JSON input")
            }
            let c = Unicode.Scalar(bytes[error.offset])
            throw FunctionError("invalid character \(GoQuote.quoteRune(c)) looking for beginning of value")
        }
    }
}
