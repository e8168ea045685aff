import CapstanModel

/// The Cluster API control-plane contract, in its two versions (internal/contract/controlplane.go).
/// v1beta2 keeps machine fields under `spec.machineTemplate.spec` with seconds and apiGroup refs;
/// v1beta1 keeps them directly under `spec.machineTemplate` with durations and apiVersion refs.
enum ControlPlaneContract: String, Sendable {
    case v1beta1, v1beta2

    var infrastructureRefPath: [String] {
        self == .v1beta1 ? ["spec", "machineTemplate", "infrastructureRef"] : ["spec", "machineTemplate", "spec", "infrastructureRef"]
    }
    var readinessGatesPath: [String] {
        self == .v1beta1 ? ["spec", "machineTemplate", "readinessGates"] : ["spec", "machineTemplate", "spec", "readinessGates"]
    }
    var taintsPath: [String] {
        self == .v1beta1 ? ["spec", "machineTemplate", "taints"] : ["spec", "machineTemplate", "spec", "taints"]
    }

    /// The path of one deletion timeout (given by its v1beta2 seconds name).
    func timeoutPath(_ secondsKey: String) -> [String] {
        switch self {
        case .v1beta2: ["spec", "machineTemplate", "spec", "deletion", secondsKey]
        case .v1beta1: ["spec", "machineTemplate", String(secondsKey.dropLast("Seconds".count))]
        }
    }

    /// The holder field path of the control plane's machine template (patch request items).
    var holderFieldPath: String { infrastructureRefPath.joined(separator: ".") }

    static let machineTemplateMetadataPath = ["spec", "machineTemplate", "metadata"]

    /// Fields the patch engine restores on the ControlPlane after patching (patches/engine.go `updateDesiredState`).
    static let preservedPaths: [[String]] = [
        machineTemplateMetadataPath,
        ControlPlaneContract.v1beta1.readinessGatesPath, ControlPlaneContract.v1beta2.readinessGatesPath,
        ControlPlaneContract.v1beta1.taintsPath, ControlPlaneContract.v1beta2.taintsPath,
        ControlPlaneContract.v1beta1.infrastructureRefPath, ControlPlaneContract.v1beta2.infrastructureRefPath,
    ] + DeletionTimeouts.keys.map { ControlPlaneContract.v1beta1.timeoutPath($0) }
        + DeletionTimeouts.keys.map { ControlPlaneContract.v1beta2.timeoutPath($0) }
        + [["spec", "replicas"], ["spec", "version"], ["spec", "rollout", "after"]]

    /// The ref the control plane holds to its machine template, as `(group, kind, name)`.
    func infrastructureRef(in cp: KubeObject) -> (group: String, kind: String, name: String)? {
        guard let ref = cp.body[path: infrastructureRefPath], ref.mapValue != nil else { return nil }
        let kind = ref["kind"]?.stringValue ?? ""
        let name = ref["name"]?.stringValue ?? ""
        let group = self == .v1beta1
            ? GroupVersionKind(apiVersion: ref["apiVersion"]?.stringValue ?? "", kind: kind).group
            : ref["apiGroup"]?.stringValue ?? ""
        return (group, kind, name)
    }

    /// `IsProvisioning`: no status version yet.
    static func isProvisioning(_ cp: KubeObject) -> Bool {
        if let versions = cp.body[path: ["status", "versions"]]?.listValue, let first = versions.first {
            return (first["version"]?.stringValue ?? "").isEmpty
        }
        return (cp.body[path: ["status", "version"]]?.stringValue ?? "").isEmpty
    }

    /// `IsUpgrading`: some status version is older than `spec.version` (build metadata counts).
    static func isUpgrading(_ cp: KubeObject) throws(TopologyError) -> Bool {
        let spec = cp.body[path: ["spec", "version"]]?.stringValue ?? ""
        guard let specV = Semver(tolerant: spec) else {
            throw TopologyError("failed to check if control plane is upgrading: failed to parse control plane spec version")
        }
        if let versions = cp.body[path: ["status", "versions"]]?.listValue, !versions.isEmpty {
            for v in versions {
                guard let s = Semver(tolerant: v["version"]?.stringValue ?? "") else {
                    throw TopologyError("failed to check if control plane is upgrading: failed to parse control plane status version")
                }
                if specV.compareWithBuildTags(s) >= 1 { return true }
            }
            return false
        }
        guard let status = cp.body[path: ["status", "version"]]?.stringValue, !status.isEmpty else { return false }
        guard let s = Semver(tolerant: status) else {
            throw TopologyError("failed to check if control plane is upgrading: failed to parse control plane status version")
        }
        return specV.compareWithBuildTags(s) >= 1
    }
}
