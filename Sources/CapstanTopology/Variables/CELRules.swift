import CapstanModel
import CapstanPolicy

/// Evaluates a variable's `x-kubernetes-validations` (CEL) rules with the same engine the policies use
/// (`CapstanPolicy.SchemaRules`, compiled once per ClusterClass), and reports failures as the apiextensions
/// CEL validator does (schema/cel/validation.go): the messageExpression result, the message, or
/// `failed rule: <rule>`; evaluation errors as `<error> evaluating rule: <rule>`. Transition rules
/// (`oldSelf`) are skipped: a render has no old value, and upstream skips them without one.
enum VariableRules {
    static func fieldErrors(_ violations: [FieldViolation], valuePath: FieldPath, rawText: String) -> [FieldError] {
        violations.map { v in
            let field = FieldPath(steps: valuePath.steps + parse(v.path))
            if v.isError {
                let detail = v.errorDetail.map { "\($0) evaluating rule: \(v.rule.trimmingWhitespace)" } ?? v.message
                return .invalid(FieldPath(steps: valuePath.steps + parse(v.path)), rawText, detail)
            }
            switch v.reason {
            case .forbidden: return .forbidden(field, v.message)
            case .required: return .required(field, v.message)
            case .duplicate: return FieldError(kind: .duplicate, field: field, badValue: .string(rawText), detail: "")
            case .invalid: return .invalid(field, rawText, v.message)
            }
        }
    }

    /// Parses `SchemaRules` paths (`a.b[key][0]`) into field-path steps.
    static func parse(_ path: String) -> [FieldPath.Step] {
        var steps: [FieldPath.Step] = []
        var name = ""
        var i = path.startIndex
        func flush() {
            if !name.isEmpty { steps.append(.child(name)) }
            name = ""
        }
        while i < path.endIndex {
            let c = path[i]
            if c == "." {
                flush()
            } else if c == "[", let close = path[i...].firstIndex(of: "]") {
                flush()
                var inner = String(path[path.index(after: i)..<close])
                if inner.count >= 2, inner.first == "'", inner.last == "'" { inner = String(inner.dropFirst().dropLast()) }
                steps.append(Int(inner).map(FieldPath.Step.index) ?? .key(inner))
                i = close
            } else {
                name.append(c)
            }
            i = path.index(after: i)
        }
        flush()
        return steps
    }
}
