public import CapstanModel

/// What already exists in the management cluster, read-only. The renderer reuses live names, follows
/// upgrades in progress and rotates templates against it. The embedded management cluster provides
/// one; `LiveObjectIndex` is the in-memory form (`render --live`, tests).
public protocol LiveState: Sendable {
    /// The object with this identity, if it exists (any served version).
    func object(_ key: ObjectKey) -> KubeObject?
    /// Objects of one group/kind in a namespace whose labels match, in a stable order.
    func objects(group: String, kind: String, namespace: String, matching selector: LabelSelector) -> [KubeObject]
}

extension LiveState {
    /// A CustomResourceDefinition by name (`<plural>.<group>`).
    func customResourceDefinition(named name: String) -> KubeObject? {
        object(ObjectKey(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", namespace: "", name: name))
    }
}

/// An in-memory `LiveState` over a list of objects (later duplicates of one identity win).
public struct LiveObjectIndex: LiveState {
    private var byKey: [ObjectKey: KubeObject] = [:]
    private var byGroupKindNamespace: [String: [ObjectKey]] = [:]

    /// No live objects: the first render of a new fleet.
    public static let empty = LiveObjectIndex([])

    public init(_ objects: [KubeObject]) {
        for o in objects { byKey[o.key] = o }
        for key in byKey.keys.sorted() { byGroupKindNamespace[Self.bucket(key.group, key.kind, key.namespace), default: []].append(key) }
    }

    static func bucket(_ group: String, _ kind: String, _ namespace: String) -> String { "\(group)\u{0}\(kind)\u{0}\(namespace)" }

    public func object(_ key: ObjectKey) -> KubeObject? { byKey[key] }

    public func objects(group: String, kind: String, namespace: String, matching selector: LabelSelector) -> [KubeObject] {
        (byGroupKindNamespace[Self.bucket(group, kind, namespace)] ?? []).compactMap { byKey[$0] }.filter { selector.matches($0.labels) }
    }

    /// Every object, sorted by identity.
    public var allObjects: [KubeObject] { byKey.keys.sorted().compactMap { byKey[$0] } }
    public var count: Int { byKey.count }
}
