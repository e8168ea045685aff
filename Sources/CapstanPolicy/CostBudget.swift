import CapstanCEL

/// The cost budget of one (policy, binding, param) evaluation, shared by every expression it runs,
/// lazily evaluated variables included. Each call is also capped at the per-call limit.
final class CostBudget: @unchecked Sendable {  // used by one evaluation on one thread; Sendable only so lazy-variable closures can hold it
    private(set) var remaining: Int
    let perCall: Int
    /// Set once an expression ran out of budget; later results are not trusted (an error from a
    /// variable could otherwise be absorbed by `||`).
    private(set) var exhausted = false

    init(_ limits: PolicyLimits) {
        remaining = limits.perEvaluation
        perCall = limits.perCall
    }

    /// Runs a program within the budget.
    func run(_ program: CELProgram, _ activation: some CELActivation) -> Result<CELValue, CELError> {
        guard remaining > 0, !exhausted else {
            exhausted = true
            return .failure(CELError(.costLimit, "operation cancelled: actual cost limit exceeded"))
        }
        let limit = min(perCall, remaining)
        let (result, cost) = program.evaluateCounting(activation, limits: CELLimits(costLimit: limit))
        remaining -= cost
        if case .failure(let e) = result, e.kind == .costLimit {
            exhausted = true
            // Name which limit was hit: one expression's, or the evaluation's shared budget.
            let which = limit == perCall ? "per-expression cost limit \(perCall)" : "cost budget \(remaining + cost) left of this evaluation"
            return .failure(CELError(.costLimit, "\(e.message) (\(which))", location: e.location, snippet: e.snippet))
        }
        if exhausted { return .failure(CELError(.costLimit, "operation cancelled: actual cost limit exceeded (while evaluating variables)")) }
        return result
    }
}

/// The variables of one evaluation, as CEL reads them.
struct EvaluationScope: CELActivation {
    var object: CELValue
    var oldObject: CELValue
    var request: CELValue
    var params: CELValue
    var namespaceObject: CELValue
    var variables: CELValue = .null

    func value(for name: String) -> CELValue? {
        switch name {
        case "object": object
        case "oldObject": oldObject
        case "request": request
        case "params": params
        case "namespaceObject": namespaceObject
        case "variables": variables
        // Offline there is no authorizer: the variable is null (docs/policies.md); the authz functions are
        // not implemented, so expressions that call them do not compile.
        case "authorizer": .null
        default: nil
        }
    }
}

/// Evaluates `spec.variables` on first use, in a budget, each at most once.
final class VariableResolver: @unchecked Sendable {  // one evaluation, one thread; CELLazyMap needs a Sendable resolver
    private let variables: [AdmissionPolicy.NamedExpression]
    private let budget: CostBudget
    private var inProgress = Set<String>()
    /// Set before the first lookup (the scope holds the lazy map that calls back into this resolver).
    var scope: EvaluationScope?

    init(_ variables: [AdmissionPolicy.NamedExpression], budget: CostBudget) {
        self.variables = variables
        self.budget = budget
    }

    func resolve(_ name: String) -> CELValue {
        guard let variable = variables.first(where: { $0.name == name }), let expression = variable.expression else {
            return .error("no such variable: \(name)")
        }
        guard let program = expression.program else {
            return .error("variable '\(name)' does not compile: \(expression.compileError ?? "")")
        }
        guard let scope, inProgress.insert(name).inserted else {
            return .error("variable '\(name)' refers to itself")
        }
        defer { inProgress.remove(name) }
        switch budget.run(program, scope) {
        case .success(let v): return v
        case .failure(let e): return .error("variable '\(name)': \(e.message)")
        }
    }
}
