/// Kubernetes name and label syntax checks (k8s.io/apimachinery `validation.IsDNS1123Subdomain` and
/// friends). Each returns the list of problems, empty when the input is valid, with the apimachinery wording.
public enum KubeNames {
    static func isAlnum(_ c: UInt8) -> Bool { (97...122).contains(c) || (48...57).contains(c) }
    static func isAlnumAnyCase(_ c: UInt8) -> Bool { isAlnum(c) || (65...90).contains(c) }

    /// RFC 1123 label: at most 63 characters, lower-case alphanumerics and '-', alphanumeric at both ends.
    public static func dns1123LabelErrors(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append("must be no more than 63 characters") }
        if !isDNS1123LabelSyntax(s.utf8) {
            errs.append("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character")
        }
        return errs
    }

    static func isDNS1123LabelSyntax<S: Collection>(_ s: S) -> Bool where S.Element == UInt8 {
        guard let f = s.first, let l = s.reversed().first, isAlnum(f), isAlnum(l) else { return false }
        return s.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// RFC 1123 subdomain: at most 253 characters, dot-separated labels.
    public static func dns1123SubdomainErrors(_ s: String) -> [String] {
        var errs: [String] = []
        if s.utf8.count > 253 { errs.append("must be no more than 253 characters") }
        let parts = Array(s.utf8).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if s.isEmpty || !parts.allSatisfy({ isDNS1123LabelSyntax($0) }) {
            errs.append("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character")
        }
        return errs
    }

    public static func isDNS1123Subdomain(_ s: String) -> Bool { dns1123SubdomainErrors(s).isEmpty }
    public static func isDNS1123Label(_ s: String) -> Bool { dns1123LabelErrors(s).isEmpty }

    /// A label value: empty, or at most 63 characters of alphanumerics, '-', '_' or '.', alphanumeric at both ends.
    public static func labelValueErrors(_ s: String) -> [String] {
        if s.isEmpty { return [] }
        var errs: [String] = []
        if s.utf8.count > 63 { errs.append("must be no more than 63 characters") }
        if !isQualifiedNamePart(s.utf8) {
            errs.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")
        }
        return errs
    }

    static func isQualifiedNamePart<S: Collection>(_ s: S) -> Bool where S.Element == UInt8 {
        guard let f = s.first, let l = s.reversed().first, isAlnumAnyCase(f), isAlnumAnyCase(l) else { return false }
        return s.allSatisfy { isAlnumAnyCase($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// A qualified name (label or annotation key): optional DNS subdomain prefix and '/', then a name
    /// part of at most 63 characters.
    public static func qualifiedNameErrors(_ s: String) -> [String] {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        var name = s
        var errs: [String] = []
        switch parts.count {
        case 1: break
        case 2:
            let prefix = String(parts[0])
            name = String(parts[1])
            if prefix.isEmpty { errs.append("prefix part must be non-empty") } else {
                errs += dns1123SubdomainErrors(prefix).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'"]
        }
        if name.isEmpty { errs.append("name part must be non-empty") } else {
            if name.utf8.count > 63 { errs.append("name part must be no more than 63 characters") }
            if !isQualifiedNamePart(name.utf8) {
                errs.append("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")
            }
        }
        return errs
    }
}
