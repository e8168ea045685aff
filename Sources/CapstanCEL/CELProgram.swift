/// Limits for one evaluation.
public struct CELLimits: Sendable, Hashable {
    /// The most cost one evaluation may use (cel-go's runtime cost units). Kubernetes allows 1,000,000
    /// per expression (`PerCallLimit`, "about 0.1 s").
    public var costLimit: Int

    public init(costLimit: Int = 1_000_000) { self.costLimit = costLimit }

    /// Kubernetes' per-expression limit.
    public static let `default` = CELLimits()
    /// No limit (for trusted expressions only).
    public static let unlimited = CELLimits(costLimit: Int.max)
}

/// Supplies variable values to an evaluation.
public protocol CELActivation {
    /// The value bound to `name`, or nil when unbound.
    func value(for name: String) -> CELValue?
}

extension Dictionary: CELActivation where Key == String, Value == CELValue {
    public func value(for name: String) -> CELValue? { self[name] }
}

/// A compiled CEL expression: parse once, evaluate many times (safe to share across threads).
public struct CELProgram: Sendable {
    /// The expression text.
    public var source: String { parsed.source.text }
    /// The variables the expression reads, in first-use order.
    public let referencedVariables: [String]

    let parsed: ParsedExpression
    let tree: CompiledTree
    let localCount: Int
    let unboundErrors: [CELValue]

    /// Parses and compiles `source`; throws a syntax or declaration error with its location.
    public init(_ source: String, environment: CELEnvironment = .kubernetes) throws(CELError) {
        let parsed = try Parser.parse(source, options: environment.parserOptions)
        var compiler = Compiler(parsed: parsed, environment: environment)
        let root = try compiler.compile(parsed.root)
        self.parsed = parsed
        self.tree = CompiledTree(root)
        self.localCount = compiler.localCount
        self.referencedVariables = compiler.globalNames
        self.unboundErrors = compiler.globalNames.map { .error("no such attribute(s): \($0)") }
    }

    /// Evaluates with variables from a dictionary.
    public func evaluate(_ bindings: [String: CELValue] = [:], limits: CELLimits = .default) -> Result<CELValue, CELError> {
        evaluateCounting(bindings, limits: limits).result
    }

    /// Evaluates with variables from an activation.
    public func evaluate(_ activation: some CELActivation, limits: CELLimits = .default) -> Result<CELValue, CELError> {
        evaluateCounting(activation, limits: limits).result
    }

    /// Evaluates and reports the cost used (for budgets shared by several expressions).
    public func evaluateCounting(_ activation: some CELActivation, limits: CELLimits = .default)
        -> (result: Result<CELValue, CELError>, cost: Int)
    {
        var globals: [CELValue] = []
        globals.reserveCapacity(referencedVariables.count)
        for (i, name) in referencedVariables.enumerated() {
            globals.append(activation.value(for: name) ?? unboundErrors[i])
        }
        let a = Activation(globals: globals, localCount: localCount, limit: limits.costLimit)
        do {
            let v = try tree.root.eval(a)
            if case .error(let e) = v { return (.failure(error(e)), a.cost) }
            return (.success(v), a.cost)
        } catch {
            return (.failure(CELError(.costLimit, error.message)), a.cost)
        }
    }

    /// A located error for an evaluation error value.
    func error(_ e: CELEvalError) -> CELError {
        guard let loc = parsed.location(of: e.node) else { return CELError(.evaluation, e.message) }
        return CELError(.evaluation, e.message, location: loc, snippet: parsed.source.snippet(loc))
    }
}
