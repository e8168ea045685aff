public import CapstanModel

/// Objects a policy evaluation looks up besides the request: parameter objects (`paramRef`) and
/// Namespaces (`namespaceSelector`, `namespaceObject`). Offline, they come from the repository.
public protocol ParamSource: Sendable {
    /// Objects of a group and kind, in one namespace (nil: every namespace).
    func objects(of groupKind: GroupKind, namespace: String?) -> [KubeObject]
    /// The Namespace object named `name`, if the repository defines one.
    func namespace(named name: String) -> KubeObject?
}

/// A `ParamSource` over a list of objects (a fleet snapshot, policy directories, test fixtures).
public struct ObjectIndex: ParamSource {
    private var byKind: [GroupKind: [KubeObject]] = [:]
    private var namespaces: [String: KubeObject] = [:]

    /// Indexes `objects`; the first definition of a Namespace wins.
    public init(_ objects: some Sequence<KubeObject>) {
        for o in objects {
            byKind[o.key.groupKind, default: []].append(o)
            if o.kind == "Namespace", o.gvk.group.isEmpty, namespaces[o.name] == nil { namespaces[o.name] = o }
        }
    }

    public func objects(of groupKind: GroupKind, namespace: String?) -> [KubeObject] {
        let all = byKind[groupKind] ?? []
        guard let namespace else { return all }
        return all.filter { $0.namespace == namespace }
    }

    public func namespace(named name: String) -> KubeObject? { namespaces[name] }
}
