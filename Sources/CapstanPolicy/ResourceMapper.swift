public import CapstanModel

/// Maps a kind to its API resource (`Cluster` → `clusters`) and scope, offline: from a table of the
/// core and Cluster API kinds, from CustomResourceDefinitions found in the repository, and otherwise by
/// apimachinery's plural guess. Never from API discovery (there is no server).
public struct ResourceMapper: Sendable {
    /// A kind's resource name and whether its objects live in namespaces.
    public struct Mapping: Sendable, Hashable {
        public var resource: String
        public var namespaced: Bool

        public init(resource: String, namespaced: Bool) {
            self.resource = resource
            self.namespaced = namespaced
        }
    }

    private var overrides: [GroupKind: Mapping] = [:]

    public init() {}

    /// A mapper that also knows the kinds defined by these CustomResourceDefinitions (other objects are ignored).
    public init(definitions: some Sequence<KubeObject>) {
        for crd in definitions where crd.kind == "CustomResourceDefinition" && crd.gvk.group == "apiextensions.k8s.io" {
            guard let group = crd.body[path: ["spec", "group"]]?.stringValue,
                let kind = crd.body[path: ["spec", "names", "kind"]]?.stringValue,
                let plural = crd.body[path: ["spec", "names", "plural"]]?.stringValue
            else { continue }
            let scope = crd.body[path: ["spec", "scope"]]?.stringValue ?? "Namespaced"
            overrides[GroupKind(group: group, kind: kind)] = Mapping(resource: plural, namespaced: scope != "Cluster")
        }
    }

    /// The resource and scope of a kind.
    public func mapping(for groupKind: GroupKind) -> Mapping {
        if let m = overrides[groupKind] { return m }
        let namespaced = !Self.clusterScoped.contains(groupKind)
        if let r = Self.irregular[groupKind.kind] { return Mapping(resource: r, namespaced: namespaced) }
        return Mapping(resource: Self.guessPlural(groupKind.kind), namespaced: namespaced)
    }

    /// apimachinery's `UnsafeGuessKindToResource`: lower-case, then `s` → `ses`, `y` → `ies`, else `+s`.
    static func guessPlural(_ kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("s") { return lower + "es" }
        if lower.hasSuffix("y") { return String(lower.dropLast()) + "ies" }
        return lower + "s"
    }

    /// Kinds whose plural the guess gets wrong.
    static let irregular: [String: String] = [
        "Endpoints": "endpoints",
        "NetworkPolicy": "networkpolicies",
        "PodSecurityPolicy": "podsecuritypolicies",
        "IngressClass": "ingressclasses",
        "StorageClass": "storageclasses",
        "PriorityClass": "priorityclasses",
        "RuntimeClass": "runtimeclasses",
    ]

    /// Cluster-scoped kinds of Kubernetes and Cluster API (every other kind is taken as namespaced).
    static let clusterScoped: Set<GroupKind> = [
        GroupKind(group: "", kind: "Namespace"),
        GroupKind(group: "", kind: "Node"),
        GroupKind(group: "", kind: "PersistentVolume"),
        GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRole"),
        GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
        GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"),
        GroupKind(group: "storage.k8s.io", kind: "StorageClass"),
        GroupKind(group: "storage.k8s.io", kind: "CSIDriver"),
        GroupKind(group: "scheduling.k8s.io", kind: "PriorityClass"),
        GroupKind(group: "node.k8s.io", kind: "RuntimeClass"),
        GroupKind(group: "networking.k8s.io", kind: "IngressClass"),
        GroupKind(group: "apiregistration.k8s.io", kind: "APIService"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
        GroupKind(group: "runtime.cluster.x-k8s.io", kind: "ExtensionConfig"),
    ]
}
