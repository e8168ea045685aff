import CapstanCluster
import CapstanModel

extension FleetReconciler {
    /// Step 8: observe. Reads the Clusters this run touched (and, on the first run, every Cluster of the
    /// fleet) with their MachineDeployments and MachinePools: phase, conditions, versions, replicas,
    /// rollouts. Live-change runs observe the Clusters that moved.
    func observe(_ scope: inout SyncScope) async throws {
        if case .live(let ids) = scope.trigger {
            scope.observe.formUnion(ids)
            // Clusters on their way out are looked at until they are gone (their status file goes with them).
            scope.observe.formUnion(records.values.filter { $0.deleted || !$0.wanted }.map(\.id))
        }
        if summary == nil { scope.observe.formUnion(records.keys) }
        let ids = scope.observe.filter { records[$0] != nil }
        let cluster = env.cluster
        let observed = try await Concurrently.map(Array(ids), limit: env.concurrency * 2) { id in
            (id, try await ClusterObserver.observe(id, in: cluster))
        }
        for (id, o) in observed {
            guard var r = records[id] else { continue }
            if !o.exists && (!r.wanted || r.deleted) {
                records[id] = nil
                continue
            }
            r.observed = o
            records[id] = r
        }
    }
}

/// Reads a Cluster's live state into an `ObservedCluster`.
enum ClusterObserver {
    static func observe(_ id: ClusterID, in cluster: any ManagementCluster) async throws -> ObservedCluster {
        var o = ObservedCluster()
        guard let c = try await cluster.get(LiveReader.gvk(group: Vocabulary.capiGroup, kind: "Cluster"), namespace: id.namespace, name: id.name) else {
            return o
        }
        o.exists = true
        o.deleting = c.isDeleting
        o.phase = c.body[path: ["status", "phase"]]?.stringValue
        o.conditions = (c.body[path: ["status", "conditions"]]?.listValue ?? []).compactMap { v in
            guard let type = v["type"]?.stringValue else { return nil }
            return .init(type: type, status: v["status"]?.stringValue ?? "Unknown", reason: v["reason"]?.stringValue ?? "",
                         message: v["message"]?.stringValue ?? "")
        }.sorted { $0.type < $1.type }
        let cp = c.body[path: ["status", "controlPlane"]]
        o.controlPlane = .init(desired: cp?["desiredReplicas"]?.intValue, ready: cp?["readyReplicas"]?.intValue,
                               updated: cp?["upToDateReplicas"]?.intValue, available: cp?["availableReplicas"]?.intValue)
        let versions = cp?["versions"]?.listValue?.compactMap { $0["version"]?.stringValue } ?? []
        o.controlPlaneVersion = versions.count == 1 ? versions[0] : versions.sorted().first
        o.upgradePlan = cp?["upgradePlan"]?.listValue?.compactMap { $0["version"]?.stringValue } ?? []
        let selector = LabelSelector(matchLabels: [Vocabulary.clusterNameLabel: id.name])
        for kind in ["MachineDeployment", "MachinePool"] {
            let items = try await cluster.list(LiveReader.gvk(group: Vocabulary.capiGroup, kind: kind), namespace: id.namespace, selector: selector).items
            for w in items {
                let name = w.labels["topology.cluster.x-k8s.io/deployment-name"] ?? w.labels["topology.cluster.x-k8s.io/pool-name"] ?? w.name
                let rolling = (w.body[path: ["status", "conditions"]]?.listValue ?? []).contains {
                    $0["type"]?.stringValue == "RollingOut" && $0["status"]?.stringValue == "True"
                }
                o.workers.append(.init(
                    name: name, kind: kind, version: w.body[path: ["spec", "template", "spec", "version"]]?.stringValue,
                    replicas: .init(desired: w.body[path: ["spec", "replicas"]]?.intValue, ready: w.body[path: ["status", "readyReplicas"]]?.intValue,
                                    updated: w.body[path: ["status", "upToDateReplicas"]]?.intValue,
                                    available: w.body[path: ["status", "availableReplicas"]]?.intValue),
                    rollingOut: rolling))
            }
        }
        o.workers.sort { ($0.kind, $0.name) < ($1.kind, $1.name) }
        return o
    }
}
