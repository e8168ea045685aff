public import CapstanCluster

/// The embedded Cluster API: core controllers, the kubeadm-style control plane and bootstrap providers and the
/// simulated infrastructure provider, wired into one `ControllerManager` over a `ManagementCluster`.
public enum EmbeddedProviders {
    /// A manager running every embedded controller against `cluster`.
    ///
    /// For a simulation, pass a `SimulatedClock` and give the same clock to the store (it is its
    /// `WallClock`), then call `runUntilQuiescent()`; for the daemon, pass `SystemControllerClock()` and call
    /// `run()` in a task.
    public static func manager(
        cluster: any ManagementCluster, clock: any ControllerClock, configuration: ProviderConfiguration = ProviderConfiguration()
    ) -> ControllerManager {
        ControllerManager(cluster: cluster, clock: clock, configuration: configuration, reconcilers: [
            ClusterController(),
            SimulatedInfraClusterController(),
            KubeadmControlPlaneController(),
            KubeadmConfigController(),
            MachineDeploymentController(),
            MachineSetController(),
            MachineController(),
            SimulatedInfraMachineController(),
            MachinePoolController(),
            SimulatedInfraMachinePoolController(),
            MachineHealthCheckController(),
            ClusterResourceSetController(),
            ClusterResourceSetBindingController(),
        ])
    }

    /// The field-manager names the controllers write with.
    public static let fieldManagers = [
        "capi-cluster", "capi-machinedeployment", "capi-machineset", "capi-machine", "capi-machinepool", "capi-machinehealthcheck",
        "capi-clusterresourceset", "capi-clusterresourcesetbinding", "capi-kubeadmcontrolplane", "capi-kubeadmconfig",
        "capstan-sim-infracluster", "capstan-sim-inframachine", "capstan-sim-inframachinepool",
    ]
}
