public import CapstanFleet
public import CapstanModel

/// Cost limits for policy evaluation (k8s.io/apiserver `apis/cel/config.go`).
public struct PolicyLimits: Sendable, Hashable {
    /// The most one expression evaluation may cost (`PerCallLimit`).
    public var perCall: Int
    /// The most all expressions of one (policy, binding, param) evaluation may cost together
    /// (`RuntimeCELCostBudget`).
    public var perEvaluation: Int

    public init(perCall: Int = 1_000_000, perEvaluation: Int = 10_000_000) {
        self.perCall = perCall
        self.perEvaluation = perEvaluation
    }

    /// The apiserver's limits.
    public static let `default` = PolicyLimits()
}

/// Evaluates ValidatingAdmissionPolicies and their bindings against admission requests, offline.
/// Pure: objects in, verdicts out. Shared by `capstan validate`, `capstan plan`, the daemon and
/// `capstan policy test`; safe to use from several threads.
public struct PolicyEngine: Sendable {
    public let policies: [AdmissionPolicy]
    public let bindings: [PolicyBinding]
    public let params: any ParamSource
    public let mapper: ResourceMapper
    public let limits: PolicyLimits
    /// Problems of the policies and bindings (structural, compile errors), and bindings that name no
    /// known policy (warnings), in file order.
    public let diagnostics: [Diagnostic]

    /// Policies that have at least one usable binding, with those bindings, in policy order.
    let active: [(policy: Int, bindings: [Int])]

    /// An engine over parsed policies and bindings.
    public init(
        policies: [AdmissionPolicy], bindings: [PolicyBinding], params: any ParamSource = ObjectIndex([]),
        mapper: ResourceMapper = ResourceMapper(), limits: PolicyLimits = .default
    ) {
        self.policies = policies
        self.bindings = bindings
        self.params = params
        self.mapper = mapper
        self.limits = limits
        var diagnostics = policies.flatMap(\.problems) + bindings.flatMap(\.problems)
        var byPolicy: [String: [Int]] = [:]
        for (i, b) in bindings.enumerated() where b.isValid { byPolicy[b.policyName, default: []].append(i) }
        let names = Set(policies.map(\.name))
        for b in bindings where b.isValid && !names.contains(b.policyName) {
            // The apiserver ignores a binding to a policy that does not exist; say so, since in a
            // repository it is almost always a typo or a policy directory left out.
            diagnostics.append(Diagnostic(
                .warning, at: b.location, object: "ValidatingAdmissionPolicyBinding \(b.name)", fieldPath: "spec.policyName",
                message: "no ValidatingAdmissionPolicy named \"\(b.policyName)\"; the binding has no effect"))
        }
        active = policies.enumerated().compactMap { i, p in byPolicy[p.name].map { (i, $0) } }
        self.diagnostics = diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (let x?, let y?) where x != y: x < y
            case (.some, nil): true
            case (nil, .some): false
            default: a.offset < b.offset
            }
        }.map(\.element)
    }

    /// An engine over every policy and binding among `objects` (a fleet snapshot plus policy
    /// directories). Every other object is available as a parameter or Namespace, and
    /// CustomResourceDefinitions among them teach the engine their kinds' resource names.
    public init(objects: [FleetObject], limits: PolicyLimits = .default) {
        var policies: [AdmissionPolicy] = []
        var bindings: [PolicyBinding] = []
        var others: [KubeObject] = []
        for o in objects {
            switch (o.key.group, o.key.kind) {
            case (AdmissionKinds.group, AdmissionKinds.policy): policies.append(AdmissionPolicy(o))
            case (AdmissionKinds.group, AdmissionKinds.binding): bindings.append(PolicyBinding(o))
            default: others.append(o.object)
            }
        }
        self.init(
            policies: policies, bindings: bindings, params: ObjectIndex(others), mapper: ResourceMapper(definitions: others),
            limits: limits)
    }

    /// True when any policy or binding has an error-level problem.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Labels of a namespace as the apiserver sees them: the Namespace object's labels (when the
    /// repository defines it) plus `kubernetes.io/metadata.name`, which the apiserver always sets.
    func namespaceLabels(_ name: String) -> [String: String] {
        var labels = params.namespace(named: name)?.labels ?? [:]
        labels["kubernetes.io/metadata.name"] = name
        return labels
    }
}
