public import CapstanModel

/// Cluster API kinds, labels, annotations and finalizers (names from kubernetes-sigs/cluster-api v1beta2:
/// `api/core/v1beta2/common_types.go`, `machine_types.go`, `machineset_types.go`, `machinedeployment_types.go`,
/// the kubeadm control-plane and bootstrap API packages, and `api/addons/v1beta2`).
public enum CAPI {
    static let group = "cluster.x-k8s.io"
    static let bootstrapGroup = "bootstrap.cluster.x-k8s.io"
    static let controlPlaneGroup = "controlplane.cluster.x-k8s.io"
    static let infrastructureGroup = "infrastructure.cluster.x-k8s.io"
    static let addonsGroup = "addons.cluster.x-k8s.io"
    static let version = "v1beta2"

    /// The GVKs the embedded controllers reconcile.
    public enum Kind {
        public static let cluster = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "Cluster")
        public static let machine = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "Machine")
        public static let machineSet = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "MachineSet")
        public static let machineDeployment = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "MachineDeployment")
        public static let machinePool = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "MachinePool")
        public static let machineHealthCheck = GroupVersionKind(group: CAPI.group, version: CAPI.version, kind: "MachineHealthCheck")
        public static let clusterResourceSet = GroupVersionKind(group: CAPI.addonsGroup, version: CAPI.version, kind: "ClusterResourceSet")
        public static let clusterResourceSetBinding = GroupVersionKind(group: CAPI.addonsGroup, version: CAPI.version, kind: "ClusterResourceSetBinding")
        public static let kubeadmControlPlane = GroupVersionKind(group: CAPI.controlPlaneGroup, version: CAPI.version, kind: "KubeadmControlPlane")
        public static let kubeadmConfig = GroupVersionKind(group: CAPI.bootstrapGroup, version: CAPI.version, kind: "KubeadmConfig")
        public static let kubeadmConfigTemplate = GroupVersionKind(group: CAPI.bootstrapGroup, version: CAPI.version, kind: "KubeadmConfigTemplate")
        public static let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
        public static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    }

    /// Labels.
    public enum Label {
        public static let clusterName = "cluster.x-k8s.io/cluster-name"
        public static let controlPlane = "cluster.x-k8s.io/control-plane"
        public static let controlPlaneName = "cluster.x-k8s.io/control-plane-name"
        public static let machineSetName = "cluster.x-k8s.io/set-name"
        public static let machineDeploymentName = "cluster.x-k8s.io/deployment-name"
        public static let machinePoolName = "cluster.x-k8s.io/pool-name"
        public static let machineTemplateHash = "machine-template-hash"
        public static let topologyOwned = "topology.cluster.x-k8s.io/owned"
    }

    /// Annotations.
    public enum Annotation {
        public static let paused = "cluster.x-k8s.io/paused"
        public static let deleteMachine = "cluster.x-k8s.io/delete-machine"
        public static let remediateMachine = "cluster.x-k8s.io/remediate-machine"
        public static let skipRemediation = "cluster.x-k8s.io/skip-remediation"
        public static let clonedFromName = "cluster.x-k8s.io/cloned-from-name"
        public static let clonedFromGroupKind = "cluster.x-k8s.io/cloned-from-groupkind"
        public static let revision = "machinedeployment.clusters.x-k8s.io/revision"
        public static let desiredReplicas = "machinedeployment.clusters.x-k8s.io/desired-replicas"
        public static let maxReplicas = "machinedeployment.clusters.x-k8s.io/max-replicas"
        public static let skipPreflightChecks = "machineset.cluster.x-k8s.io/skip-preflight-checks"
        public static let updateInProgress = "in-place-updates.internal.cluster.x-k8s.io/update-in-progress"
        /// Capstan: hash of the KubeadmControlPlane's `kubeadmConfigSpec` a control-plane machine was created from.
        public static let kubeadmConfigHash = "controlplane.capstan.io/kubeadm-config-hash"
        /// Capstan: versions a chained control-plane upgrade may step through (comma-separated), like a
        /// ClusterClass's `spec.kubernetesVersions`; without it each intermediate minor is `vX.Y.0`.
        public static let kubernetesVersions = "controlplane.capstan.io/kubernetes-versions"
    }

    /// Finalizers.
    public enum Finalizer {
        public static let cluster = "cluster.cluster.x-k8s.io"
        public static let machine = "machine.cluster.x-k8s.io"
        public static let machineSet = "cluster.x-k8s.io/machineset"
        public static let machineDeployment = "cluster.x-k8s.io/machinedeployment"
        public static let machinePool = "machinepool.cluster.x-k8s.io"
        public static let kubeadmControlPlane = "kubeadm.controlplane.cluster.x-k8s.io"
        public static let clusterResourceSet = "addons.cluster.x-k8s.io"
        public static let simulatedInfrastructure = "infrastructure.sim.capstan.io"
    }

    /// The Secret type Cluster API uses for its secrets.
    static let secretType = "cluster.x-k8s.io/secret"

    /// Whether an object is paused: `spec.paused`, the paused annotation, or its cluster's `spec.paused`.
    static func isPaused(_ obj: KubeObject, cluster: KubeObject?) -> Bool {
        obj.annotations[Annotation.paused] != nil || obj.body[path: ["spec", "paused"]]?.boolValue == true
            || cluster?.body[path: ["spec", "paused"]]?.boolValue == true
    }
}

extension GroupVersionKind {
    /// The API group and kind.
    var gk: GroupKind { groupKind }
}
