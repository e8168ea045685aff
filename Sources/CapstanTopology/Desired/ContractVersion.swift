import CapstanModel

/// Finds the Cluster API contract a provider type implements, from its CRD's contract labels
/// (internal/contract/version.go `GetContractVersionForVersion`), or from a documented default when no
/// CRD is in the fleet or the live state.
enum ContractVersion {
    /// `<lower-case plural kind>.<group>` (util/contract `CalculateCRDName`, flect pluralisation for the
    /// regular nouns provider kinds use).
    static func crdName(group: String, kind: String) -> String {
        let k = kind.lowercased()
        let plural: String
        if k.hasSuffix("s") || k.hasSuffix("x") || k.hasSuffix("z") || k.hasSuffix("ch") || k.hasSuffix("sh") {
            plural = k + "es"
        } else if k.hasSuffix("y"), let before = k.dropLast().last, !"aeiou".contains(before) {
            plural = k.dropLast() + "ies"
        } else {
            plural = k + "s"
        }
        return "\(plural).\(group)"
    }

    /// The contract for `gvk`, and a warning when it was not read from a CRD.
    static func resolve(_ gvk: GroupVersionKind, fleet: FleetIndex, live: any LiveState) throws(TopologyError) -> (ControlPlaneContract, String?) {
        let name = crdName(group: gvk.group, kind: gvk.kind)
        if let crd = fleet.customResourceDefinition(named: name) ?? live.customResourceDefinition(named: name) {
            return (try fromLabels(crd, version: gvk.version, crdName: name), nil)
        }
        if let known = knownDefaults[GroupKind(group: gvk.group, kind: gvk.kind)]?[gvk.version] { return (known, nil) }
        switch gvk.version {
        case "v1beta2":
            return (.v1beta2, "no CustomResourceDefinition \(name) in the fleet or live state; assuming \(gvk.kind) \(gvk.apiVersion) implements contract v1beta2")
        case "v1beta1":
            return (.v1beta1, "no CustomResourceDefinition \(name) in the fleet or live state; assuming \(gvk.kind) \(gvk.apiVersion) implements contract v1beta1")
        default:
            throw TopologyError("failed to get contract version for the ControlPlane object: failed to get contract version for version \(gvk.version) for kind \(gvk.kind): CustomResourceDefinition \(name) is not in the fleet or the live state")
        }
    }

    /// Contracts of well-known provider types, used when their CRD is in neither the fleet nor the live state
    /// (the labels their published CRDs carry).
    static let knownDefaults: [GroupKind: [String: ControlPlaneContract]] = [
        GroupKind(group: "controlplane.cluster.x-k8s.io", kind: "KubeadmControlPlane"): ["v1beta1": .v1beta1, "v1beta2": .v1beta2],
    ]

    /// Reads the `cluster.x-k8s.io/<contract>: <v1>_<v2>` labels. A version listed under two contracts is
    /// rejected (upstream would pick one at random from an unordered map).
    static func fromLabels(_ crd: KubeObject, version: String, crdName: String) throws(TopologyError) -> ControlPlaneContract {
        let prefix = CAPI.group + "/"
        var found: [String] = []
        for (key, value) in crd.labels.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            if value.split(separator: "_").contains(where: { $0 == version }) { found.append(String(key.dropFirst(prefix.count))) }
        }
        if found.count > 1 {
            throw TopologyError("CustomResourceDefinition \(crdName) lists version \(version) under several contract labels (\(found.joined(separator: ", "))); the contract is ambiguous")
        }
        guard let contract = found.first else {
            throw TopologyError("failed to get contract version for the ControlPlane object: cannot find any contract version matching version \(version) for CRD \(crdName)")
        }
        guard let c = ControlPlaneContract(rawValue: contract) else {
            throw TopologyError("CustomResourceDefinition \(crdName) implements contract \(contract), which this renderer does not support (v1beta1, v1beta2)")
        }
        return c
    }
}
