/// A named string format of the Kubernetes `format` library.
final class FormatValue: CELOpaqueValue {
    let name: String
    let validate: @Sendable (String) -> [String]
    init(_ name: String, _ validate: @escaping @Sendable (String) -> [String]) {
        self.name = name
        self.validate = validate
    }
    var celType: CELType { .named("kubernetes.NamedFormat") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool { (other as? FormatValue)?.name == name }
    var celDescription: String { "format.\(name)()" }
}

/// The Kubernetes `format` library (format.go): `format.named(name)`, `format.<name>()`, `<Format>.validate(s)`.
/// Messages are apimachinery's validation messages.
enum KubernetesFormat {
    static let formats: [String: @Sendable (String) -> [String]] = [
        "dns1123Label": { NameRules.dns1123Label(NameRules.maskTrailingDash($0, false)) },
        "dns1123Subdomain": { NameRules.dns1123Subdomain(NameRules.maskTrailingDash($0, false)) },
        "dns1035Label": { NameRules.dns1035Label(NameRules.maskTrailingDash($0, false)) },
        "qualifiedName": { NameRules.qualifiedName($0) },
        "dns1123LabelPrefix": { NameRules.dns1123Label(NameRules.maskTrailingDash($0, true)) },
        "dns1123SubdomainPrefix": { NameRules.dns1123Subdomain(NameRules.maskTrailingDash($0, true)) },
        "dns1035LabelPrefix": { NameRules.dns1035Label(NameRules.maskTrailingDash($0, true)) },
        "labelValue": { NameRules.labelValue($0) },
        "uri": { s in
            if case .failure(let e) = ParsedURL.parse(s) { return [e.text] }
            return []
        },
        "uuid": { s in NameRules.isUUID(s) ? [] : ["does not match the UUID format"] },
        "byte": { s in NameRules.isStdBase64(s) ? [] : ["invalid base64"] },
        "date": { s in NameRules.isDate(s) ? [] : ["invalid date"] },
        "datetime": { s in NameRules.isDateTime(s) ? [] : ["invalid datetime"] },
    ]

    static func register(_ t: inout FunctionTable) {
        t.global("format.named") { v in
            guard case .string(let name) = v else { return nil }
            guard let f = formats[name] else { return .optional(.none) }
            return .optional(.of(.opaque(FormatValue(name, f))))
        }
        for (name, f) in formats {
            t.global0("format.\(name)") { .opaque(FormatValue(name, f)) }
        }
        t.member("validate", cost: .traverse(1)) { f, s in
            guard case .opaque(let o) = f, let format = o as? FormatValue, case .string(let str) = s else { return nil }
            let errors = format.validate(str)
            return .optional(errors.isEmpty ? .none : .of(.list(errors.map(CELValue.string))))
        }
    }
}

/// apimachinery's name and label validations, with their exact messages.
enum NameRules {
    static let dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    static let dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
    static let dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?"
    static let qualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let labelValueFmt = "(" + qualifiedNameFmt + ")?"

    static func regexError(_ msg: String, _ fmt: String, _ examples: [String]) -> String {
        if examples.isEmpty { return msg + " (regex used for validation is '" + fmt + "')" }
        var out = msg + " (e.g. "
        for (i, e) in examples.enumerated() {
            if i > 0 { out += " or " }
            out += "'" + e + "', "
        }
        return out + "regex used for validation is '" + fmt + "')"
    }

    static func maxLen(_ n: Int) -> String { "must be no more than \(n) characters" }

    /// `maskTrailingDash`: prefix validation treats a trailing dash as if a name followed.
    static func maskTrailingDash(_ s: String, _ prefix: Bool) -> String {
        guard prefix, s.utf8.count > 1, s.hasSuffix("-") else { return s }
        return String(s.dropLast(2)) + "a"
    }

