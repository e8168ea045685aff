public import CapstanFleet
public import CapstanModel
import CapstanYAML

/// A `ValidatingAdmissionPolicyBinding`: which policy it switches on, where (`matchResources`), with
/// which parameters (`paramRef`) and how failures are enforced (`validationActions`).
public struct PolicyBinding: Sendable {
    /// `metadata.name`.
    public let name: String
    /// Where the binding object starts.
    public let location: SourceLocation
    /// `spec.policyName`.
    public let policyName: String
    /// `spec.validationActions`, in the order written.
    public let validationActions: [ValidationAction]
    /// Structural problems, located. A binding with problems is not used.
    public let problems: [Diagnostic]

    let matchResources: MatchResources
    let paramRef: ParamRef?

    /// `spec.paramRef`: a parameter object by name, or every object a selector matches.
    struct ParamRef: Sendable {
        var name: String?
        var namespace: String?
        var selector: LabelSelector?
        var notFoundAction: ParameterNotFoundAction
    }

    /// True when the binding can be used.
    public var isValid: Bool { problems.isEmpty }

    /// Reads a binding object.
    public init(_ object: FleetObject) {
        var reader = SpecReader(object)
        name = object.object.name
        location = object.location
        policyName = reader.string(["spec", "policyName"], required: true) ?? ""

        var actions: [ValidationAction] = []
        let written = reader.strings(["spec", "validationActions"])
        for (i, s) in written.enumerated() {
            guard let a = ValidationAction(rawValue: s) else {
                // Clients must ignore unknown actions (the API says so), but a typo in a fleet repository
                // would silently disable enforcement, so it is reported.
                reader.problem("unsupported validation action \"\(s)\" (Deny, Warn or Audit)", at: ["spec", "validationActions", .index(i)])
                continue
            }
            if actions.contains(a) {
                reader.problem("duplicate validation action \"\(s)\"", at: ["spec", "validationActions", .index(i)])
            } else {
                actions.append(a)
            }
        }
        if written.isEmpty { reader.problem("validationActions is required and must not be empty", at: ["spec", "validationActions"]) }
        if actions.contains(.deny), actions.contains(.warn) {
            reader.problem("Deny and Warn may not be used together (use Deny and Audit instead)", at: ["spec", "validationActions"])
        }
        validationActions = actions
        matchResources = MatchResources.read(["spec", "matchResources"], &reader, requireRules: false)

        var paramRef: ParamRef?
        if reader.isMap(["spec", "paramRef"]) {
            let p: [PathElement] = ["spec", "paramRef"]
            let refName = reader.string(p + ["name"])
            let selector = reader.value(p + ["selector"]) != nil ? LabelSelector.read(p + ["selector"], &reader) : nil
            if (refName == nil) == (selector == nil) {
                reader.problem("exactly one of name or selector is required", at: p)
            }
            var action = ParameterNotFoundAction.deny
            if reader.value(p + ["parameterNotFoundAction"]) == nil {
                reader.problem("parameterNotFoundAction is required (Allow or Deny)", at: p + ["parameterNotFoundAction"])
            } else if let a = reader.choice(p + ["parameterNotFoundAction"], ParameterNotFoundAction.self) {
                action = a
            }
            paramRef = ParamRef(name: refName, namespace: reader.string(p + ["namespace"]), selector: selector, notFoundAction: action)
        }
        self.paramRef = paramRef
        problems = reader.diagnostics
    }
}
