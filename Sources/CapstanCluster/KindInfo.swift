public import CapstanModel

/// What the API knows about a kind: its resource names and whether objects live in namespaces.
public struct KindInfo: Sendable, Hashable {
    public var group: String
    public var kind: String
    /// The plural resource name (`machinedeployments`).
    public var plural: String
    public var shortNames: [String]
    public var namespaced: Bool
    /// The version `capstan get` and messages report when nothing else is known.
    public var preferredVersion: String

    public init(group: String, kind: String, plural: String? = nil, shortNames: [String] = [], namespaced: Bool = true, preferredVersion: String) {
        self.group = group
        self.kind = kind
        self.plural = plural ?? Self.guessPlural(kind)
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.preferredVersion = preferredVersion
    }

    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    public var gvk: GroupVersionKind { GroupVersionKind(group: group, version: preferredVersion, kind: kind) }

    /// Kubernetes' fallback plural (`UnsafeGuessKindToResource`): lower-case, `s`→`ses`, `y`→`ies`, else `+s`.
    public static func guessPlural(_ kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("s") { return lower + "es" }
        if lower.hasSuffix("y") { return String(lower.dropLast()) + "ies" }
        return lower + "s"
    }

    /// Reads the kind a `CustomResourceDefinition` object defines (nil if the object is not a usable CRD).
    public init?(customResourceDefinition crd: KubeObject) {
        guard crd.kind == "CustomResourceDefinition", let spec = crd.spec,
              let group = spec["group"]?.stringValue, let kind = spec[path: ["names", "kind"]]?.stringValue
        else { return nil }
        let versions = spec["versions"]?.listValue ?? []
        let storage = versions.first { $0["storage"]?.boolValue == true } ?? versions.first
        self.init(
            group: group, kind: kind, plural: spec[path: ["names", "plural"]]?.stringValue,
            shortNames: spec[path: ["names", "shortNames"]]?.listValue?.compactMap(\.stringValue) ?? [],
            namespaced: spec["scope"]?.stringValue != "Cluster",
            preferredVersion: storage?["name"]?.stringValue ?? "v1")
    }
}

/// The built-in table of kinds: core and CAPI kinds Capstan meets (scopes and short names from the upstream
/// CRD markers, kubernetes-sigs/cluster-api `+kubebuilder:resource`), extended by CRDs stored in the cluster.
public struct KindRegistry: Sendable {
    private var byGroupKind: [GroupKind: KindInfo] = [:]

    /// The built-in kinds plus `extra`.
    public init(extra: [KindInfo] = []) {
        for info in Self.builtin + extra { byGroupKind[info.groupKind] = info }
    }

    /// Adds or replaces a kind (e.g. from a stored CRD).
    public mutating func register(_ info: KindInfo) { byGroupKind[info.groupKind] = info }

    /// The kind's entry, if known.
    public func info(_ gk: GroupKind) -> KindInfo? { byGroupKind[gk] }

    /// Every known kind.
    public var all: [KindInfo] { byGroupKind.values.sorted { $0.groupKind < $1.groupKind } }

    /// The plural resource name (known, or guessed as Kubernetes does).
    public func plural(_ gk: GroupKind) -> String { byGroupKind[gk]?.plural ?? KindInfo.guessPlural(gk.kind) }

    /// Kinds a user-typed name refers to: kind, plural or short name, case-insensitive, optionally qualified
    /// with a group (`machines.cluster.x-k8s.io`, `Machine.cluster.x-k8s.io`). Several results mean ambiguity.
    public func resolve(_ typed: String) -> [KindInfo] {
        let lower = typed.lowercased()
        func matchesName(_ info: KindInfo, _ name: String) -> Bool {
            info.kind.lowercased() == name || info.plural == name || info.shortNames.contains(name)
        }
        let plain = byGroupKind.values.filter { matchesName($0, lower) }
        if !plain.isEmpty { return plain.sorted { $0.groupKind < $1.groupKind } }
        guard let dot = lower.firstIndex(of: ".") else { return [] }
        let name = String(lower[..<dot]), group = String(lower[lower.index(after: dot)...])
        return byGroupKind.values.filter { $0.group == group && matchesName($0, name) }.sorted { $0.groupKind < $1.groupKind }
    }

