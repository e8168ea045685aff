import CapstanFleet
import CapstanModel
import CapstanYAML

/// Reads fields of a policy or binding written in YAML, collecting located diagnostics for fields of
/// the wrong type instead of throwing, so every problem of a file is reported at once.
struct SpecReader {
    let object: FleetObject
    private(set) var diagnostics: [Diagnostic] = []

    init(_ object: FleetObject) { self.object = object }

    /// The value at `path`, nil when absent or null.
    func value(_ path: [PathElement]) -> Value? {
        var v = object.object.body
        for step in path {
            switch step {
            case .key(let k): guard let next = v[k] else { return nil }; v = next
            case .index(let i): guard let next = v[i] else { return nil }; v = next
            }
        }
        return v.isNull ? nil : v
    }

    /// Records a problem with the field at `path`.
    mutating func problem(_ message: String, at path: [PathElement]) {
        diagnostics.append(object.diagnostic(message, at: path))
    }

    /// A string field; wrong types are reported and read as absent.
    mutating func string(_ path: [PathElement], required: Bool = false) -> String? {
        guard let v = value(path) else {
            if required { problem("required field is missing", at: path) }
            return nil
        }
        guard case .string(let s) = v else {
            problem("must be a string, got \(v.kind)", at: path)
            return nil
        }
        if required, s.isEmpty { problem("must not be empty", at: path) }
        return s
    }

    /// A list field's elements (empty when absent); a non-list is reported.
    mutating func list(_ path: [PathElement]) -> [Value] {
        guard let v = value(path) else { return [] }
        guard case .list(let l) = v else {
            problem("must be a list, got \(v.kind)", at: path)
            return []
        }
        return l
    }

    /// A list of strings (empty when absent); non-string items are reported and skipped.
    mutating func strings(_ path: [PathElement]) -> [String] {
        var out: [String] = []
        for (i, item) in list(path).enumerated() {
            guard case .string(let s) = item else {
                problem("must be a string, got \(item.kind)", at: path + [.index(i)])
                continue
            }
            out.append(s)
        }
        return out
    }

    /// True when a map field is present; a non-map is reported (and counts as absent).
    mutating func isMap(_ path: [PathElement]) -> Bool {
        guard let v = value(path) else { return false }
        guard case .map = v else {
            problem("must be a map, got \(v.kind)", at: path)
            return false
        }
        return true
    }

    /// A string field holding one of an enum's raw values; unknown values are reported.
    mutating func choice<E: RawRepresentable>(_ path: [PathElement], _ type: E.Type) -> E? where E.RawValue == String {
        guard let s = string(path) else { return nil }
        guard let e = E(rawValue: s) else {
            problem("unsupported value \"\(s)\"", at: path)
            return nil
        }
        return e
    }

    /// Where the field at `path` is written (or its closest written parent).
    func location(_ path: [PathElement]) -> SourceLocation { object.location(of: path) }
}
