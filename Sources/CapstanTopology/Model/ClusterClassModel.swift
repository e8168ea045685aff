import CapstanModel

/// A health check as a class or topology carries it: `checks` and `remediation` kept as JSON, because
/// they are copied verbatim into MachineHealthChecks. `enabled` exists on topologies only.
struct HealthCheck: Hashable, Sendable {
    var enabled: Bool?
    var checks: Value?
    var remediation: Value?

    init(_ value: Value?) {
        enabled = value?["enabled"]?.boolValue
        checks = value?.member("checks")
        remediation = value?.member("remediation")
    }

    /// `IsDefined`: checks or remediation set (note: a remediation with only `maxInFlight` counts).
    var isDefined: Bool { !(checks ?? .null).isZeroStruct || !(remediation ?? .null).isZeroStruct }
    var maxInFlight: Value? { remediation?.member("maxInFlight") }
}

/// The three node deletion timeouts, in seconds, each independently optional.
struct DeletionTimeouts: Hashable, Sendable {
    static let keys = ["nodeDrainTimeoutSeconds", "nodeVolumeDetachTimeoutSeconds", "nodeDeletionTimeoutSeconds"]
    var seconds: [String: Int64] = [:]

    init(_ value: Value?) {
        for k in Self.keys { if let s = value?[k]?.intValue { seconds[k] = s } }
    }
}

/// `MachineDeploymentClass` (v1beta2).
struct MachineDeploymentClass: Sendable {
    var index: Int
    var className: String
    var metadata: Metadata
    var bootstrap: TemplateRef?
    var infrastructure: TemplateRef?
    var healthCheck: HealthCheck
    var failureDomain: String
    var namingTemplate: String
    var deletionOrder: String
    var deletion: DeletionTimeouts
    var taints: Value?
    var minReadySeconds: Value?
    var readinessGates: Value?
    var rollout: Value?

    init(index: Int, _ v: Value) {
        self.index = index
        className = v["class"]?.stringValue ?? ""
        metadata = Metadata(v["metadata"])
        bootstrap = TemplateRef(v[path: ["bootstrap", "templateRef"]])
        infrastructure = TemplateRef(v[path: ["infrastructure", "templateRef"]])
        healthCheck = HealthCheck(v["healthCheck"])
        failureDomain = v["failureDomain"]?.stringValue ?? ""
        namingTemplate = v[path: ["naming", "template"]]?.stringValue ?? ""
        deletionOrder = v[path: ["deletion", "order"]]?.stringValue ?? ""
        deletion = DeletionTimeouts(v["deletion"])
        taints = v.member("taints")
        minReadySeconds = v.member("minReadySeconds")
        readinessGates = v.member("readinessGates")
        rollout = v.member("rollout")
    }
}

/// `MachinePoolClass` (v1beta2).
struct MachinePoolClass: Sendable {
    var index: Int
    var className: String
    var metadata: Metadata
    var bootstrap: TemplateRef?
    var infrastructure: TemplateRef?
    var failureDomains: Value?
    var namingTemplate: String
    var deletion: DeletionTimeouts
    var taints: Value?
    var minReadySeconds: Value?

    init(index: Int, _ v: Value) {
        self.index = index
        className = v["class"]?.stringValue ?? ""
        metadata = Metadata(v["metadata"])
        bootstrap = TemplateRef(v[path: ["bootstrap", "templateRef"]])
        infrastructure = TemplateRef(v[path: ["infrastructure", "templateRef"]])
        failureDomains = v.member("failureDomains")
        namingTemplate = v[path: ["naming", "template"]]?.stringValue ?? ""
        deletion = DeletionTimeouts(v["deletion"])
        taints = v.member("taints")
        minReadySeconds = v.member("minReadySeconds")
    }
}

/// A ClusterClass in the v1beta2 shape (v1beta1 input is converted first), with the fields the
/// topology controller reads. The converted object itself is kept for source positions and admission.
struct ClusterClassModel: Sendable {
    var object: KubeObject
    var name: String { object.name }
    var namespace: String { object.namespace }

    var infrastructure: TemplateRef?
    var infrastructureNamingTemplate: String
    var controlPlaneMetadata: Metadata
    var controlPlane: TemplateRef?
    var controlPlaneMachineInfrastructure: TemplateRef?
    var controlPlaneHealthCheck: HealthCheck
    var controlPlaneNamingTemplate: String
    var controlPlaneDeletion: DeletionTimeouts
    var controlPlaneTaints: Value?
    var controlPlaneReadinessGates: Value?
    var machineDeploymentClasses: [MachineDeploymentClass]
    var machinePoolClasses: [MachinePoolClass]
    var variables: [ClassVariable]
    var patches: [ClassPatch]
    var kubernetesVersions: [String]
    var upgradePlanExtension: String

    /// Reads a v1beta2 ClusterClass.
    init(_ object: KubeObject) {
        self.object = object
        let spec = object.spec ?? .map([:])
        infrastructure = TemplateRef(spec[path: ["infrastructure", "templateRef"]])
        infrastructureNamingTemplate = spec[path: ["infrastructure", "naming", "template"]]?.stringValue ?? ""
        let cp = spec["controlPlane"] ?? .map([:])
        controlPlaneMetadata = Metadata(cp["metadata"])
        controlPlane = TemplateRef(cp["templateRef"])
        controlPlaneMachineInfrastructure = TemplateRef(cp[path: ["machineInfrastructure", "templateRef"]])
        controlPlaneHealthCheck = HealthCheck(cp["healthCheck"])
        controlPlaneNamingTemplate = cp[path: ["naming", "template"]]?.stringValue ?? ""
        controlPlaneDeletion = DeletionTimeouts(cp["deletion"])
        controlPlaneTaints = cp.member("taints")
        controlPlaneReadinessGates = cp.member("readinessGates")
        let mds = spec[path: ["workers", "machineDeployments"]]?.listValue ?? []
        machineDeploymentClasses = mds.enumerated().map { MachineDeploymentClass(index: $0.offset, $0.element) }
        let mps = spec[path: ["workers", "machinePools"]]?.listValue ?? []
        machinePoolClasses = mps.enumerated().map { MachinePoolClass(index: $0.offset, $0.element) }
        variables = (spec["variables"]?.listValue ?? []).enumerated().map { ClassVariable(index: $0.offset, $0.element) }
        patches = (spec["patches"]?.listValue ?? []).enumerated().map { ClassPatch(index: $0.offset, $0.element) }
        kubernetesVersions = (spec["kubernetesVersions"]?.listValue ?? []).compactMap(\.stringValue)
        upgradePlanExtension = spec[path: ["upgrade", "external", "generateUpgradePlanExtension"]]?.stringValue ?? ""
    }

    var hasControlPlaneInfrastructureMachine: Bool { controlPlaneMachineInfrastructure?.isDefined ?? false }

    func machineDeploymentClass(named name: String) -> MachineDeploymentClass? {
        machineDeploymentClasses.first { $0.className == name }
    }

    func machinePoolClass(named name: String) -> MachinePoolClass? {
        machinePoolClasses.first { $0.className == name }
    }

    /// Patches served by a Runtime Extension (cannot be rendered offline).
    var externalPatches: [ClassPatch] { patches.filter { $0.external != nil } }
}
