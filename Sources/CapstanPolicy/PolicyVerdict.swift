public import CapstanModel

/// One failed check: a validation that evaluated to false, or a policy that could not be evaluated and
/// fails closed. Passing checks produce no verdict.
public struct PolicyVerdict: Sendable, Hashable, CustomStringConvertible {
    /// Why the verdict exists.
    public enum Cause: Sendable, Hashable {
        /// Validation number `index` (from 0) evaluated to false.
        case violation(index: Int)
        /// An expression failed (runtime error, compile error, cost limit) or the policy or binding is
        /// misconfigured; the failure policy is Fail.
        case failure
    }

    /// The policy's name.
    public var policy: String
    /// The binding's name (nil for a policy that is misconfigured as a whole).
    public var binding: String?
    /// The object checked: `Kind namespace/name`.
    public var object: ObjectKey
    /// Where the object is written, or where the object it was rendered from is written.
    public var location: SourceLocation?
    /// True when `location` is that of the object this one was rendered from.
    public var locationIsDerived: Bool
    /// The enforcement actions, strongest first (Deny, Warn, Audit).
    public var actions: [ValidationAction]
    public var message: String
    public var reason: ValidationReason
    public var cause: Cause
    /// Where the failing expression is written in the policy, when one is to blame.
    public var expressionLocation: SourceLocation?

    public init(
        policy: String, binding: String?, object: ObjectKey, location: SourceLocation?, locationIsDerived: Bool = false,
        actions: [ValidationAction], message: String, reason: ValidationReason = .invalid, cause: Cause,
        expressionLocation: SourceLocation? = nil
    ) {
        self.policy = policy
        self.binding = binding
        self.object = object
        self.location = location
        self.locationIsDerived = locationIsDerived
        self.actions = actions.sorted()
        self.message = message
        self.reason = reason
        self.cause = cause
        self.expressionLocation = expressionLocation
    }

    /// True when the change must be rejected.
    public var denies: Bool { actions.contains(.deny) }

    /// The strongest action (what `capstan validate` prints).
    public var primaryAction: ValidationAction { actions.first ?? .audit }

    /// `file:line:col: Kind ns/name: policy p (binding b): Deny: message`, the form `capstan validate`
    /// prints; a failing expression's own location follows the message.
    public var description: String {
        var s = location.map { "\($0): " } ?? ""
        s += "\(object): policy \(policy)"
        if let binding { s += " (binding \(binding))" }
        s += ": \(actions.map(\.rawValue).joined(separator: "+")): \(message)"
        if case .failure = cause, let expressionLocation { s += " [\(expressionLocation)]" }
        return s
    }
}

/// An audit annotation produced by a policy's `auditAnnotations` for one object.
public struct AuditAnnotation: Sendable, Hashable {
    /// `<policy name>/<key>`, as the apiserver stores it.
    public var key: String
    public var value: String
    public var binding: String
    public var object: ObjectKey
}

/// A (policy, binding) pair that matched a request and was evaluated (match conditions held).
public struct EvaluatedBinding: Sendable, Hashable {
    public var policy: String
    public var binding: String

    public init(policy: String, binding: String) {
        self.policy = policy
        self.binding = binding
    }
}

/// Everything one request's evaluation produced.
public struct PolicyEvaluation: Sendable {
    /// Failed checks.
    public var verdicts: [PolicyVerdict] = []
    /// Audit annotations from `auditAnnotations`.
    public var auditAnnotations: [AuditAnnotation] = []
    /// The pairs that were evaluated (a pair not listed did not match, or its match conditions were false).
    public var evaluated: [EvaluatedBinding] = []

    public init() {}

    /// Adds another evaluation's verdicts, audit annotations and evaluated pairs to this one.
    public mutating func merge(_ other: PolicyEvaluation) {
        verdicts += other.verdicts
        auditAnnotations += other.auditAnnotations
        evaluated += other.evaluated
    }

    /// True when a verdict denies the change.
    public var denied: Bool { verdicts.contains { $0.denies } }
}
