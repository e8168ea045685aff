public import CapstanModel

/// An error from a `ManagementCluster`, shaped like the Kubernetes API's `Status` errors so a real API server
/// can map onto the same cases. `description` is the Kubernetes message.
public enum ClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 404: the object does not exist.
    case notFound(ResourceRef)
    /// 409: an object with this name exists.
    case alreadyExists(ResourceRef)
    /// 409: a stale resourceVersion, a failed precondition, or field-manager conflicts on apply.
    case conflict(ResourceRef, Conflict)
    /// 422: the object is invalid; each cause names a field path.
    case invalid(ResourceRef, [FieldError])
    /// 410: the resourceVersion a watch asked for was compacted; list again and watch from the list's version.
    case gone(requested: Int64, oldest: Int64)
    /// 403: the request is refused (e.g. new objects in a terminating namespace, writes to a read-only store).
    case forbidden(String)
    /// 400: the request itself is malformed (a bad selector or resourceVersion).
    case badRequest(String)
    /// A watch stream stopped (its consumer fell too far behind); watch again from the last delivered version.
    case watchClosed(String)
    /// 500: the storage backend failed.
    case storage(String)

    /// Why a write conflicted.
    public enum Conflict: Sendable, Hashable {
        /// The object changed since the caller read it.
        case staleResourceVersion
        /// A delete/update precondition did not hold (message in Kubernetes' words).
        case precondition(String)
        /// Apply would change fields other managers own.
        case fieldManagers([FieldConflict])
    }

    /// The HTTP status code Kubernetes would answer with.
    public var code: Int {
        switch self {
        case .notFound: 404
        case .alreadyExists, .conflict: 409
        case .invalid: 422
        case .gone: 410
        case .forbidden: 403
        case .badRequest: 400
        case .watchClosed, .storage: 500
        }
    }

    /// The Kubernetes `Status.reason`.
    public var reason: String {
        switch self {
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .conflict: "Conflict"
        case .invalid: "Invalid"
        case .gone: "Expired"
        case .forbidden: "Forbidden"
        case .badRequest: "BadRequest"
        case .watchClosed, .storage: "InternalError"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let r): return "\(r.resourceDescription) \"\(r.name)\" not found"
        case .alreadyExists(let r): return "\(r.resourceDescription) \"\(r.name)\" already exists"
        case .conflict(let r, .staleResourceVersion):
            return "Operation cannot be fulfilled on \(r.resourceDescription) \"\(r.name)\": the object has been modified; please apply your changes to the latest version and try again"
        case .conflict(_, .precondition(let message)): return message
        case .conflict(_, .fieldManagers(let conflicts)): return FieldConflict.message(conflicts)
        case .invalid(let r, let causes):
            let list = causes.map(\.description)
            let joined = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
            return "\(r.kindDescription) \"\(r.name)\" is invalid: \(joined)"
        case .gone(let requested, let oldest): return "too old resource version: \(requested) (\(oldest))"
        case .forbidden(let m), .badRequest(let m), .watchClosed(let m), .storage(let m): return m
        }
    }
}

/// The object an error is about, with the names Kubernetes messages use.
public struct ResourceRef: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var kind: String
    /// The plural resource name (`machinedeployments`).
    public var resource: String
    public var namespace: String
    public var name: String

    public init(group: String, kind: String, resource: String, namespace: String, name: String) {
        self.group = group
        self.kind = kind
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// `machines.cluster.x-k8s.io` (or `configmaps` for the core group), as in "not found" messages.
    public var resourceDescription: String { group.isEmpty ? resource : "\(resource).\(group)" }
    /// `Machine.cluster.x-k8s.io`, as in "is invalid" messages.
    public var kindDescription: String { group.isEmpty ? kind : "\(kind).\(group)" }
    /// `Kind namespace/name`, the form Capstan's diagnostics use.
    public var description: String { ObjectKey(group: group, kind: kind, namespace: namespace, name: name).description }
}

/// One cause of an `invalid` error: a field path, what kind of problem, and the detail.
public struct FieldError: Sendable, Hashable, CustomStringConvertible {
    /// The problem class, worded as Kubernetes' `field.ErrorType`.
    public enum Kind: String, Sendable, Hashable {
        case required = "Required value"
        case invalid = "Invalid value"
        case forbidden = "Forbidden"
        case duplicate = "Duplicate value"
        case unsupported = "Unsupported value"
    }

    public var kind: Kind
    /// Dotted path, e.g. `metadata.labels`.
    public var field: String
    /// The offending value (for `invalid`/`duplicate`/`unsupported`).
    public var value: Value?
    public var detail: String

    public init(_ kind: Kind, field: String, value: Value? = nil, detail: String = "") {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }

    public var description: String {
        var s = "\(field): \(kind.rawValue)"
        if let value, kind != .required, kind != .forbidden { s += ": \(JSON.serialize(value))" }
        if !detail.isEmpty { s += ": \(detail)" }
        return s
    }
}

/// A field another manager owns that an apply would change.
public struct FieldConflict: Sendable, Hashable {
    /// The owning manager as Kubernetes prints it: `"name"`, plus `using <apiVersion>` for Update managers.
    public var manager: String
    /// The field path in structured-merge-diff form (`.spec.replicas`, `.status.conditions[type="Ready"]`).
    public var path: String

    public init(manager: String, path: String) {
        self.manager = manager
        self.path = path
    }

    /// The apiserver's message: `Apply failed with 1 conflict: conflict with "m": .spec.x`, or a list grouped by
    /// manager (managers sorted) for several conflicts.
    static func message(_ conflicts: [FieldConflict]) -> String {
        if conflicts.count == 1 {
            return "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(conflicts[0].path)"
        }
        var byManager: [String: [String]] = [:]
        for c in conflicts { byManager[c.manager, default: []].append(c.path) }
        var lines: [String] = []
        for manager in byManager.keys.sorted() {
            lines.append("conflicts with \(manager):")
            for path in byManager[manager]! { lines.append("- \(path)") }
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }
}
