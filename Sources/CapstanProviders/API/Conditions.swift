/// The condition vocabulary of the embedded controllers: every condition type and reason they write, in one
/// place (names as Cluster API v1beta2 defines them in `api/core/v1beta2/condition_consts.go`, the per-kind
/// `*_types.go` files, and the kubeadm control-plane, bootstrap and addons API packages).
public enum ConditionType {
    // Shared across kinds.
    public static let available = "Available"
    public static let ready = "Ready"
    public static let bootstrapConfigReady = "BootstrapConfigReady"
    public static let infrastructureReady = "InfrastructureReady"
    public static let machinesReady = "MachinesReady"
    public static let machinesUpToDate = "MachinesUpToDate"
    public static let rollingOut = "RollingOut"
    public static let scalingUp = "ScalingUp"
    public static let scalingDown = "ScalingDown"
    public static let remediating = "Remediating"
    public static let deleting = "Deleting"
    public static let paused = "Paused"

    // Cluster.
    public static let controlPlaneInitialized = "ControlPlaneInitialized"
    public static let controlPlaneAvailable = "ControlPlaneAvailable"
    public static let workersAvailable = "WorkersAvailable"
    public static let remoteConnectionProbe = "RemoteConnectionProbe"
    public static let controlPlaneMachinesReady = "ControlPlaneMachinesReady"
    public static let workerMachinesReady = "WorkerMachinesReady"
    public static let controlPlaneMachinesUpToDate = "ControlPlaneMachinesUpToDate"
    public static let workerMachinesUpToDate = "WorkerMachinesUpToDate"
    public static let topologyReconciled = "TopologyReconciled"

    // Machine.
    public static let upToDate = "UpToDate"
    public static let updating = "Updating"
    public static let nodeReady = "NodeReady"
    public static let nodeHealthy = "NodeHealthy"
    public static let healthCheckSucceeded = "HealthCheckSucceeded"
    public static let ownerRemediated = "OwnerRemediated"

    // MachineHealthCheck.
    public static let remediationAllowed = "RemediationAllowed"

    // KubeadmControlPlane.
    public static let initialized = "Initialized"
    public static let certificatesAvailable = "CertificatesAvailable"
    public static let etcdClusterHealthy = "EtcdClusterHealthy"
    public static let controlPlaneComponentsHealthy = "ControlPlaneComponentsHealthy"

    // KubeadmConfig.
    public static let dataSecretAvailable = "DataSecretAvailable"

    // ClusterResourceSet.
    public static let resourcesApplied = "ResourcesApplied"
}

/// Condition reasons (CamelCase, as `metav1.Condition.reason` requires).
public enum ConditionReason {
    // Shared.
    public static let available = "Available"
    public static let notAvailable = "NotAvailable"
    public static let availableUnknown = "AvailableUnknown"
    public static let ready = "Ready"
    public static let notReady = "NotReady"
    public static let readyUnknown = "ReadyUnknown"
    public static let upToDate = "UpToDate"
    public static let notUpToDate = "NotUpToDate"
    public static let rollingOut = "RollingOut"
    public static let notRollingOut = "NotRollingOut"
    public static let scalingUp = "ScalingUp"
    public static let notScalingUp = "NotScalingUp"
    public static let scalingDown = "ScalingDown"
    public static let notScalingDown = "NotScalingDown"
    public static let remediating = "Remediating"
    public static let notRemediating = "NotRemediating"
    public static let noReplicas = "NoReplicas"
    public static let waitingForReplicasSet = "WaitingForReplicasSet"
    public static let internalError = "InternalError"
    public static let objectDoesNotExist = "ObjectDoesNotExist"
    public static let objectDeleted = "ObjectDeleted"
    public static let notPaused = "NotPaused"
    public static let paused = "Paused"
    public static let notDeleting = "NotDeleting"
    public static let deleting = "Deleting"
    public static let deletionCompleted = "DeletionCompleted"
    public static let waitingForClusterInfrastructureReady = "WaitingForClusterInfrastructureReady"
    public static let waitingForControlPlaneInitialized = "WaitingForControlPlaneInitialized"
    public static let waitingForBootstrapData = "WaitingForBootstrapData"
    public static let provisioned = "Provisioned"
    public static let notProvisioned = "NotProvisioned"

    // Cluster.
    public static let initialized = "Initialized"
    public static let notInitialized = "NotInitialized"
    public static let noWorkers = "NoWorkers"
    public static let probeSucceeded = "ProbeSucceeded"
    public static let probeFailed = "ProbeFailed"
    public static let waitingForWorkersDeletion = "WaitingForWorkersDeletion"
    public static let waitingForControlPlaneDeletion = "WaitingForControlPlaneDeletion"
    public static let waitingForInfrastructureDeletion = "WaitingForInfrastructureDeletion"

    // Machine.
    public static let waitingForMinReadySeconds = "WaitingForMinReadySeconds"
    public static let updating = "Updating"
    public static let notUpdating = "NotUpdating"
    public static let inPlaceUpdating = "InPlaceUpdating"
    public static let dataSecretProvided = "DataSecretProvided"
    public static let nodeReady = "NodeReady"
    public static let nodeNotReady = "NodeNotReady"
    public static let nodeHealthy = "NodeHealthy"
    public static let nodeNotHealthy = "NodeNotHealthy"
    public static let nodeHealthUnknown = "NodeHealthyUnknown"
    public static let nodeDoesNotExist = "NodeDoesNotExist"
    public static let nodeDeleted = "NodeDeleted"
    public static let healthCheckSucceeded = "HealthCheckSucceeded"
    public static let unhealthyNode = "UnhealthyNode"
    public static let unhealthyMachine = "UnhealthyMachine"
    public static let nodeStartupTimeout = "NodeStartupTimeout"
    public static let hasRemediateAnnotation = "HasRemediateAnnotation"
    public static let waitingForRemediation = "WaitingForRemediation"
    public static let waitingForBootstrapDeletion = "WaitingForBootstrapDeletion"
    public static let deletingNode = "DeletingNode"
    public static let drainingNode = "DrainingNode"

    // MachineSet / MachineDeployment.
    public static let waitingForAvailableReplicasSet = "WaitingForAvailableReplicasSet"
    public static let preflightCheckFailed = "PreflightCheckFailed"

    // MachineHealthCheck.
    public static let remediationAllowed = "RemediationAllowed"
    public static let tooManyUnhealthy = "TooManyUnhealthy"

    // KubeadmControlPlane.
    public static let healthy = "Healthy"
    public static let notHealthy = "NotHealthy"
    public static let waitingForMachineDeletion = "WaitingForMachineDeletion"

    // ClusterResourceSet.
    public static let applied = "Applied"
    public static let notApplied = "NotApplied"

    // Simulated infrastructure (provider-specific reasons, as each provider defines its own).
    public static let provisioning = "Provisioning"
    public static let provisioningFailed = "ProvisioningFailed"
    public static let kubeletReady = "KubeletReady"
    public static let kubeletNotReady = "KubeletNotReady"
    public static let simulatedFault = "SimulatedFault"
}
