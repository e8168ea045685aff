public import CapstanModel

/// Settings of the embedded controllers and the simulated infrastructure.
public struct ProviderConfiguration: Sendable {
    /// Upgrade a single-replica KubeadmControlPlane in place (the one machine's version changes, no new
    /// machine) instead of scaling up then down.
    public var inPlaceSingleNodeControlPlaneUpgrades = true
    /// `nodeStartupTimeoutSeconds` for MachineHealthChecks that leave it unset (the v1beta2 default).
    public var defaultNodeStartupTimeout: Duration = .seconds(600)
    /// Seed for generated names (machine suffixes); a simulation with the same seed is reproducible.
    public var nameSeed: UInt64 = 0x5EED
    /// The simulated infrastructure provider.
    public var simulation = SimulationConfiguration()
    /// Kinds known before any reference names them (served from the start, e.g. after a restart).
    public var knownKinds: [KindRole: [GroupVersionKind]] = [
        .controlPlane: [CAPI.Kind.kubeadmControlPlane],
        .bootstrapConfig: [CAPI.Kind.kubeadmConfig],
    ]

    public init() {}
}

/// How the simulated infrastructure behaves: latencies (simulated or real time, depending on the clock) and
/// injected failures.
public struct SimulationConfiguration: Sendable {
    /// From first reconcile of an infrastructure cluster to `provisioned`.
    public var clusterProvisioning: Duration = .seconds(5)
    /// From an infrastructure machine having bootstrap data to `provisioned` (and its Node registering).
    public var machineProvisioning: Duration = .seconds(30)
    /// From a Node registering to its `Ready` condition turning True (kubelet and CNI coming up).
    public var nodeReady: Duration = .seconds(10)
    /// From a delete to the infrastructure being released (finalizer removed).
    public var deprovisioning: Duration = .seconds(5)
    /// An in-place version change of a machine's node.
    public var inPlaceUpdate: Duration = .seconds(20)
    /// Provisioning failures by rule (in addition to the `sim.capstan.io/fail-provisioning` annotation).
    public var failures: [FailureRule] = []

    public init() {}
}

/// An injected provisioning failure: infrastructure objects matching it never finish provisioning.
public struct FailureRule: Sendable, Hashable {
    /// Only objects of this kind (nil: any infrastructure kind).
    public var kind: String?
    /// Only objects whose name starts with this prefix (empty: any).
    public var namePrefix: String
    /// Only objects of this cluster (nil: any).
    public var clusterName: String?
    /// How many distinct objects fail at most (nil: all that match); counted per manager run (a restarted
    /// process starts counting again).
    public var limit: Int?

    public init(kind: String? = nil, namePrefix: String = "", clusterName: String? = nil, limit: Int? = nil) {
        self.kind = kind
        self.namePrefix = namePrefix
        self.clusterName = clusterName
        self.limit = limit
    }
}
