import CapstanCluster
import CapstanFleet
import CapstanModel

extension FleetReconciler {
    /// Step 6: apply, in phases: Namespaces and CRDs, then ClusterClasses and their templates, then Clusters
    /// (each one's Git part, its topology in upstream order and its planned deletions; Clusters in parallel),
    /// then everything else. Objects about to be created are first announced in the inventory, so a crash
    /// never leaves an object Capstan does not know it may have made. A Cluster whose render failed or was
    /// denied is not touched; the others go ahead.
    func apply(_ scope: inout SyncScope) async throws {
        guard let state = scope.state, state.configValid, let revision = scope.revision else { return }
        try await announce(scope, state)
        let allowDeletes = !state.hasErrors && !scope.clusterPlans.values.contains { $0.problem != nil }
            && !scope.gitPlans.contains { $0.error != nil }
        let context = ApplyContext(
            cluster: env.cluster,
            render: RenderContext(renderer: state.renderer, reader: LiveReader(cluster: env.cluster), policies: state.policies,
                                  fleet: state.config.fleetName, force: state.config.force),
            allowDeletes: allowDeletes, revision: revision.description, clock: env.clock, writes: writeCount, afterWrite: env.afterWrite)
        for phase in ApplyPhase.allCases {
            let plans = scope.gitPlans.filter { $0.order == phase.rawValue }
            scope.gitResults += try await Concurrently.map(plans, limit: env.concurrency * 2) { p in
                try await context.applyGit(p, denied: state.denied[p.key])
            }
            if phase == .clusters {
                let applied = try await Concurrently.map(Array(scope.clusterPlans.values), limit: env.concurrency) { plan in
                    try await context.applyCluster(plan)
                }
                for plan in applied { scope.clusterPlans[plan.id] = plan }
            }
        }
        for r in scope.results where r.change == .create || r.change == .update { env.metrics.applied(kind: r.key.kind, count: 1) }
        for plan in scope.clusterPlans.values { scope.observe.insert(plan.id) }
    }

    /// Writes inventory entries (without a hash) for Git objects and Clusters not in the inventory yet.
    func announce(_ scope: SyncScope, _ state: RevisionState) async throws {
        guard var inventory else { return }
        var added = false
        for p in scope.gitPlans where inventory.entries[p.key] == nil && p.change == .create {
            inventory.entries[p.key] = Inventory.Entry(key: p.key, apiVersion: p.object.apiVersion, inputHash: "")
            added = true
        }
        for plan in scope.clusterPlans.values where inventory.entries[plan.key] == nil && plan.problem == nil {
            let apiVersion = plan.objects.first { $0.order == ClusterObjects.gitPartOrder }?.object.apiVersion ?? plan.source.object.apiVersion
            inventory.entries[plan.key] = Inventory.Entry(key: plan.key, apiVersion: apiVersion, inputHash: "")
            added = true
        }
        guard added else { return }
        try await store(inventory)
    }

    /// Stores the inventory in the management cluster and keeps it as the current one.
    func store(_ inventory: Inventory) async throws {
        try await inventory.store(in: env.cluster, namespaceKnown: inventoryNamespaceReady)
        inventoryNamespaceReady = true
        self.inventory = inventory
        storedInventory = inventory
        _ = writeCount.increment()
    }
}
