import CapstanCEL
import CapstanModel

extension PolicyEngine {
    /// One (policy, binding, param) evaluation: match conditions, then validations (with lazy
    /// variables and messages), then audit annotations, all in one cost budget.
    func evaluate(
        _ policy: AdmissionPolicy, _ binding: PolicyBinding, param: Param?, context: RequestContext, reporter: VerdictReporter,
        into result: inout PolicyEvaluation
    ) {
        let budget = CostBudget(limits)
        let params: CELValue = switch param {
        case nil, .null?: .null
        case .object(let o)?: CELValue(o.body)
        }
        var scope = EvaluationScope(
            object: context.object, oldObject: context.oldObject, request: context.request, params: params,
            namespaceObject: context.namespaceObject)
        let fails = policy.failurePolicy == .fail
        func failure(_ message: String, _ expression: PolicyExpression?, actions: [ValidationAction]? = nil) {
            guard fails else { return }
            result.verdicts.append(reporter.verdict(
                binding: binding.name, actions: actions ?? binding.validationActions, message: message, cause: .failure,
                expression: expression))
        }

        // Match conditions: any false skips the policy; otherwise any error fails by the failure policy.
        var conditionError: (String, PolicyExpression?)?
        for condition in policy.matchConditions {
            guard let expression = condition.expression else { continue }
            guard let program = expression.program else {
                conditionError = conditionError ?? ("matchCondition '\(condition.name)' does not compile: \(expression.compileError ?? "")", expression)
                continue
            }
            switch budget.run(program, scope) {
            case .success(.bool(true)): continue
            case .success(.bool(false)): return
            case .success(let other):
                conditionError = conditionError ?? ("matchCondition '\(condition.name)' must evaluate to bool, got \(other.celType.name)", expression)
            case .failure(let e):
                conditionError = conditionError ?? ("matchCondition '\(condition.name)' resulted in error: \(e.message)", expression)
            }
        }
        result.evaluated.append(EvaluatedBinding(policy: policy.name, binding: binding.name))
        if let (message, expression) = conditionError {
            failure(message, expression)
            return
        }

        if !policy.variables.isEmpty {
            let resolver = VariableResolver(policy.variables, budget: budget)
            scope.variables = .map(CELMap(lazy: CELLazyMap(keys: policy.variables.map(\.name)) { resolver.resolve($0) }))
            resolver.scope = scope
        }

        for (index, validation) in policy.validations.enumerated() {
            guard let expression = validation.expression else { continue }
            guard let program = expression.program else {
                failure("expression '\(expression.text.trimmed)' does not compile: \(expression.compileError ?? "")", expression)
                continue
            }
            switch budget.run(program, scope) {
            case .success(.bool(true)):
                continue
            case .success(.bool(false)):
                switch message(for: validation, expression: expression, scope: scope, budget: budget) {
                case .success(let text):
                    result.verdicts.append(reporter.verdict(
                        binding: binding.name, actions: binding.validationActions, message: text, reason: validation.reason,
                        cause: .violation(index: index), expression: expression))
                case .failure(let e):
                    failure("failed messageExpression: \(e.message)", validation.messageExpression)
                }
            case .success(let other):
                failure("expression '\(expression.text.trimmed)' must evaluate to bool, got \(other.celType.name)", expression)
            case .failure(let e):
                failure("expression '\(expression.text.trimmed)' resulted in error: \(e.message)", expression)
            }
            if budget.exhausted { break }
        }

        for annotation in policy.auditAnnotations {
            guard let expression = annotation.valueExpression else { continue }
            // An audit annotation that fails denies outright (not through the binding's actions), as in the apiserver.
            guard let program = expression.program else {
                failure("valueExpression '\(expression.text.trimmed)' does not compile: \(expression.compileError ?? "")", expression, actions: [.deny])
                continue
            }
            switch budget.run(program, scope) {
            case .success(.null):
                continue
            case .success(.string(let s)):
                let value = s.trimmed
                guard !value.isEmpty else { continue }
                let annotation = AuditAnnotation(
                    key: "\(policy.name)/\(annotation.key)", value: String(decoding: Array(value.utf8.prefix(Self.maxAuditValueBytes)), as: UTF8.self),
                    binding: binding.name, object: reporter.request.subject.key)
                if !result.auditAnnotations.contains(annotation) { result.auditAnnotations.append(annotation) }
            case .success(let other):
                failure(
                    "valueExpression '\(expression.text.trimmed)' resulted in unsupported return type: \(other.celType.name). Return type must be either string or null.",
                    expression, actions: [.deny])
            case .failure(let e):
                failure("valueExpression '\(expression.text.trimmed)' resulted in error: \(e.message)", expression, actions: [.deny])
            }
        }
    }

    /// Largest audit annotation value kept (bytes).
    static let maxAuditValueBytes = 10 * 1024
    /// Largest `messageExpression` result used (`MaxEvaluatedMessageExpressionSizeBytes`).
    static let maxMessageBytes = 5 * 1024

    /// The message of a failed validation: `messageExpression` when it yields a usable string, else
    /// `message`, else `failed expression: <expr>`. Only running out of budget is an error.
    func message(
        for validation: AdmissionPolicy.Validation, expression: PolicyExpression, scope: EvaluationScope, budget: CostBudget
    ) -> Result<String, CELError> {
        if let me = validation.messageExpression, let program = me.program {
            switch budget.run(program, scope) {
            case .success(.string(let s)):
                let text = s.trimmed
                if !text.isEmpty, text.utf8.count <= Self.maxMessageBytes, !text.utf8.contains(10) { return .success(text) }
            case .failure(let e) where e.kind == .costLimit:
                return .failure(e)
            default:
                break
            }
        }
        if let m = validation.message?.trimmed, !m.isEmpty { return .success(m) }
        return .success("failed expression: \(expression.text.trimmed)")
    }
}

extension String {
    /// Without leading and trailing white space.
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
