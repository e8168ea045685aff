import CapstanModel

/// A reference to a provider object through the Cluster API contract: v1beta2's
/// `ContractVersionedObjectReference` (`apiGroup`, `kind`, `name`), also read from the v1beta1 form
/// (`apiVersion`, `kind`, `name`). The version is not part of the reference; the object's own `apiVersion`
/// is used once it is read.
struct ContractRef: Sendable, Hashable, CustomStringConvertible {
    var group: String
    var kind: String
    var name: String
    /// The version the v1beta1 form named, if any.
    var version: String?

    init(group: String, kind: String, name: String, version: String? = nil) {
        self.group = group
        self.kind = kind
        self.name = name
        self.version = version
    }

    /// Reads a reference; nil when `kind` or `name` is missing.
    init?(_ v: Value?) {
        guard let v, let kind = v["kind"]?.stringValue, let name = v["name"]?.stringValue, !kind.isEmpty, !name.isEmpty
        else { return nil }
        if let group = v["apiGroup"]?.stringValue {
            self.init(group: group, kind: kind, name: name)
        } else if let apiVersion = v["apiVersion"]?.stringValue {
            let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
            self.init(group: gvk.group, kind: kind, name: name, version: gvk.version)
        } else {
            return nil
        }
    }

    /// The reference to an object.
    init(to obj: KubeObject) { self.init(group: obj.gvk.group, kind: obj.kind, name: obj.name) }

    /// The v1beta2 form.
    var value: Value { .map(["apiGroup": .string(group), "kind": .string(kind), "name": .string(name)]) }

    var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    /// The GVK to request the object with: the version the reference named, else the group's served version.
    var gvk: GroupVersionKind {
        GroupVersionKind(group: group, version: version ?? Self.defaultVersion(group: group), kind: kind)
    }

    func key(namespace: String) -> ObjectKey { ObjectKey(group: group, kind: kind, namespace: namespace, name: name) }

    var description: String { "\(kind).\(group) \(name)" }

    /// Cluster API groups serve v1beta2; the core group v1. Other groups: v1beta2 is a guess a real API server
    /// would resolve through discovery (the embedded store ignores the version).
    static func defaultVersion(group: String) -> String { group.isEmpty ? "v1" : "v1beta2" }
}

extension OwnerReference {
    /// A controller reference (`controller: true`, `blockOwnerDeletion: true`) to an object.
    static func controller(_ obj: KubeObject) -> OwnerReference {
        OwnerReference(apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name, uid: obj.uid ?? "", controller: true,
                       blockOwnerDeletion: true)
    }

    /// A plain owner reference to an object.
    static func owner(_ obj: KubeObject) -> OwnerReference {
        OwnerReference(apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name, uid: obj.uid ?? "")
    }
}

extension KubeObject {
    /// The owner reference marked `controller: true`, if any.
    var controllerRef: OwnerReference? { ownerReferences.first { $0.controller == true } }

    /// The first owner reference of a kind (any group).
    func owner(kind: String) -> OwnerReference? { ownerReferences.first { $0.kind == kind } }

    /// Whether an owner reference to `uid` is present.
    func isOwned(by uid: String?) -> Bool { ownerReferences.contains { $0.uid == uid } }

    /// The string at a path, if present.
    func string(_ path: String...) -> String? { body[path: path]?.stringValue }

    /// The integer at a path, if present.
    func int(_ path: String...) -> Int64? { body[path: path]?.intValue }

    /// The boolean at a path, if present.
    func bool(_ path: String...) -> Bool? { body[path: path]?.boolValue }

    /// The cluster this object belongs to: its cluster-name label (or `spec.clusterName`).
    var clusterID: ClusterID? {
        guard let name = labels[CAPI.Label.clusterName] ?? string("spec", "clusterName"), !name.isEmpty else { return nil }
        return ClusterID(namespace: namespace, name: name)
    }
}
