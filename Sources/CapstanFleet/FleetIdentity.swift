import CapstanModel
import CapstanYAML

/// The identity checks `capstan lint` reports and the daemon refuses to apply past: every object has an
/// `apiVersion`, a `kind` and a valid `metadata.name`, is defined once, and has valid labels.
enum FleetIdentity {
    static func check(_ objects: [FleetObject]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var firstDefinition: [ObjectKey: FleetObject] = [:]
        for object in objects {
            let problems = fieldProblems(object)
            diagnostics += problems
            guard problems.isEmpty || !object.object.name.isEmpty && !object.object.kind.isEmpty else { continue }
            if let first = firstDefinition[object.key] {
                diagnostics.append(object.diagnostic("already defined at \(first.location)"))
            } else {
                firstDefinition[object.key] = object
            }
        }
        return diagnostics
    }

    private static func fieldProblems(_ o: FleetObject) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let body = o.object.body
        let kind = body["kind"]?.stringValue ?? ""
        // Name the object in messages as far as it is known.
        let label = objectLabel(o)
        func problem(_ message: String, at path: [PathElement], key: Bool = true) {
            let location = key ? o.keyLocation(of: path) : o.location(of: path)
            out.append(Diagnostic(.error, at: location, object: label, fieldPath: PathElement.fieldPath(path), message: message))
        }
        for field in ["apiVersion", "kind"] {
            switch body[field] {
            case nil, .null?: problem("required field is missing", at: [.key(field)])
            case .string(let s)? where s.isEmpty: problem("must not be empty", at: [.key(field)])
            case .string?: break
            case let v?: problem("must be a string, got \(v.kind)", at: [.key(field)])
            }
        }
        switch body["metadata"] {
        case nil, .null?:
            problem("required field is missing", at: ["metadata"])
            return out
        case .map?: break
        case let v?:
            problem("must be a map, got \(v.kind)", at: ["metadata"])
            return out
        }
        switch body[path: ["metadata", "name"]] {
        case nil, .null?:
            let hint = body[path: ["metadata", "generateName"]] != nil ? " (generateName is not supported: a fleet object needs a stable name)" : ""
            problem("required field is missing" + hint, at: ["metadata", "name"])
        case .string(let name)?:
            for message in nameErrors(name, kind: kind, group: o.object.gvk.group) {
                problem("invalid name \"\(name)\": \(message)", at: ["metadata", "name"], key: false)
            }
        case let v?:
            problem("must be a string, got \(v.kind)", at: ["metadata", "name"])
        }
        switch body[path: ["metadata", "namespace"]] {
        case nil, .null?: break
        case .string(let ns)?:
            for message in KubeNames.dns1123LabelErrors(ns) {
                problem("invalid namespace \"\(ns)\": \(message)", at: ["metadata", "namespace"], key: false)
            }
        case let v?:
            problem("must be a string, got \(v.kind)", at: ["metadata", "namespace"])
        }
        out += mapProblems(o, label: label, field: "labels", checkValues: true)
        out += mapProblems(o, label: label, field: "annotations", checkValues: false)
        return out
    }

    /// Label keys must be qualified names and values valid label values; annotation keys must be qualified
    /// names; both maps hold only strings.
    private static func mapProblems(_ o: FleetObject, label: String?, field: String, checkValues: Bool) -> [Diagnostic] {
        let path: [PathElement] = ["metadata", .key(field)]
        guard let value = o.object.body[path: ["metadata", field]], !value.isNull else { return [] }
        guard case .map(let map) = value else {
            return [Diagnostic(.error, at: o.keyLocation(of: path), object: label, fieldPath: PathElement.fieldPath(path), message: "must be a map of strings, got \(value.kind)")]
        }
        var out: [Diagnostic] = []
        let noun = field == "labels" ? "label" : "annotation"
        for entry in map {
            let entryPath = path + [.key(entry.key)]
            func problem(_ message: String, key: Bool) {
                out.append(Diagnostic(
                    .error, at: key ? o.keyLocation(of: entryPath) : o.location(of: entryPath), object: label,
                    fieldPath: PathElement.fieldPath(entryPath), message: message))
            }
            for message in KubeNames.qualifiedNameErrors(entry.key) {
                problem("invalid \(noun) key \"\(entry.key)\": \(message)", key: true)
            }
            guard case .string(let s) = entry.value else {
                problem("\(noun) values must be strings, got \(entry.value.kind) (quote it)", key: false)
                continue
            }
            if checkValues {
                for message in KubeNames.labelValueErrors(s) { problem("invalid label value \"\(s)\": \(message)", key: false) }
            }
        }
        return out
    }

    /// The apimachinery rule for an object's name: DNS-1123 label for namespaces, DNS-1035 label for
    /// services, a path segment for RBAC objects (`system:controller:x` is valid), DNS-1123 subdomain otherwise.
    static func nameErrors(_ name: String, kind: String, group: String) -> [String] {
        switch (group, kind) {
        case ("", "Namespace"): return KubeNames.dns1123LabelErrors(name)
        case ("", "Service"): return dns1035LabelErrors(name)
        case ("rbac.authorization.k8s.io", _):
            if name.isEmpty { return ["must not be empty"] }
            if name == "." || name == ".." { return ["may not be '\(name)'"] }
            if name.contains("/") { return ["may not contain '/'"] }
            if name.contains("%") { return ["may not contain '%'"] }
            return []
        default: return KubeNames.dns1123SubdomainErrors(name)
        }
    }

    /// RFC 1035 label: at most 63 characters, lower-case alphanumerics and '-', starting with a letter and
    /// ending with an alphanumeric.
    static func dns1035LabelErrors(_ s: String) -> [String] {
        var errors: [String] = []
        if s.utf8.count > 63 { errors.append("must be no more than 63 characters") }
        let bytes = Array(s.utf8)
        let lower = { (c: UInt8) in c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
        let alnum = { (c: UInt8) in lower(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
        if bytes.isEmpty || !lower(bytes[0]) || !alnum(bytes[bytes.count - 1])
            || !bytes.allSatisfy({ alnum($0) || $0 == UInt8(ascii: "-") })
        {
            errors.append(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character")
        }
        return errors
    }

    /// `Kind ns/name` as far as known, for messages (nil when even the kind is missing).
    private static func objectLabel(_ o: FleetObject) -> String? {
        let kind = o.object.body["kind"]?.stringValue ?? ""
        let name = o.object.body[path: ["metadata", "name"]]?.stringValue ?? ""
        if kind.isEmpty { return name.isEmpty ? nil : name }
        if name.isEmpty { return kind }
        return o.key.description
    }
}