    static func isLabelSyntax(_ b: ArraySlice<UInt8>, firstAlpha: Bool) -> Bool {
        guard let f = b.first, let l = b.last else { return false }
        func lowerAlnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        if firstAlpha ? !(f >= 97 && f <= 122) : !lowerAlnum(f) { return false }
        return lowerAlnum(l) && b.allSatisfy { lowerAlnum($0) || $0 == 45 }
    }

    static func isSubdomainSyntax(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return !b.isEmpty && b.split(separator: 46, omittingEmptySubsequences: false).allSatisfy { isLabelSyntax($0, firstAlpha: false) }
    }

    static func dns1123Label(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append(maxLen(63)) }
        if !isLabelSyntax(Array(s.utf8)[...], firstAlpha: false) {
            if isSubdomainSyntax(s) {
                errs.append("must not contain dots")
            } else {
                errs.append(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, ["my-name", "123-abc"]))
            }
        }
        return errs
    }

    static func dns1123Subdomain(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 253 { errs.append(maxLen(253)) }
        if !isSubdomainSyntax(s) {
            errs.append(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, ["example.com"]))
        }
        return errs
    }

    static func dns1035Label(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append(maxLen(63)) }
        if !isLabelSyntax(Array(s.utf8)[...], firstAlpha: true) {
            errs.append(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, ["my-name", "abc-123"]))
        }
        return errs
    }

    static func isQualifiedNamePart(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let f = b.first, let l = b.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) }
        return alnum(f) && alnum(l) && b.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    static let qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"

    static func qualifiedName(_ s: String) -> [String] {
        var errs: [String] = []
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var name: String
        switch parts.count {
        case 1: name = parts[0]
        case 2:
            name = parts[1]
            if parts[0].isEmpty {
                errs.append("prefix part must be non-empty")
            } else {
                errs += dns1123Subdomain(parts[0]).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, ["MyName", "my.name", "123-abc"])
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errs.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errs.append("name part " + maxLen(63))
        }
        if !isQualifiedNamePart(name) {
            errs.append("name part " + regexError(qualifiedNameErrMsg, qualifiedNameFmt, ["MyName", "my.name", "123-abc"]))
        }
        return errs
    }

    static func labelValue(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append(maxLen(63)) }
        if !s.isEmpty && !isQualifiedNamePart(s) {
            errs.append(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFmt, ["MyValue", "my_value", "12345"]))
        }
        return errs
    }

    /// kube-openapi strfmt `uuid`: 8-4-4-4-12 hex digits with dashes, or 32 hex digits (any case).
    static func isUUID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func hex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 102) }
        if b.count == 32 { return b.allSatisfy(hex) }
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) { if c != 45 { return false } } else if !hex(c) { return false }
        }
        return true
    }

    /// strfmt `byte`: standard base64 with padding.
    static func isStdBase64(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count % 4 == 0 else { return false }
        let body = b.prefix { $0 != 61 }
        guard b.count - body.count <= 2, b[body.count...].allSatisfy({ $0 == 61 }) else { return false }
        return body.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 43 || $0 == 47 }
            && Base64.decode(s) != nil
    }

    /// strfmt `date`: `YYYY-MM-DD`.
    static func isDate(_ s: String) -> Bool {
        CELTimestamp(rfc3339: s + "T00:00:00Z") != nil && s.utf8.count == 10
    }

    /// strfmt `datetime`: RFC 3339 (optional fraction), also `+hhmm` offsets or no offset.
    static func isDateTime(_ s: String) -> Bool {
        if CELTimestamp(rfc3339: s) != nil { return true }
        // No offset: treat as UTC.
        if CELTimestamp(rfc3339: s + "Z") != nil { return true }
        // +hhmm / -hhmm offsets.
        let u = Array(s.utf8)
        if u.count > 5, u[u.count - 5] == 43 || u[u.count - 5] == 45 {
            let fixed = String(decoding: u[..<(u.count - 2)], as: UTF8.self) + ":" + String(decoding: u[(u.count - 2)...], as: UTF8.self)
            return CELTimestamp(rfc3339: fixed) != nil
        }
        return false
    }
}
