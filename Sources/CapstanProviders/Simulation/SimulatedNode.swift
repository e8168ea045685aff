public import CapstanModel
import CapstanCluster

/// The simulated infrastructure's vocabulary: the kind that stands for workload-cluster Nodes, and the
/// annotations that inject faults.
///
/// Nodes live in the management store as `SimulatedNode` objects (`sim.capstan.io/v1alpha1`), one per
/// machine (or machine-pool instance), in the cluster's namespace, labelled with the cluster name and owned
/// by the infrastructure object (the "VM") they run on. Keeping them in the store — rather than in a
/// process-local registry — makes them survive a restart (`kill -9` included) together with the machines they
/// belong to, lets `capstan get`/`status` show them, and lets controllers watch them like any other kind. The
/// controllers read them only through `WorkloadNodes`, the seam a real workload-cluster client replaces.
public enum Simulation {
    /// The Node stand-in kind.
    public static let nodeKind = GroupVersionKind(group: "sim.capstan.io", version: "v1alpha1", kind: "SimulatedNode")

    /// Fault-injection and bookkeeping annotations.
    public enum Annotation {
        /// `"true"` on an infrastructure object (or its Machine / MachinePool): it never finishes provisioning.
        public static let failProvisioning = "sim.capstan.io/fail-provisioning"
        /// On a Machine or its infrastructure object: node conditions to force, e.g. `"Ready=False"` or
        /// `"Ready=Unknown,MemoryPressure=True"`. Removing it makes the node healthy again.
        public static let nodeConditions = "sim.capstan.io/node-conditions"
        /// On a SimulatedNode: when an in-place version change started, and to which version.
        static let updatingSince = "sim.capstan.io/updating-since"
        static let updatingTo = "sim.capstan.io/updating-to"
    }

    /// The node conditions a healthy kubelet reports, with their healthy status.
    static let healthyConditions: [(String, Condition.Status)] = [
        ("MemoryPressure", .false), ("DiskPressure", .false), ("PIDPressure", .false), ("Ready", .true),
    ]
}

/// A Node condition (core/v1 `NodeCondition`).
struct NodeCondition: Sendable, Hashable {
    var type: String
    var status: Condition.Status
    var reason: String
    var lastTransitionTime: String?

    init(type: String, status: Condition.Status, reason: String, lastTransitionTime: String?) {
        self.type = type
        self.status = status
        self.reason = reason
        self.lastTransitionTime = lastTransitionTime
    }

    init?(_ v: Value) {
        guard let type = v["type"]?.stringValue, let s = v["status"]?.stringValue else { return nil }
        self.init(type: type, status: Condition.Status(rawValue: s) ?? .unknown, reason: v["reason"]?.stringValue ?? "",
                  lastTransitionTime: v["lastTransitionTime"]?.stringValue)
    }

    var value: Value {
        var m: ObjectMap = ["type": .string(type), "status": .string(status.rawValue)]
        if let lastTransitionTime {
            m["lastHeartbeatTime"] = .string(lastTransitionTime)
            m["lastTransitionTime"] = .string(lastTransitionTime)
        }
        m["reason"] = .string(reason)
        return .map(m)
    }

    /// When the status last changed.
    var since: Moment? { lastTransitionTime.flatMap(Timestamp.init(rfc3339:)).map(Moment.init) }
}

/// A workload-cluster Node as the Machine and MachineHealthCheck controllers read it.
struct WorkloadNode: Sendable {
    var name: String
    var providerID: String
    var kubeletVersion: String
    var conditions: [NodeCondition]
    var isDeleting: Bool
    var object: KubeObject

    init(_ obj: KubeObject) {
        object = obj
        name = obj.name
        providerID = obj.string("spec", "providerID") ?? ""
        kubeletVersion = obj.string("status", "nodeInfo", "kubeletVersion") ?? ""
        conditions = obj.body[path: ["status", "conditions"]]?.listValue?.compactMap(NodeCondition.init) ?? []
        isDeleting = obj.isDeleting
    }

    func condition(_ type: String) -> NodeCondition? { conditions.first { $0.type == type } }

    var isReady: Bool { condition("Ready")?.status == .true }
}

/// How controllers reach the Nodes of a workload cluster. The simulated implementation reads `SimulatedNode`
/// objects from the informer cache; a real one would use a client for the workload cluster's API server.
struct WorkloadNodes: Sendable {
    let ctx: ReconcileContext

    /// The node with a provider ID in a cluster.
    func node(cluster: ClusterID, providerID: String) -> WorkloadNode? {
        guard !providerID.isEmpty else { return nil }
        return ctx.cache.list(Simulation.nodeKind.groupKind, cluster: cluster)
            .first { $0.string("spec", "providerID") == providerID }.map(WorkloadNode.init)
    }

    /// A node by name.
    func node(cluster: ClusterID, name: String) -> WorkloadNode? {
        ctx.cache.get(Simulation.nodeKind.groupKind, namespace: cluster.namespace, name: name).map(WorkloadNode.init)
    }

    /// Every node of a cluster.
    func nodes(cluster: ClusterID) -> [WorkloadNode] {
        ctx.cache.list(Simulation.nodeKind.groupKind, cluster: cluster).map(WorkloadNode.init)
    }

    /// Deletes a node (the Machine controller does this when its machine goes away).
    func delete(_ node: WorkloadNode) async throws { try await ctx.client.delete(node.object) }
}
