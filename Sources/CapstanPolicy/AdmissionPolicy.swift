public import CapstanFleet
public import CapstanModel
import CapstanCEL
import CapstanYAML

/// A `ValidatingAdmissionPolicy` read from the fleet (or a `--policies` directory), every expression
/// compiled once. Problems (wrong field types, expressions that do not compile) are kept in `problems`
/// with file, line and field path; the policy still takes part, failing closed where it is broken.
public struct AdmissionPolicy: Sendable {
    /// `metadata.name`.
    public let name: String
    /// Where the policy object starts.
    public let location: SourceLocation
    /// `spec.failurePolicy` (default `Fail`).
    public let failurePolicy: FailurePolicy
    /// Structural and compile problems, located.
    public let problems: [Diagnostic]

    let paramKind: GroupVersionKind?
    let matchConstraints: MatchResources
    let matchConditions: [NamedExpression]
    let variables: [NamedExpression]
    let validations: [Validation]
    let auditAnnotations: [AuditAnnotationSpec]
    /// Set when the policy cannot be evaluated at all (its spec is unusable); every request it matches
    /// then fails by the failure policy with this message.
    let configurationError: String?

    /// A `matchConditions` or `variables` entry.
    struct NamedExpression: Sendable {
        var name: String
        var expression: PolicyExpression?
    }

    /// A `validations` entry.
    struct Validation: Sendable {
        var expression: PolicyExpression?
        var message: String?
        var messageExpression: PolicyExpression?
        var reason: ValidationReason
    }

    /// An `auditAnnotations` entry.
    struct AuditAnnotationSpec: Sendable {
        var key: String
        var valueExpression: PolicyExpression?
    }

    /// Variables every policy expression may read (docs/policies.md describes the offline values).
    static let baseVariables = ["object", "oldObject", "request", "namespaceObject", "authorizer"]

    /// Reads and compiles a policy object.
    public init(_ object: FleetObject) {
        var reader = SpecReader(object)
        name = object.object.name
        location = object.location
        failurePolicy = reader.choice(["spec", "failurePolicy"], FailurePolicy.self) ?? .fail

        var paramKind: GroupVersionKind?
        if reader.isMap(["spec", "paramKind"]) {
            let apiVersion = reader.string(["spec", "paramKind", "apiVersion"], required: true) ?? ""
            let kind = reader.string(["spec", "paramKind", "kind"], required: true) ?? ""
            paramKind = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        }
        self.paramKind = paramKind
        matchConstraints = MatchResources.read(["spec", "matchConstraints"], &reader, requireRules: true)

        var base = Self.baseVariables
        if paramKind != nil { base.append("params") }
        let conditionEnv = CELEnvironment.kubernetes.declaring(base)
        let env = conditionEnv.declaring(["variables"])

        var conditions: [NamedExpression] = []
        var names = Set<String>()
        for (i, _) in reader.list(["spec", "matchConditions"]).enumerated() {
            let p: [PathElement] = ["spec", "matchConditions", .index(i)]
            let name = reader.string(p + ["name"], required: true) ?? ""
            if !name.isEmpty, !names.insert(name).inserted { reader.problem("duplicate matchCondition name \"\(name)\"", at: p + ["name"]) }
            conditions.append(NamedExpression(
                name: name, expression: PolicyExpression.compile(p + ["expression"], &reader, environment: conditionEnv, variableNames: nil)))
        }
        if conditions.count > 64 { reader.problem("at most 64 matchConditions are allowed", at: ["spec", "matchConditions"]) }
        matchConditions = conditions

        var variables: [NamedExpression] = []
        var declared: [String] = []
        for (i, _) in reader.list(["spec", "variables"]).enumerated() {
            let p: [PathElement] = ["spec", "variables", .index(i)]
            let name = reader.string(p + ["name"], required: true) ?? ""
            if !name.isEmpty {
                if !Self.isIdentifier(name) {
                    reader.problem("variable name \"\(name)\" is not a valid CEL identifier", at: p + ["name"])
                } else if declared.contains(name) {
                    reader.problem("duplicate variable name \"\(name)\"", at: p + ["name"])
                }
            }
            // A variable may use only the variables listed before it.
            let expression = PolicyExpression.compile(p + ["expression"], &reader, environment: env, variableNames: declared)
            variables.append(NamedExpression(name: name, expression: expression))
            if !name.isEmpty { declared.append(name) }
        }
        self.variables = variables

        var validations: [Validation] = []
        for (i, _) in reader.list(["spec", "validations"]).enumerated() {
            let p: [PathElement] = ["spec", "validations", .index(i)]
            let expression = PolicyExpression.compile(p + ["expression"], &reader, environment: env, variableNames: declared)
            let message = reader.string(p + ["message"])
            if let message, message.contains("\n") { reader.problem("message must not contain line breaks", at: p + ["message"]) }
            if message == nil, expression?.text.contains("\n") == true {
                reader.problem("message is required when the expression spans several lines", at: p + ["message"])
            }
            var messageExpression: PolicyExpression?
            if reader.value(p + ["messageExpression"]) != nil {
                messageExpression = PolicyExpression.compile(p + ["messageExpression"], &reader, environment: env, variableNames: declared)
            }
            let reason = reader.string(p + ["reason"]).map(ValidationReason.init(rawValue:)) ?? .invalid
            validations.append(Validation(expression: expression, message: message, messageExpression: messageExpression, reason: reason))
        }
        self.validations = validations

        var annotations: [AuditAnnotationSpec] = []
        var keys = Set<String>()
        for (i, _) in reader.list(["spec", "auditAnnotations"]).enumerated() {
            let p: [PathElement] = ["spec", "auditAnnotations", .index(i)]
            let key = reader.string(p + ["key"], required: true) ?? ""
            if !key.isEmpty, !keys.insert(key).inserted { reader.problem("duplicate audit annotation key \"\(key)\"", at: p + ["key"]) }
            if key.utf8.count > 63 { reader.problem("key must be at most 63 bytes", at: p + ["key"]) }
            annotations.append(AuditAnnotationSpec(
                key: key, valueExpression: PolicyExpression.compile(p + ["valueExpression"], &reader, environment: env, variableNames: declared)))
        }
        auditAnnotations = annotations
        if validations.isEmpty, annotations.isEmpty {
            reader.problem("validations and auditAnnotations must not both be empty", at: ["spec", "validations"])
        }

        problems = reader.diagnostics
        // Problems outside expressions make the whole policy unusable; expressions that do not compile
        // fail on their own when evaluated (as in the apiserver).
        let structural = problems.filter { !$0.message.hasPrefix("expression does not compile") }
        configurationError = structural.first.map { "policy is misconfigured: " + ($0.fieldPath.map { "\($0): " } ?? "") + $0.message }
    }

    /// True when the policy names a parameter kind.
    public var hasParamKind: Bool { paramKind != nil }

    /// A CEL identifier that is not a reserved word.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        guard s.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }) else {
            return false
        }
        return !SchemaPropertyNames.reserved.contains(s)
    }
}
