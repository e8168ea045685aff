import CapstanCEL
import CapstanModel

/// One `x-kubernetes-validations` rule compiled once per ClusterClass.
struct CompiledRule: Sendable {
    var rule: String
    var message: String
    var reason: String?
    var fieldPath: String
    var program: Result<CELProgram, CELError>
    var messageExpression: CELProgram?

    /// The environment of CRD validation rules: `self`, and `oldSelf` for transition rules.
    static let environment = CELEnvironment.kubernetes.declaring(["self", "oldSelf"])

    init(_ v: Value) {
        let text = v["rule"]?.stringValue ?? ""
        rule = text
        message = v["message"]?.stringValue ?? ""
        reason = v["reason"]?.stringValue
        fieldPath = v["fieldPath"]?.stringValue ?? ""
        program = Result { () throws(CELError) in try CELProgram(text, environment: CompiledRule.environment) }
        let me = v["messageExpression"]?.stringValue ?? ""
        messageExpression = me.isEmpty ? nil : try? CELProgram(me, environment: CompiledRule.environment)
    }

    /// Transition rules need the old value, which a render never has (upstream skips them without one).
    var usesOldSelf: Bool {
        if case .success(let p) = program { return p.referencedVariables.contains("oldSelf") }
        return false
    }

    /// `ruleErrorString`: the trimmed message, else the trimmed rule.
    var errorString: String { message.isEmpty ? rule.trimmingWhitespace : message.trimmingWhitespace }
}

/// Evaluates `x-kubernetes-validations` on variable values with CapstanCEL, as the apiextensions CEL
/// validator does (schema/cel/validation.go): every node with rules is visited with `self` bound to its
/// value; a false rule yields the messageExpression result, the message, or `failed rule: <rule>`.
struct CELVariableRules: VariableRuleEvaluator {
    func validate(_ value: Value, schema: JSONSchema, path: FieldPath, rawText: String) -> [FieldError] {
        var errs: [FieldError] = []
        visit(value, schema, path, rawText, &errs)
        return errs
    }

    func visit(_ value: Value, _ s: JSONSchema, _ path: FieldPath, _ raw: String, _ errs: inout [FieldError]) {
        if !s.rules.isEmpty, !value.isNull { errs += evaluate(value, s, path, raw) }
        switch value {
        case .map(let m):
            for e in m {
                if let prop = s.property(e.key) {
                    visit(e.value, prop, path.child(e.key), raw, &errs)
                } else if let ap = s.additionalProperties {
                    visit(e.value, ap, path.key(e.key), raw, &errs)
                }
            }
        case .list(let l):
            guard let items = s.items else { return }
            for (i, item) in l.enumerated() { visit(item, items, path.index(i), raw, &errs) }
        default:
            return
        }
    }

    func evaluate(_ value: Value, _ s: JSONSchema, _ path: FieldPath, _ raw: String) -> [FieldError] {
        var errs: [FieldError] = []
        let bindings: [String: CELValue] = ["self": CELValue(value)]
        for r in s.rules where !r.usesOldSelf {
            let program: CELProgram
            switch r.program {
            case .success(let p): program = p
            case .failure(let e):
                errs.append(.invalid(path, raw, "rule compile error: \(e.message)"))
                continue
            }
            switch program.evaluate(bindings) {
            case .failure(let e):
                errs.append(.invalid(path, raw, "\(e.message) evaluating rule: \(r.errorString)"))
            case .success(.bool(true)):
                continue
            case .success(let v):
                if case .bool = v {} else {
                    errs.append(.invalid(path, raw, "rule did not evaluate to a bool evaluating rule: \(r.errorString)"))
                    continue
                }
                var detail = r.message.isEmpty ? "failed rule: \(r.errorString)" : r.message.trimmingWhitespace
                if let me = r.messageExpression, case .success(.string(let text)) = me.evaluate(bindings),
                   !text.trimmingWhitespace.isEmpty, !text.contains("\n") {
                    detail = text
                }
                var fld = path
                if !r.fieldPath.isEmpty { fld = path.child(String(r.fieldPath.drop { $0 == "." })) }
                switch r.reason {
                case "FieldValueForbidden": errs.append(.forbidden(fld, detail))
                case "FieldValueRequired": errs.append(.required(fld, detail))
                case "FieldValueDuplicate": errs.append(FieldError(kind: .duplicate, field: fld, badValue: .string(raw), detail: ""))
                default: errs.append(.invalid(fld, raw, detail))
                }
            }
        }
        return errs
    }
}
