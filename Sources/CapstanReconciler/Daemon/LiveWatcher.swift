import CapstanCluster
import CapstanModel
import Logging

/// The daemon's second trigger: watches the fleet's Clusters and MachineDeployments (by the
/// `capstan.io/fleet` label) and reports which Clusters moved, so their status is observed again and a
/// Cluster being sequenced through an upgrade is rendered again (upgrade steps advance only then).
struct LiveWatcher: Sendable {
    let cluster: any ManagementCluster
    let fleet: String
    let logger: Logger
    let onChange: @Sendable (Set<ClusterID>) -> Void

    static let kinds = ["Cluster", "MachineDeployment", "MachinePool"]

    /// Watches every kind until the task is cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for kind in Self.kinds { group.addTask { await watch(kind) } }
        }
    }

    /// Lists, then watches from the list's version; starts over after a compacted version or a closed watch.
    private func watch(_ kind: String) async {
        let gvk = LiveReader.gvk(group: Vocabulary.capiGroup, kind: kind)
        let selector = LabelSelector(matchLabels: [Vocabulary.fleetLabel: fleet])
        while !Task.isCancelled {
            do {
                let list = try await cluster.list(gvk, namespace: nil, selector: selector)
                onChange(Set(list.items.compactMap(Self.clusterID)))
                let stream = try await cluster.watch(gvk, namespace: nil, selector: selector, fromResourceVersion: list.resourceVersion)
                for try await event in stream {
                    if let id = Self.clusterID(event.object) { onChange([id]) }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.debug("watch restarts", metadata: ["kind": "\(kind)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// The Cluster an object belongs to: itself, or its `cluster.x-k8s.io/cluster-name` label.
    static func clusterID(_ o: KubeObject) -> ClusterID? {
        if o.kind == "Cluster" { return ClusterID(namespace: o.namespace, name: o.name) }
        guard let name = o.labels[Vocabulary.clusterNameLabel] else { return nil }
        return ClusterID(namespace: o.namespace, name: name)
    }
}
