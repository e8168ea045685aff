public import CapstanModel

/// What a desired object is for, and so when it is applied. The order follows the topology controller's
/// reconcile (reconcile_state.go): InfrastructureCluster, ControlPlane MachineHealthCheck, ControlPlane
/// machine template, ControlPlane, Cluster, then per MachineDeployment its infrastructure and bootstrap
/// templates, the MachineDeployment and its MachineHealthCheck, then MachinePools.
public enum ObjectRole: Hashable, Sendable, CustomStringConvertible {
    case infrastructureCluster
    case controlPlaneMachineHealthCheck
    case controlPlaneInfrastructureMachineTemplate
    case controlPlane
    case cluster
    case machineDeploymentInfrastructureTemplate(topology: String)
    case machineDeploymentBootstrapTemplate(topology: String)
    case machineDeployment(topology: String)
    case machineDeploymentHealthCheck(topology: String)
    case machinePoolBootstrapConfig(topology: String)
    case machinePoolInfrastructure(topology: String)
    case machinePool(topology: String)

    /// Position in the apply sequence (lower first); objects with equal order are independent.
    public var applyOrder: Int {
        switch self {
        case .infrastructureCluster: 10
        case .controlPlaneMachineHealthCheck: 20
        case .controlPlaneInfrastructureMachineTemplate: 30
        case .controlPlane: 40
        case .cluster: 50
        case .machineDeploymentInfrastructureTemplate: 60
        case .machineDeploymentBootstrapTemplate: 61
        case .machineDeployment: 62
        case .machineDeploymentHealthCheck: 63
        case .machinePoolBootstrapConfig: 70
        case .machinePoolInfrastructure: 71
        case .machinePool: 72
        }
    }

    /// The worker topology name for worker roles.
    public var topologyName: String? {
        switch self {
        case .machineDeploymentInfrastructureTemplate(let t), .machineDeploymentBootstrapTemplate(let t),
            .machineDeployment(let t), .machineDeploymentHealthCheck(let t), .machinePoolBootstrapConfig(let t),
            .machinePoolInfrastructure(let t), .machinePool(let t):
            t
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .infrastructureCluster: "infrastructure-cluster"
        case .controlPlaneMachineHealthCheck: "control-plane-health-check"
        case .controlPlaneInfrastructureMachineTemplate: "control-plane-machine-template"
        case .controlPlane: "control-plane"
        case .cluster: "cluster"
        case .machineDeploymentInfrastructureTemplate(let t): "machine-deployment/\(t)/infrastructure-template"
        case .machineDeploymentBootstrapTemplate(let t): "machine-deployment/\(t)/bootstrap-template"
        case .machineDeployment(let t): "machine-deployment/\(t)"
        case .machineDeploymentHealthCheck(let t): "machine-deployment/\(t)/health-check"
        case .machinePoolBootstrapConfig(let t): "machine-pool/\(t)/bootstrap-config"
        case .machinePoolInfrastructure(let t): "machine-pool/\(t)/infrastructure"
        case .machinePool(let t): "machine-pool/\(t)"
        }
    }
}

/// What the applier must do differently for one object in this pass.
public enum ApplyHint: Hashable, Sendable, CustomStringConvertible {
    /// Do not create this pass: the control plane is not stable yet (desired_state.go MarkPendingCreate).
    case pendingCreate
    /// Do not update this pass: an upgrade waits for its turn (the object keeps its live version).
    case pendingUpgrade
    /// A new template replacing `from`, whose spec changed (reconcile_state.go reconcileReferencedTemplate).
    case rotated(from: String)
    /// Owner references carry `TopologyRenderer.placeholderClusterUID`: the Cluster is not live yet.
    case placeholderOwnerUID

    public var description: String {
        switch self {
        case .pendingCreate: "pending-create"
        case .pendingUpgrade: "pending-upgrade"
        case .rotated(let from): "rotated-from=\(from)"
        case .placeholderOwnerUID: "placeholder-owner-uid"
        }
    }
}

/// One object the topology wants to exist.
public struct DesiredObject: Sendable {
    public var object: KubeObject
    public var role: ObjectRole
    public var hints: [ApplyHint]
    public var applyOrder: Int { role.applyOrder }

    public init(object: KubeObject, role: ObjectRole, hints: [ApplyHint] = []) {
        self.object = object
        self.role = role
        self.hints = hints
    }
}

/// A live object the topology no longer wants.
public struct PlannedDeletion: Sendable, Hashable {
    /// Why it goes.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        case removedMachineDeploymentTopology(String)
        case removedMachinePoolTopology(String)
        case rotatedControlPlaneTemplate(replacedBy: String)
        case healthCheckRemoved

        public var description: String {
            switch self {
            case .removedMachineDeploymentTopology(let t): "machine deployment topology \(t) was removed"
            case .removedMachinePoolTopology(let t): "machine pool topology \(t) was removed"
            case .rotatedControlPlaneTemplate(let n): "control plane machine template was replaced by \(n)"
            case .healthCheckRemoved: "health check is no longer enabled"
            }
        }
    }

    public var apiVersion: String
    public var key: ObjectKey
    public var reason: Reason
    /// Deleted after the desired objects with a lower or equal order were applied.
    public var applyOrder: Int
}

/// The upgrade state the render saw (for plan output and status reports).
public struct UpgradeSummary: Sendable, Hashable {
    public var controlPlaneVersion: String?
    public var controlPlaneUpgradePlan: [String] = []
    public var workersUpgradePlan: [String] = []
    public var controlPlanePendingUpgrade = false
    public var controlPlaneStartingUpgrade = false
    /// MachineDeployment/MachinePool topology names waiting to be created or upgraded.
    public var pendingCreate: [String] = []
    public var pendingUpgrade: [String] = []
    public var upgrading: [String] = []
    public var isUpgrading: Bool { !controlPlaneUpgradePlan.isEmpty || !workersUpgradePlan.isEmpty }
}

/// The result of rendering one topology Cluster: desired objects in apply order, deletions, upgrade
/// state and diagnostics. When `errors` is not empty there are no objects: nothing is applied.
public struct ClusterRender: Sendable {
    public var cluster: ObjectKey
    public var objects: [DesiredObject] = []
    public var deletions: [PlannedDeletion] = []
    public var upgrade = UpgradeSummary()
    public var diagnostics: [Diagnostic] = []

    public init(cluster: ObjectKey) { self.cluster = cluster }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var failed: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Everything rendered from a fleet: one result per topology Cluster (sorted by namespace/name) and the
/// objects that pass through unchanged (everything that is not a topology Cluster).
public struct FleetRender: Sendable {
    public var clusters: [ClusterRender]
    public var passthrough: [SourceObject]
    /// Problems not tied to one Cluster (e.g. an invalid ClusterClass nobody uses yet).
    public var diagnostics: [Diagnostic]

    public init(clusters: [ClusterRender], passthrough: [SourceObject], diagnostics: [Diagnostic] = []) {
        self.clusters = clusters
        self.passthrough = passthrough
        self.diagnostics = diagnostics
    }
}
