/// A Kubernetes API group, version and kind.
public struct GroupVersionKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits an `apiVersion` (`group/version`, or just `version` for the core group).
    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.lastIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    public var description: String { "\(apiVersion), Kind=\(kind)" }

    public static func < (a: GroupVersionKind, b: GroupVersionKind) -> Bool {
        (a.group, a.kind, a.version) < (b.group, b.kind, b.version)
    }
}

/// A group and kind, the version-independent part of a type.
public struct GroupKind: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }
    /// `Kind.group`, or `Kind` for the core group (the form of `cloned-from-groupkind`).
    public var description: String { group.isEmpty ? kind : "\(kind).\(group)" }
    public static func < (a: GroupKind, b: GroupKind) -> Bool { (a.group, a.kind) < (b.group, b.kind) }
}

/// The identity of an object: group, kind, namespace and name. The version is not part of identity,
/// as in Kubernetes, where one object is served at every version of its type.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var group: String
    public var kind: String
    public var namespace: String
    public var name: String

    public init(group: String, kind: String, namespace: String, name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    /// `Kind namespace/name` (or `Kind name` for cluster-scoped objects), the form used in messages.
    public var description: String { namespace.isEmpty ? "\(kind) \(name)" : "\(kind) \(namespace)/\(name)" }

    public static func < (a: ObjectKey, b: ObjectKey) -> Bool {
        (a.namespace, a.group, a.kind, a.name) < (b.namespace, b.group, b.kind, b.name)
    }
}

/// A Kubernetes object held as a `Value`, with typed accessors for the metadata every object has.
public struct KubeObject: Hashable, Sendable, CustomStringConvertible {
    /// The whole object (`apiVersion`, `kind`, `metadata`, `spec`, `status`, ...).
    public var body: Value

    public init(_ body: Value) { self.body = body }

    /// A new object with the given type and name.
    public init(apiVersion: String, kind: String, namespace: String? = nil, name: String) {
        var meta: ObjectMap = ["name": .string(name)]
        if let namespace, !namespace.isEmpty { meta["namespace"] = .string(namespace) }
        body = .map(["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .map(meta)])
    }

    public var apiVersion: String {
        get { body["apiVersion"]?.stringValue ?? "" }
        set { body["apiVersion"] = .string(newValue) }
    }
    public var kind: String {
        get { body["kind"]?.stringValue ?? "" }
        set { body["kind"] = .string(newValue) }
    }
    public var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }

    public var metadata: Value {
        get { body["metadata"] ?? .map([:]) }
        set { body["metadata"] = newValue }
    }
    public var name: String {
        get { body[path: ["metadata", "name"]]?.stringValue ?? "" }
        set { body[path: ["metadata", "name"]] = .string(newValue) }
    }
    /// The namespace; empty for cluster-scoped objects or when not set.
    public var namespace: String {
        get { body[path: ["metadata", "namespace"]]?.stringValue ?? "" }
        set { body[path: ["metadata", "namespace"]] = newValue.isEmpty ? nil : .string(newValue) }
    }
    public var generateName: String? { body[path: ["metadata", "generateName"]]?.stringValue }
    public var uid: String? {
        get { body[path: ["metadata", "uid"]]?.stringValue }
        set { body[path: ["metadata", "uid"]] = newValue.map(Value.string) }
    }
    public var resourceVersion: String? {
        get { body[path: ["metadata", "resourceVersion"]]?.stringValue }
        set { body[path: ["metadata", "resourceVersion"]] = newValue.map(Value.string) }
    }
    public var generation: Int64? {
        get { body[path: ["metadata", "generation"]]?.intValue }
        set { body[path: ["metadata", "generation"]] = newValue.map(Value.int) }
    }
    public var deletionTimestamp: String? { body[path: ["metadata", "deletionTimestamp"]]?.stringValue }
    public var isDeleting: Bool { deletionTimestamp != nil }

    /// Labels as a string map (non-string values are ignored; Kubernetes would reject them).
    public var labels: [String: String] {
        get { Self.stringMap(body[path: ["metadata", "labels"]]) }
        set { body[path: ["metadata", "labels"]] = Self.mapValue(newValue) }
    }
    public var annotations: [String: String] {
        get { Self.stringMap(body[path: ["metadata", "annotations"]]) }
        set { body[path: ["metadata", "annotations"]] = Self.mapValue(newValue) }
    }
    public var finalizers: [String] {
        get { body[path: ["metadata", "finalizers"]]?.listValue?.compactMap(\.stringValue) ?? [] }
        set { body[path: ["metadata", "finalizers"]] = newValue.isEmpty ? nil : .list(newValue.map(Value.string)) }
    }
    public var ownerReferences: [OwnerReference] {
        get { body[path: ["metadata", "ownerReferences"]]?.listValue?.compactMap(OwnerReference.init) ?? [] }
        set { body[path: ["metadata", "ownerReferences"]] = newValue.isEmpty ? nil : .list(newValue.map(\.value)) }
    }

    public var spec: Value? {
        get { body["spec"] }
        set { body["spec"] = newValue }
    }
    public var status: Value? {
        get { body["status"] }
        set { body["status"] = newValue }
    }

    /// The identity of this object.
    public var key: ObjectKey { ObjectKey(group: gvk.group, kind: kind, namespace: namespace, name: name) }

    public var description: String { key.description }

    static func stringMap(_ v: Value?) -> [String: String] {
        guard case .map(let m)? = v else { return [:] }
        var out: [String: String] = [:]
        for e in m { if let s = e.value.stringValue { out[e.key] = s } }
        return out
    }

    /// Sorted keys so output is deterministic; nil for an empty map (upstream drops empty maps).
    static func mapValue(_ d: [String: String]) -> Value? {
        d.isEmpty ? nil : .map(ObjectMap(d.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
    }
}

/// An entry of `metadata.ownerReferences`.
public struct OwnerReference: Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    public init?(_ value: Value) {
        guard let kind = value["kind"]?.stringValue, let name = value["name"]?.stringValue else { return nil }
        apiVersion = value["apiVersion"]?.stringValue ?? ""
        self.kind = kind
        self.name = name
        uid = value["uid"]?.stringValue ?? ""
        controller = value["controller"]?.boolValue
        blockOwnerDeletion = value["blockOwnerDeletion"]?.boolValue
    }

    /// The JSON form, with fields in the order Kubernetes prints them.
    public var value: Value {
        var m: ObjectMap = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid)]
        if let controller { m["controller"] = .bool(controller) }
        if let blockOwnerDeletion { m["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .map(m)
    }
}
