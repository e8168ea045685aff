import CapstanCluster
import CapstanFleet
import CapstanModel

extension FleetReconciler {
    /// Step 5: diff. Every planned object is applied as a server-side apply dry run with its field manager;
    /// comparing the result with the live object tells create, update or unchanged for exactly the fields
    /// Capstan owns. Git objects are planned here (those whose inputs changed, in apply phases); a denied one
    /// is held. A conflict with another field manager is the object's error.
    func diff(_ scope: inout SyncScope) async throws {
        guard let state = scope.state, state.configValid else { return }
        if case .live = scope.trigger {} else {
            scope.gitPlans = gitObjectsToApply(scope, state).map { o in
                PlannedObject(object: ClusterObjects.labelled(o.object, fleet: state.config.fleetName, source: o),
                              manager: Vocabulary.gitManager, force: state.config.force,
                              order: ApplyPhase.of(o.key, classTemplates: state.classTemplates).rawValue, location: o.location)
            }
        }
        let cluster = env.cluster
        scope.gitPlans = try await Concurrently.map(scope.gitPlans, limit: env.concurrency * 2) { p in
            var p = p
            if state.denied[p.key] != nil { return p }
            do {
                p.live = try await cluster.get(LiveReader.gvk(group: p.key.group, kind: p.key.kind), namespace: p.key.namespace, name: p.key.name)
                (p.change, p.dryRun) = try await ObjectDiff.change(of: p, in: cluster)
            } catch let e as ClusterError where !ObjectDiff.isTransient(e) {
                p.error = e.description
            }
            return p
        }
        let plans = Array(scope.clusterPlans.values)
        let diffed = try await Concurrently.map(plans, limit: env.concurrency) { plan in try await ObjectDiff.diff(plan, in: cluster) }
        for plan in diffed { scope.clusterPlans[plan.id] = plan }
    }

    /// Git objects whose inputs changed since they were applied.
    func gitObjectsToApply(_ scope: SyncScope, _ state: RevisionState) -> [FleetObject] {
        state.gitObjects.filter { o in
            inventory?.entries[o.key]?.inputHash != state.hashes[o.key] || (state.hashes[o.key] ?? "").isEmpty
        }.enumerated().sorted { a, b in
            let pa = ApplyPhase.of(a.element.key, classTemplates: state.classTemplates), pb = ApplyPhase.of(b.element.key, classTemplates: state.classTemplates)
            return (pa.rawValue, a.offset) < (pb.rawValue, b.offset)
        }.map(\.element)
    }
}

/// The dry-run diff of planned objects.
enum ObjectDiff {
    /// Diffs every object of a Cluster plan. A render with the placeholder owner uid is not diffed beyond
    /// the Cluster itself: its objects are rendered again once the Cluster exists.
    static func diff(_ plan: ClusterPlan, in cluster: any ManagementCluster) async throws -> ClusterPlan {
        var plan = plan
        guard plan.problem == nil else { return plan }
        let placeholder = plan.needsSecondRender
        do {
            for i in plan.objects.indices {
                var p = plan.objects[i]
                switch plan.reads.lookup(p.key) {
                case .present(let o): p.live = o
                case .absent: p.live = nil
                case .unknown: p.live = try await cluster.get(LiveReader.gvk(group: p.key.group, kind: p.key.kind), namespace: p.key.namespace, name: p.key.name)
                }
                if let held = heldByHint(p) {
                    p.change = held
                } else if placeholder && p.manager == Vocabulary.topologyManager && p.live == nil {
                    p.change = .create
                } else {
                    (p.change, p.dryRun) = try await change(of: p, in: cluster)
                }
                plan.objects[i] = p
            }
        } catch let e as ClusterError where !isTransient(e) {
            plan.problem = .applyFailed(e.description)
        }
        return plan
    }

    /// A change the renderer's hints forbid this pass.
    static func heldByHint(_ p: PlannedObject) -> ObjectChange? {
        if p.hints.contains(.pendingCreate) && p.live == nil {
            return .held(reason: "creation deferred while the control plane upgrades")
        }
        if p.hints.contains(.pendingUpgrade) && p.live != nil {
            return .held(reason: "upgrade pending: waits for its turn in the upgrade sequence")
        }
        return nil
    }

    /// create, update or unchanged, by a server-side apply dry run.
    static func change(of p: PlannedObject, in cluster: any ManagementCluster) async throws -> (ObjectChange, KubeObject) {
        let result = try await cluster.dryRunApply(p.object, fieldManager: p.manager, force: p.force)
        guard let live = p.live else { return (.create, result) }
        return (result.body == live.body ? .unchanged : .update, result)
    }

    static func isTransient(_ e: ClusterError) -> Bool {
        switch e {
        case .storage, .watchClosed, .gone: true
        default: false
        }
    }
}
