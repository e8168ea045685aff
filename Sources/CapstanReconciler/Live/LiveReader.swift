import CapstanCluster
import CapstanModel
import CapstanTopology

/// Reads live objects for renders through the `ManagementCluster` port.
struct LiveReader: Sendable {
    let cluster: any ManagementCluster

    /// The version to address a group's kinds with. The embedded store ignores the version (identity is
    /// group, kind, namespace, name); a real API server needs one, so Cluster API kinds use v1beta2 and other
    /// groups the version the fleet writes them with.
    static func gvk(group: String, kind: String) -> GroupVersionKind {
        switch group {
        case "": GroupVersionKind(group: "", version: "v1", kind: kind)
        case "apiextensions.k8s.io": GroupVersionKind(group: group, version: "v1", kind: kind)
        case Vocabulary.capiGroup, "controlplane.cluster.x-k8s.io", "bootstrap.cluster.x-k8s.io": GroupVersionKind(group: group, version: "v1beta2", kind: kind)
        default: GroupVersionKind(group: group, version: "v1beta1", kind: kind)
        }
    }

    /// Lists every CustomResourceDefinition (control-plane contracts are read from them).
    func prefetchDefinitions(into reads: LiveReads) async throws {
        let query = LiveReads.Query(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", namespace: "", labels: [:])
        try await fetch(query, into: reads)
    }

    /// Reads what a Cluster's render needs in any case: the Cluster, and its MachineDeployments,
    /// MachinePools, MachineHealthChecks and Machines (by the cluster-name label), concurrently.
    func prefetch(cluster id: ClusterID, into reads: LiveReads) async throws {
        let labels = [Vocabulary.clusterNameLabel: id.name]
        let queries = ["MachineDeployment", "MachinePool", "MachineHealthCheck", "Machine"].map {
            LiveReads.Query(group: Vocabulary.capiGroup, kind: $0, namespace: id.namespace, labels: labels)
        }
        let key = ObjectKey(group: Vocabulary.capiGroup, kind: "Cluster", namespace: id.namespace, name: id.name)
        try await fetch(LiveReads.Misses(keys: [key], queries: Set(queries)), into: reads)
        // Follow references two levels down (Cluster → control plane → its machine template; worker pools →
        // their templates): the renderer stops at the first object it misses, so reading them up front saves
        // a render round per reference.
        var holders = [reads.known(key)].compactMap { $0 }
        for kind in ["MachineDeployment", "MachinePool"] {
            holders += reads.objects(group: Vocabulary.capiGroup, kind: kind, namespace: id.namespace, matching: LabelSelector(matchLabels: labels))
        }
        for _ in 0..<2 {
            let keys = Set(holders.flatMap { Self.references(of: $0) }).filter {
                if case .unknown = reads.lookup($0) { true } else { false }
            }
            if keys.isEmpty { break }
            try await fetch(LiveReads.Misses(keys: keys, queries: []), into: reads)
            holders = keys.compactMap { reads.known($0) }
        }
    }

    /// Objects `o` refers to in its spec, in its namespace.
    static func references(of o: KubeObject) -> [ObjectKey] {
        guard let spec = o.body["spec"] else { return [] }
        return InputHashes.references(in: spec).map { ObjectKey(group: $0.group, kind: $0.kind, namespace: o.namespace, name: $0.name) }
    }

    /// Reads everything a render missed, concurrently.
    func fetch(_ misses: LiveReads.Misses, into reads: LiveReads) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in misses.keys {
                group.addTask {
                    let o = try await cluster.get(Self.gvk(group: key.group, kind: key.kind), namespace: key.namespace, name: key.name)
                    reads.record(key, o)
                }
            }
            for query in misses.queries {
                group.addTask { try await fetch(query, into: reads) }
            }
            try await group.waitForAll()
        }
    }

    private func fetch(_ query: LiveReads.Query, into reads: LiveReads) async throws {
        let selector: LabelSelector? = query.labels.isEmpty ? nil : LabelSelector(matchLabels: query.labels)
        let list = try await cluster.list(Self.gvk(group: query.group, kind: query.kind), namespace: query.namespace.isEmpty ? nil : query.namespace, selector: selector)
        reads.record(query, list.items)
    }
}
