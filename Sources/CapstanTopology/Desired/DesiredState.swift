import CapstanModel

/// The computed objects for one Cluster before reconcile-time decisions (exp/topology/scope/state.go).
struct DesiredState: Sendable {
    /// A MachineDeployment with its two template clones and optional health check.
    struct MachineDeployment: Sendable {
        var topology: MachineDeploymentTopology
        var object: KubeObject
        var bootstrapTemplate: KubeObject
        var infrastructureTemplate: KubeObject
        var healthCheck: KubeObject?
    }

    /// A MachinePool with its bootstrap config and infrastructure objects.
    struct MachinePool: Sendable {
        var topology: MachinePoolTopology
        var object: KubeObject
        var bootstrapObject: KubeObject
        var infrastructureObject: KubeObject
    }

    var infrastructureCluster = KubeObject(.map([:]))
    var controlPlane = KubeObject(.map([:]))
    var controlPlaneMachineTemplate: KubeObject?
    var controlPlaneHealthCheck: KubeObject?
    var cluster = KubeObject(.map([:]))
    var machineDeployments: [MachineDeployment] = []
    var machinePools: [MachinePool] = []
}

/// Everything one render of one Cluster works with (exp/topology/scope/scope.go), plus the deterministic
/// name generator and the owner reference to the Cluster.
struct RenderScope: Sendable {
    let cluster: ClusterModel
    let liveCluster: KubeObject?
    let context: ClassContext
    let blueprint: Blueprint
    let contract: ControlPlaneContract
    let names: NameGenerator
    let live: any LiveState
    let ownerReference: Value
    var current: CurrentState
    var tracker: UpgradeTracker
    var warnings: [String] = []

    var classModel: ClusterClassModel { context.model }
    var namespace: String { cluster.namespace }
    var clusterName: String { cluster.name }
    var uid: String? { liveCluster?.uid }
}
