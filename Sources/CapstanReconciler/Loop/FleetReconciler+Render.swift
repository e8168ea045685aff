import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology

extension FleetReconciler {
    /// Step 4: render the Clusters this run is about, concurrently, each against fresh live reads, and admit
    /// their rendered objects. Which Clusters: on a new revision those whose inputs changed since they were
    /// last applied (and those still being sequenced through an upgrade); on a live change those of the
    /// trigger that are being sequenced.
    func render(_ scope: inout SyncScope) async throws {
        guard let state = scope.state, state.configValid else { return }
        var plans: [ClusterPlan] = []
        for id in clustersToRender(scope, state).sorted() {
            guard let source = state.clusters[id] else { continue }
            var plan = ClusterPlan(id: id, source: source, inputHash: state.hashes[source.key] ?? "")
            if let lines = state.denied[source.key] { plan.problem = .denied(lines) }
            plans.append(plan)
        }
        let context = RenderContext(renderer: state.renderer, reader: LiveReader(cluster: env.cluster), policies: state.policies,
                                    fleet: state.config.fleetName, force: state.config.force)
        let rendered = try await Concurrently.map(plans, limit: env.concurrency) { plan in try await context.render(plan) }
        for plan in rendered {
            scope.clusterPlans[plan.id] = plan
            if case .renderFailed = plan.problem { env.metrics.renderErrors(count: 1) }
            for v in plan.verdicts where v.denies { env.metrics.policyDenials(policy: v.policy, count: 1) }
        }
    }

    /// The Clusters a run renders.
    func clustersToRender(_ scope: SyncScope, _ state: RevisionState) -> Set<ClusterID> {
        switch scope.trigger {
        case .interval, .webhook:
            return Set(state.clusters.compactMap { id, o -> ClusterID? in
                let hash = state.hashes[o.key] ?? ""
                let applied = inventory?.entries[o.key]?.inputHash
                let record = records[id]
                if record?.sequencing == true { return id }
                if applied == hash && !hash.isEmpty { return nil }
                // A Cluster that failed with exactly these inputs fails again; the next change retries it.
                if record?.renderedHash == hash, record?.lastError != nil, scope.changedPaths.isEmpty { return nil }
                return id
            })
        case .live(let ids):
            return Set(ids.filter { state.clusters[$0] != nil && records[$0]?.sequencing == true })
        case .drift:
            return []  // drift runs go through `checkDrift` instead
        }
    }
}

/// What rendering a Cluster needs, shared by the concurrent renders of a run.
struct RenderContext: Sendable {
    let renderer: TopologyRenderer
    let reader: LiveReader
    let policies: PolicyEngine
    let fleet: String
    let force: Bool

    /// The most rounds of "render, read what it missed" before giving up. The prefetch reads the usual
    /// references up front; a render stops at the first object it misses, so odd topologies take a round per
    /// missing reference.
    static let maxRounds = 24

    /// Renders one Cluster with fresh live reads, admits the rendered objects and plans their apply.
    func render(_ plan: ClusterPlan) async throws -> ClusterPlan {
        var plan = plan
        guard plan.problem == nil else { return plan }
        plan.reads = LiveReads()
        try await reader.prefetch(cluster: plan.id, into: plan.reads)
        let render = try await renderRounds(plan.key, reads: plan.reads)
        plan.render = render
        if let error = render.errors.first {
            plan.problem = .renderFailed(error)
            return plan
        }
        // Admission as the API server would see the topology controller's writes: UPDATE against the live object.
        let reads = plan.reads
        plan.verdicts += policies.evaluate(render: render, derivedFrom: plan.source.location, live: { reads.known($0) }).verdicts
        let denials = plan.verdicts.filter(\.denies)
        if !denials.isEmpty {
            plan.problem = .denied(denials.map { "\($0.object): \(FleetReconciler.denialLine($0))" })
            return plan
        }
        plan.objects = ClusterObjects.planned(render: render, source: plan.source, fleet: fleet, force: force)
        return plan
    }

    /// Renders until the render asks for nothing it has not read.
    func renderRounds(_ key: ObjectKey, reads: LiveReads) async throws -> ClusterRender {
        var result = ClusterRender(cluster: key)
        for _ in 0..<Self.maxRounds {
            result = RoutedLive.$current.withValue(reads) { renderer.render(cluster: key) }
            let misses = reads.takeMisses()
            if misses.isEmpty { return result }
            try await reader.fetch(misses, into: reads)
        }
        return result
    }
}

/// Runs async work over a collection with bounded concurrency, keeping the input order. Each item yields first:
/// the embedded store answers without suspending, so without it a large sync would hold the concurrency pool's
/// threads and delay the daemon's HTTP handlers.
enum Concurrently {
    static func map<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var next = 0
            while next < items.count && next < limit {
                let i = next, item = items[i]
                group.addTask { await Task.yield(); return (i, try await body(item)) }
                next += 1
            }
            while let (i, r) = try await group.next() {
                results[i] = r
                if next < items.count {
                    let j = next, item = items[j]
                    group.addTask { await Task.yield(); return (j, try await body(item)) }
                    next += 1
                }
            }
        }
        return results.map { $0! }
    }
}
