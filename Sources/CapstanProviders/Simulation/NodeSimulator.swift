import CapstanCluster
import CapstanModel

/// The simulated kubelet: creates a machine's Node, brings it Ready after the configured delay, applies
/// injected conditions, and performs in-place version changes.
enum NodeSimulator {
    /// A new Node for an infrastructure object (not Ready until the kubelet "starts").
    static func make(name: String, cluster: ClusterID, providerID: String, version: String, owner: KubeObject,
                     machine: String?, poolOwner: KubeObject? = nil, now: Moment) -> KubeObject {
        var node = KubeObject(apiVersion: Simulation.nodeKind.apiVersion, kind: Simulation.nodeKind.kind, namespace: cluster.namespace, name: name)
        node.labels = [CAPI.Label.clusterName: cluster.name, "kubernetes.io/hostname": name]
        var annotations = ["cluster.x-k8s.io/cluster-name": cluster.name, "cluster.x-k8s.io/cluster-namespace": cluster.namespace]
        if let machine { annotations["cluster.x-k8s.io/machine"] = machine }
        if let poolOwner {
            annotations["cluster.x-k8s.io/owner-kind"] = poolOwner.kind
            annotations["cluster.x-k8s.io/owner-name"] = poolOwner.name
        }
        node.annotations = annotations
        node.ownerReferences = [.owner(owner)]
        node.spec = .map(["providerID": .string(providerID)])
        return node
    }

    /// The status a node should have now, and when it next changes on its own (kubelet start, in-place update).
    static func desiredStatus(_ node: KubeObject, version: String, forced: [String: Condition.Status], now: Moment,
                              config: SimulationConfiguration) -> (status: Value, next: Duration?) {
        var next: Duration?
        let created = node.body[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.init(rfc3339:)).map(Moment.init) ?? now
        let startup = created.advanced(by: config.nodeReady).since(now)
        let started = startup <= .zero
        if !started { next = startup }
        let existing = node.body[path: ["status", "conditions"]]?.listValue?.compactMap(NodeCondition.init) ?? []
        var conditions: [Value] = []
        for (type, healthy) in Simulation.healthyConditions {
            var status = type == "Ready" ? (started ? Condition.Status.true : .false) : healthy
            var reason = type == "Ready" ? (started ? ConditionReason.kubeletReady : ConditionReason.kubeletNotReady) : "KubeletHasSufficient\(type.replacingPressure)"
            if let f = forced[type] {
                status = f
                reason = ConditionReason.simulatedFault
            }
            let old = existing.first { $0.type == type }
            let since = old?.status == status ? (old?.lastTransitionTime ?? now.description) : now.description
            conditions.append(NodeCondition(type: type, status: status, reason: reason, lastTransitionTime: since).value)
        }
        var info = node.body[path: ["status", "nodeInfo"]]?.mapValue ?? [
            "architecture": "amd64", "containerRuntimeVersion": "containerd://2.0.0", "operatingSystem": "linux",
            "osImage": "Capstan simulated node",
        ]
        if info["kubeletVersion"] == nil { info["kubeletVersion"] = .string(version) }
        var status = node.status ?? .map([:])
        status["conditions"] = .list(conditions)
        status["nodeInfo"] = .map(info)
        status["addresses"] = .list([
            .map(["type": "InternalIP", "address": .string(address(node.name))]), .map(["type": "Hostname", "address": .string(node.name)]),
        ])
        return (status, next)
    }

    /// A stable private address for a name.
    static func address(_ name: String) -> String {
        let h = Hashing.fnv1a64(name)
        return "10.\(h & 0xff).\(h >> 8 & 0xff).\(max(2, h >> 16 & 0xff))"
    }

    /// Parses `sim.capstan.io/node-conditions` (`Ready=False,MemoryPressure=True`).
    static func forcedConditions(_ objects: [KubeObject?]) -> [String: Condition.Status] {
        var out: [String: Condition.Status] = [:]
        for obj in objects.compactMap({ $0 }) {
            for part in (obj.annotations[Simulation.Annotation.nodeConditions] ?? "").split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.split(separator: " ").joined() }
                guard kv.count == 2, let s = Condition.Status(rawValue: kv[1]) else { continue }
                out[kv[0]] = s
            }
        }
        return out
    }

    /// Advances an in-place version change of a node; returns the remaining time, or nil when there is none.
    static func inPlaceUpdate(_ node: KubeObject, to version: String, _ ctx: ReconcileContext) async throws -> Duration? {
        let current = node.string("status", "nodeInfo", "kubeletVersion") ?? ""
        guard !version.isEmpty, current != version else { return nil }
        if node.annotations[Simulation.Annotation.updatingTo] != version {
            try await ctx.client.update(node) { o in
                o.annotations[Simulation.Annotation.updatingTo] = version
                o.annotations[Simulation.Annotation.updatingSince] = ctx.now.description
            }
            return ctx.config.simulation.inPlaceUpdate
        }
        let since = node.annotations[Simulation.Annotation.updatingSince].flatMap(Timestamp.init(rfc3339:)).map(Moment.init) ?? ctx.now
        let remaining = since.advanced(by: ctx.config.simulation.inPlaceUpdate).since(ctx.now)
        if remaining > .zero { return remaining }
        if let updated = try await ctx.client.updateStatus(node, { $0[path: ["nodeInfo", "kubeletVersion"]] = .string(version) }) {
            try await ctx.client.update(updated) { o in
                o.annotations[Simulation.Annotation.updatingTo] = nil
                o.annotations[Simulation.Annotation.updatingSince] = nil
            }
        }
        return nil
    }

    /// Brings a node's status to what it should be now; returns when it next changes.
    static func sync(_ node: KubeObject, version: String, forced: [String: Condition.Status], _ ctx: ReconcileContext) async throws -> Duration? {
        let (status, next) = desiredStatus(node, version: version, forced: forced, now: ctx.now, config: ctx.config.simulation)
        if status != node.status { try await ctx.client.updateStatus(node) { $0 = status } }
        return next
    }
}

private extension String {
    /// `MemoryPressure` → `Memory` (for the kubelet's `KubeletHasSufficientMemory` reasons).
    var replacingPressure: String { hasSuffix("Pressure") ? String(dropLast("Pressure".count)) : self }
}
