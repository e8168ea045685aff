import CapstanModel

/// Reads a rendered patch template back as JSON, as `sigs.k8s.io/yaml.Unmarshal` does (YAML 1.1 typing,
/// first document only, empty output is null). The one seam for YAML parsing of template output.
enum TemplateOutput {
    static func parse(_ text: String) throws(TopologyError) -> Value {
        do {
            return try StopGapYAML.parse(text)
        } catch {
            throw TopologyError("failed to unmarshal rendered template: \(GoQuote.quote(text)): error converting YAML to JSON: yaml: \(error.message)")
        }
    }
}

/// Stop-gap until CapstanYAML lands: empty/whitespace output, JSON text, and single-line plain or quoted
/// scalars with go-yaml v2 (YAML 1.1) typing. Block structures are reported as unsupported.
enum StopGapYAML {
    struct Failure: Error { var message: String }

    static func parse(_ text: String) throws(Failure) -> Value {
        var t = text.trimmingWhitespace
        if t.hasPrefix("---") { t = String(t.dropFirst(3)).trimmingWhitespace }
        if t.isEmpty { return .null }
        if let v = try? JSON.parse(t) { return GoJSONNormalization.normalize(v) }
        if t.contains("\n") || t.hasPrefix("{") || t.hasPrefix("[") || t.hasPrefix("- ") || t.contains(": ") {
            throw Failure(message: "block YAML needs CapstanYAML (not available in this build)")
        }
        if t.hasPrefix("'") && t.hasSuffix("'") && t.count >= 2 {
            return .string(String(t.dropFirst().dropLast()).replacing("''", with: "'"))
        }
        if let hash = t.range(of: " #") { t = String(t[..<hash.lowerBound]).trimmingWhitespace }
        return resolvePlain(t)
    }

    /// go-yaml v2 `resolve` for plain scalars.
    static func resolvePlain(_ s: String) -> Value {
        switch s {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF": return .bool(false)
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        let plain = s.replacing("_", with: "")
        var sign: Int64 = 1
        var body = Substring(plain)
        if body.first == "-" { sign = -1; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        if body.hasPrefix("0b"), let v = Int64(body.dropFirst(2), radix: 2) { return .int(sign * v) }
        if body.hasPrefix("0x"), let v = Int64(body.dropFirst(2), radix: 16) { return .int(sign * v) }
        if body.hasPrefix("0o"), let v = Int64(body.dropFirst(2), radix: 8) { return .int(sign * v) }
        if body.count > 1, body.hasPrefix("0"), body.allSatisfy(\.isASCIIDigit) {
            if let v = Int64(body, radix: 8) { return .int(sign * v) }
        }
        if !body.isEmpty, body.allSatisfy(\.isASCIIDigit), let v = Int64(body) { return .int(sign * v) }
        if s.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil, let d = Double(plain) {
            return GoJSONNormalization.number(d)
        }
        return .string(s)
    }
}
