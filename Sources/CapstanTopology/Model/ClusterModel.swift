import CapstanModel

/// One `{name, value}` entry of a Cluster variable list. `value` is nil when the key is absent.
struct ClusterVariable: Sendable, Equatable {
    var name: String
    var value: Value?

    init(name: String, value: Value?) {
        self.name = name
        self.value = value
    }

    init(_ v: Value) {
        name = v["name"]?.stringValue ?? ""
        value = v["value"]
    }

    /// The raw JSON text upstream keeps (`apiextensionsv1.JSON.Raw`), as shown in messages.
    var rawText: String { value.map { JSON.serialize($0) } ?? "" }
    var json: Value { .map(["name": .string(name), "value": value ?? .null]) }
}

/// `ControlPlaneTopology` (v1beta2).
struct ControlPlaneTopology: Sendable {
    var metadata: Metadata
    var replicas: Int64?
    var rolloutAfter: String?
    var healthCheck: HealthCheck
    var deletion: DeletionTimeouts
    var taints: Value?
    var readinessGates: Value?
    var overrides: [ClusterVariable]

    init(_ v: Value) {
        metadata = Metadata(v["metadata"])
        replicas = v["replicas"]?.intValue
        rolloutAfter = v[path: ["rollout", "after"]]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        healthCheck = HealthCheck(v["healthCheck"])
        deletion = DeletionTimeouts(v["deletion"])
        taints = v.member("taints")
        readinessGates = v.member("readinessGates")
        overrides = (v[path: ["variables", "overrides"]]?.listValue ?? []).map(ClusterVariable.init)
    }
}

/// `MachineDeploymentTopology` (v1beta2).
struct MachineDeploymentTopology: Sendable {
    var index: Int
    var metadata: Metadata
    var className: String
    var name: String
    var failureDomain: String
    var replicas: Int64?
    var healthCheck: HealthCheck
    var deletionOrder: String
    var deletion: DeletionTimeouts
    var taints: Value?
    var minReadySeconds: Value?
    var readinessGates: Value?
    var rollout: Value?
    var overrides: [ClusterVariable]

    init(index: Int, _ v: Value) {
        self.index = index
        metadata = Metadata(v["metadata"])
        className = v["class"]?.stringValue ?? ""
        name = v["name"]?.stringValue ?? ""
        failureDomain = v["failureDomain"]?.stringValue ?? ""
        replicas = v["replicas"]?.intValue
        healthCheck = HealthCheck(v["healthCheck"])
        deletionOrder = v[path: ["deletion", "order"]]?.stringValue ?? ""
        deletion = DeletionTimeouts(v["deletion"])
        taints = v.member("taints")
        minReadySeconds = v.member("minReadySeconds")
        readinessGates = v.member("readinessGates")
        rollout = v.member("rollout")
        overrides = (v[path: ["variables", "overrides"]]?.listValue ?? []).map(ClusterVariable.init)
    }

    var annotations: [String: String] { metadata.annotations ?? [:] }
}

/// `MachinePoolTopology` (v1beta2).
struct MachinePoolTopology: Sendable {
    var index: Int
    var metadata: Metadata
    var className: String
    var name: String
    var failureDomains: Value?
    var deletion: DeletionTimeouts
    var taints: Value?
    var minReadySeconds: Value?
    var replicas: Int64?
    var overrides: [ClusterVariable]

    init(index: Int, _ v: Value) {
        self.index = index
        metadata = Metadata(v["metadata"])
        className = v["class"]?.stringValue ?? ""
        name = v["name"]?.stringValue ?? ""
        failureDomains = v.member("failureDomains")
        deletion = DeletionTimeouts(v["deletion"])
        taints = v.member("taints")
        minReadySeconds = v.member("minReadySeconds")
        replicas = v["replicas"]?.intValue
        overrides = (v[path: ["variables", "overrides"]]?.listValue ?? []).map(ClusterVariable.init)
    }

    var annotations: [String: String] { metadata.annotations ?? [:] }
}

/// A Cluster with `spec.topology`, in the v1beta2 shape.
struct ClusterModel: Sendable {
    var object: KubeObject
    var name: String { object.name }
    var namespace: String { object.namespace }

    var classRefName: String
    var classRefNamespace: String
    /// `spec.topology.version` after the defaulting webhook (leading `v` added).
    var version: String
    var controlPlane: ControlPlaneTopology
    var machineDeployments: [MachineDeploymentTopology]
    var machinePools: [MachinePoolTopology]
    var variables: [ClusterVariable]

    init(_ object: KubeObject) {
        self.object = object
        let topo = object.body[path: ["spec", "topology"]] ?? .map([:])
        classRefName = topo[path: ["classRef", "name"]]?.stringValue ?? ""
        let ns = topo[path: ["classRef", "namespace"]]?.stringValue ?? ""
        classRefNamespace = ns.isEmpty ? object.namespace : ns
        let v = topo["version"]?.stringValue ?? ""
        version = (v.isEmpty || v.hasPrefix("v")) ? v : "v" + v
        controlPlane = ControlPlaneTopology(topo["controlPlane"] ?? .map([:]))
        machineDeployments = (topo[path: ["workers", "machineDeployments"]]?.listValue ?? []).enumerated().map {
            MachineDeploymentTopology(index: $0.offset, $0.element)
        }
        machinePools = (topo[path: ["workers", "machinePools"]]?.listValue ?? []).enumerated().map {
            MachinePoolTopology(index: $0.offset, $0.element)
        }
        variables = (topo["variables"]?.listValue ?? []).map(ClusterVariable.init)
    }

    /// True when the object has `spec.topology` (only those Clusters are rendered).
    static func hasTopology(_ object: KubeObject) -> Bool {
        object.body[path: ["spec", "topology"]]?.mapValue != nil
    }

    var serviceDomain: String { object.body[path: ["spec", "clusterNetwork", "serviceDomain"]]?.stringValue ?? "" }
    var servicesCIDRBlocks: Value? { object.body[path: ["spec", "clusterNetwork", "services", "cidrBlocks"]] }
    var podsCIDRBlocks: Value? { object.body[path: ["spec", "clusterNetwork", "pods", "cidrBlocks"]] }

    /// `upgrade-concurrency` annotation, default 1 (a value that does not parse counts as 0 → 1).
    var upgradeConcurrency: Int {
        guard let s = object.annotations[CAPI.upgradeConcurrencyAnnotation] else { return 1 }
        return max(1, Int(s) ?? 0)
    }
}
