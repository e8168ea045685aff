/// What to do when evaluating a policy goes wrong (an expression that does not compile, a runtime error,
/// an exceeded cost budget, a missing parameter). It never governs a validation that evaluates to `false`.
public enum FailurePolicy: String, Sendable, Hashable {
    /// Treat the failure as a violation (the default: fail closed).
    case fail = "Fail"
    /// Drop the failure: the object is admitted.
    case ignore = "Ignore"
}

/// How a binding enforces a failed validation.
public enum ValidationAction: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Reject the change (`capstan validate` exits 1, the daemon holds the object).
    case deny = "Deny"
    /// Report it as a warning; the change goes ahead.
    case warn = "Warn"
    /// Record it (the apiserver writes an audit annotation); the change goes ahead.
    case audit = "Audit"

    /// Deny first, then Warn, then Audit: the order in which actions are shown.
    public static func < (a: ValidationAction, b: ValidationAction) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .deny: 0
        case .warn: 1
        case .audit: 2
        }
    }
}

/// The operation of an admission request.
public enum AdmissionOperation: String, Sendable, Hashable, CaseIterable {
    case create = "CREATE"
    case update = "UPDATE"
    case delete = "DELETE"
    case connect = "CONNECT"
}

/// Whether a rule also matches the same resource requested through another API version.
public enum MatchPolicy: String, Sendable, Hashable {
    /// Only the group and version the rule names.
    case exact = "Exact"
    /// Any version of the same group and resource (the default).
    case equivalent = "Equivalent"
}

/// What a binding does when its `paramRef` finds no parameter object.
public enum ParameterNotFoundAction: String, Sendable, Hashable {
    /// The policy is not evaluated and the object is admitted.
    case allow = "Allow"
    /// The binding is misconfigured: the failure policy decides.
    case deny = "Deny"
}

/// The machine-readable cause of a failed validation (`reason`); it selects the HTTP status in the
/// apiserver. Unknown values are kept as written.
public struct ValidationReason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let invalid = ValidationReason(rawValue: "Invalid")
    public static let forbidden = ValidationReason(rawValue: "Forbidden")
    public static let unauthorized = ValidationReason(rawValue: "Unauthorized")
    public static let requestEntityTooLarge = ValidationReason(rawValue: "RequestEntityTooLarge")

    public var description: String { rawValue }
}

/// The API group and kinds of the admission policy objects.
enum AdmissionKinds {
    static let group = "admissionregistration.k8s.io"
    static let policy = "ValidatingAdmissionPolicy"
    static let binding = "ValidatingAdmissionPolicyBinding"
}
