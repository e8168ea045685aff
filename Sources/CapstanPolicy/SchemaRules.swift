public import CapstanModel
public import CapstanCEL

/// A failed `x-kubernetes-validations` rule at one field of a value.
public struct FieldViolation: Sendable, Hashable, CustomStringConvertible {
    /// The rule's `reason` (apiextensions `FieldValueErrorReason`).
    public enum Reason: String, Sendable, Hashable {
        case invalid = "FieldValueInvalid"
        case forbidden = "FieldValueForbidden"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
    }

    /// The field blamed: the rule's node, extended by its `fieldPath` (`spec.x.y`, `m[key]`, `l[0]`).
    public var path: String
    public var message: String
    public var reason: Reason
    /// The rule's CEL text.
    public var rule: String
    /// True when the rule could not be evaluated (does not compile, runtime error, cost limit) rather
    /// than evaluating to false.
    public var isError: Bool
    /// For errors, CEL's own message without our framing (callers that reproduce another tool's wording use it).
    public var errorDetail: String?

    public init(path: String, message: String, reason: Reason = .invalid, rule: String, isError: Bool = false, errorDetail: String? = nil) {
        self.path = path
        self.message = message
        self.reason = reason
        self.rule = rule
        self.isError = isError
        self.errorDetail = errorDetail
    }

    /// `path: message`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Evaluates the `x-kubernetes-validations` rules of an OpenAPI v3 schema (a CRD's, or a ClusterClass
/// variable's `openAPIV3Schema`) against a value, each rule at its node with `self` (and `oldSelf` for
/// transition rules, which are skipped when there is no old value). Values are converted as the
/// apiserver types them by schema (docs/policies.md lists what is and is not modelled). Compile once,
/// validate many values; safe to share across threads.
public struct SchemaRules: Sendable {
    let root: SchemaNode
    let limits: PolicyLimits

    /// Compiles every rule of `schema`.
    public init(schema: Value, limits: PolicyLimits = .default) {
        root = SchemaNode(schema, depth: 0)
        self.limits = limits
    }

    /// The CEL environment rules compile in (`self`, `oldSelf`, the Kubernetes libraries); admission
    /// checks that only need to know whether a rule compiles use it too.
    public static var celEnvironment: CELEnvironment { SchemaNode.environment }

    /// True when the schema carries no rule anywhere (validation then costs nothing).
    public var isEmpty: Bool { !root.hasRules }

    /// The rules that do not compile, with the schema path of their node (`properties.a.x-kubernetes-validations[0]`).
    public var compileErrors: [String] { root.compileErrors(path: "") }

    /// Validates `value` (and, for transition rules, `oldValue`); `path` prefixes every reported field path.
    public func validate(_ value: Value, oldValue: Value? = nil, path: String = "") -> [FieldViolation] {
        guard root.hasRules else { return [] }
        var out: [FieldViolation] = []
        let budget = CostBudget(limits)
        root.validate(value, old: oldValue, path: path, budget: budget, into: &out)
        return out
    }

    /// Compiles `schema` and validates one value.
    public static func validate(schema: Value, value: Value, oldValue: Value? = nil, path: String = "") -> [FieldViolation] {
        SchemaRules(schema: schema).validate(value, oldValue: oldValue, path: path)
    }
}
