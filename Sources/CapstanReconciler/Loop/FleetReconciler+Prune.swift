import CapstanCluster
import CapstanFleet
import CapstanModel

extension FleetReconciler {
    /// Step 7: prune. Objects in the inventory that the revision no longer has are deleted only when the whole
    /// revision loaded, validated, rendered and applied without error. A Cluster goes only with approval
    /// (`spec.deletion.approved` in capstan.yaml, or its file kept with `capstan.io/delete: "true"`) and
    /// within the per-revision budget; a Namespace only once nothing Capstan manages remains in it; a
    /// ClusterClass only once no Cluster uses it. Everything else that is not deleted is held and reported.
    func prune(_ scope: inout SyncScope) async throws {
        guard case .interval = scope.trigger.kind, let state = scope.state, state.configValid, var inventory else { return }
        let desired = state.desiredKeys
        let candidates = inventory.entries.values.filter { !desired.contains($0.key) }.sorted { a, b in
            let pa = Self.deletionRank(a.key, state), pb = Self.deletionRank(b.key, state)
            return (pa, a.key) < (pb, b.key)
        }
        let blocked = scope.hasErrors
        let policy = state.config.deletion
        var budget = policy.clusterBudget
        var results: [ObjectResult] = []
        var deleted = Set<ObjectKey>()
        let context = ApplyContext(cluster: env.cluster, render: RenderContext(renderer: state.renderer, reader: LiveReader(cluster: env.cluster),
                                   policies: state.policies, fleet: state.config.fleetName, force: state.config.force),
                                   allowDeletes: !blocked, revision: scope.revision?.description ?? "", clock: env.clock, writes: writeCount,
                                   afterWrite: env.afterWrite)
        for entry in candidates {
            var result = ObjectResult(key: entry.key, apiVersion: entry.apiVersion, change: .delete)
            let isCluster = entry.key.group == Vocabulary.capiGroup && entry.key.kind == "Cluster"
            let id = ClusterID(namespace: entry.key.namespace, name: entry.key.name)
            if isCluster { result.cluster = entry.key }
            if blocked {
                result.change = .held(reason: "the revision has errors: nothing is deleted until a revision loads, validates and renders without error")
            } else if isCluster {
                if !(policy.approved.contains(id) || state.deletionRequests.contains(id)) {
                    result.change = .held(reason: "deletion not approved: list \(id) under spec.deletion.approved in capstan.yaml, or keep its file with the annotation capstan.io/delete: \"true\"")
                } else if budget <= 0 {
                    result.change = .held(reason: "the deletion budget (\(policy.clusterBudget) Cluster\(policy.clusterBudget == 1 ? "" : "s") per revision) is used up; it is deleted with a later revision")
                } else {
                    budget -= 1
                }
            } else if !policy.prune {
                result.change = .held(reason: "pruning is off (spec.deletion.prune: false)")
            } else if let reason = try await stillNeeded(entry.key, inventory: inventory, deleted: deleted, state: state) {
                result.change = .held(reason: reason)
            }
            if result.change == .delete {
                try await context.delete(apiVersion: entry.apiVersion, key: entry.key)
                deleted.insert(entry.key)
                inventory.entries[entry.key] = nil
                env.metrics.pruned(kind: entry.key.kind, count: 1)
                if isCluster {
                    records[id, default: ClusterRecord(id: id)].deleted = true
                    scope.observe.insert(id)
                }
            } else {
                env.metrics.held(kind: entry.key.kind, count: 1)
            }
            results.append(result)
        }
        for id in state.deletionRequests where inventory.entries[ObjectKey(group: Vocabulary.capiGroup, kind: "Cluster", namespace: id.namespace, name: id.name)] == nil {
            records[id, default: ClusterRecord(id: id)].wanted = false
        }
        scope.deletions = results
        heldDeletions = results.filter { if case .held = $0.change { true } else { false } }
        self.inventory = inventory
    }

    /// Deletion order: Clusters, then other objects, then classes and templates, then Namespaces and CRDs.
    static func deletionRank(_ key: ObjectKey, _ state: RevisionState) -> Int {
        switch ApplyPhase.of(key, classTemplates: state.classTemplates) {
        case .clusters: 0
        case .rest: 1
        case .classes: 2
        case .definitions: 3
        }
    }

    /// Why an object that left Git must stay for now: a Namespace still holding what Capstan manages or live
    /// Clusters, a ClusterClass some live Cluster uses. Nil when it may go.
    func stillNeeded(_ key: ObjectKey, inventory: Inventory, deleted: Set<ObjectKey>, state: RevisionState) async throws -> String? {
        switch (key.group, key.kind) {
        case ("", "Namespace"):
            let inside = inventory.entries.keys.filter { $0.namespace == key.name && !deleted.contains($0) && $0 != key }
            if let first = inside.sorted().first {
                return "namespace still holds \(inside.count) object\(inside.count == 1 ? "" : "s") Capstan manages (\(first))"
            }
            let live = try await env.cluster.list(LiveReader.gvk(group: Vocabulary.capiGroup, kind: "Cluster"), namespace: key.name, selector: nil).items
            if let c = live.first { return "Cluster \(c.namespace)/\(c.name) is still in the namespace (deleting)" }
            return nil
        case (Vocabulary.capiGroup, "ClusterClass"):
            let live = try await env.cluster.list(LiveReader.gvk(group: Vocabulary.capiGroup, kind: "Cluster"), namespace: nil, selector: nil).items
            if let user = live.first(where: { InputHashes.classKey(of: $0) == key }) {
                return "ClusterClass is still used by Cluster \(user.namespace)/\(user.name)"
            }
            return nil
        default:
            return nil
        }
    }
}

extension SyncTrigger {
    /// Source-driven runs (`interval` and `webhook`) behave the same; this folds them.
    enum Kind { case interval, live, drift }
    var kind: Kind {
        switch self {
        case .interval, .webhook: .interval
        case .live: .live
        case .drift: .drift
        }
    }
}