    /// A `ResourceRef` for messages about an object.
    public func ref(_ key: ObjectKey) -> ResourceRef {
        ResourceRef(group: key.group, kind: key.kind, resource: plural(key.groupKind), namespace: key.namespace, name: key.name)
    }

    static let capi = "cluster.x-k8s.io"

    /// Core and CAPI kinds.
    public static let builtin: [KindInfo] = {
        func core(_ kind: String, _ short: [String] = [], namespaced: Bool = true, plural: String? = nil) -> KindInfo {
            KindInfo(group: "", kind: kind, plural: plural, shortNames: short, namespaced: namespaced, preferredVersion: "v1")
        }
        func k8s(_ group: String, _ kind: String, _ short: [String] = [], namespaced: Bool = true, version: String = "v1") -> KindInfo {
            KindInfo(group: group, kind: kind, shortNames: short, namespaced: namespaced, preferredVersion: version)
        }
        func capi(_ group: String, _ kind: String, _ short: [String] = [], namespaced: Bool = true, plural: String? = nil) -> KindInfo {
            KindInfo(group: group, kind: kind, plural: plural, shortNames: short, namespaced: namespaced, preferredVersion: "v1beta2")
        }
        let infra = "infrastructure.\(Self.capi)"
        return [
            core("Namespace", ["ns"], namespaced: false),
            core("ConfigMap", ["cm"]),
            core("Secret"),
            core("ServiceAccount", ["sa"]),
            core("Service", ["svc"]),
            core("Pod", ["po"]),
            core("Event", ["ev"]),
            core("Node", ["no"], namespaced: false),
            k8s("apps", "Deployment", ["deploy"]),
            k8s("coordination.k8s.io", "Lease"),
            k8s("apiextensions.k8s.io", "CustomResourceDefinition", ["crd", "crds"], namespaced: false),
            k8s("rbac.authorization.k8s.io", "Role"),
            k8s("rbac.authorization.k8s.io", "RoleBinding"),
            k8s("rbac.authorization.k8s.io", "ClusterRole", namespaced: false),
            k8s("rbac.authorization.k8s.io", "ClusterRoleBinding", namespaced: false),
            k8s("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", ["vap"], namespaced: false),
            k8s("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", ["vapb"], namespaced: false),
            k8s("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", namespaced: false),
            k8s("admissionregistration.k8s.io", "MutatingWebhookConfiguration", namespaced: false),
            capi(Self.capi, "Cluster", ["cl"]),
            capi(Self.capi, "ClusterClass", ["cc"], plural: "clusterclasses"),
            capi(Self.capi, "Machine", ["ma"]),
            capi(Self.capi, "MachineSet", ["ms"]),
            capi(Self.capi, "MachineDeployment", ["md"]),
            capi(Self.capi, "MachinePool", ["mp"]),
            capi(Self.capi, "MachineHealthCheck", ["mhc", "mhcs"]),
            capi(Self.capi, "MachineDrainRule"),
            capi("addons.\(Self.capi)", "ClusterResourceSet"),
            capi("addons.\(Self.capi)", "ClusterResourceSetBinding"),
            capi("bootstrap.\(Self.capi)", "KubeadmConfig"),
            capi("bootstrap.\(Self.capi)", "KubeadmConfigTemplate"),
            capi("controlplane.\(Self.capi)", "KubeadmControlPlane", ["kcp"]),
            capi("controlplane.\(Self.capi)", "KubeadmControlPlaneTemplate"),
            capi(infra, "DockerCluster"),
            capi(infra, "DockerClusterTemplate"),
            capi(infra, "DockerMachine"),
            capi(infra, "DockerMachineTemplate"),
            capi(infra, "DockerMachinePool"),
            capi(infra, "DockerMachinePoolTemplate"),
            capi(infra, "DevCluster"),
            capi(infra, "DevClusterTemplate"),
            capi(infra, "DevMachine"),
            capi(infra, "DevMachineTemplate"),
            capi("ipam.\(Self.capi)", "IPAddress", plural: "ipaddresses"),
            capi("ipam.\(Self.capi)", "IPAddressClaim"),
            capi("runtime.\(Self.capi)", "ExtensionConfig", ["ext"], namespaced: false),
            KindInfo(group: "clusterctl.\(Self.capi)", kind: "Provider", preferredVersion: "v1alpha3"),
        ]
    }()
}
