import CapstanCluster
import CapstanModel
import CapstanTopology

extension ApplyContext {
    /// Applies one Cluster: its Git part first (so its uid exists), a second render when the first one had
    /// to use the placeholder owner uid, then the rendered objects in topology order with the render's
    /// planned deletions in between, then the `TopologyReconciled` condition.
    func applyCluster(_ plan: ClusterPlan) async throws -> ClusterPlan {
        var plan = plan
        if let problem = plan.problem {
            plan.results = [ObjectResult(key: plan.key, apiVersion: plan.source.object.apiVersion, change: .held(reason: problem.message),
                                         cluster: plan.key, location: plan.source.location)]
            if !problem.isTransient { try? await writeCondition(plan) }
            return plan
        }
        do {
            var objects = plan.objects
            if let i = objects.firstIndex(where: { $0.order == ClusterObjects.gitPartOrder }) {
                let p = objects.remove(at: i)
                if p.change?.wrote == true { plan.reads.update(try await write(p)) }
                plan.results.append(result(p, p.change ?? .unchanged, cluster: plan.key))
            }
            if plan.needsSecondRender {
                let render = try await self.render.renderRounds(plan.key, reads: plan.reads)
                plan.render = render
                if let error = render.errors.first {
                    plan.problem = .renderFailed(error)
                    try? await writeCondition(plan)
                    return plan
                }
                var second = plan
                second.objects = ClusterObjects.planned(render: render, source: plan.source, fleet: self.render.fleet, force: self.render.force, includeGitPart: false)
                second = try await ObjectDiff.diff(second, in: cluster)
                if let problem = second.problem {
                    plan.problem = problem
                    return plan
                }
                objects = second.objects
            }
            let deletions = (plan.render?.deletions ?? []).sorted { $0.applyOrder < $1.applyOrder }
            var next = 0
            for p in objects {
                while next < deletions.count && deletions[next].applyOrder < p.order {
                    plan = try await delete(deletions[next], in: plan)
                    next += 1
                }
                let change = p.change ?? .update
                if change.wrote { plan.reads.update(try await write(p)) }
                plan.results.append(result(p, change, cluster: plan.key))
            }
            while next < deletions.count {
                plan = try await delete(deletions[next], in: plan)
                next += 1
            }
            try await writeCondition(plan)
        } catch let e as ClusterError where !ObjectDiff.isTransient(e) {
            plan.problem = .applyFailed(e.description)
            try? await writeCondition(plan)
        }
        return plan
    }

    /// A deletion the render planned (a removed worker topology, a rotated control-plane template, a health
    /// check switched off), or held when the revision has errors.
    private func delete(_ d: PlannedDeletion, in plan: ClusterPlan) async throws -> ClusterPlan {
        var plan = plan
        let base = ObjectResult(key: d.key, apiVersion: d.apiVersion, change: .delete, cluster: plan.key, location: plan.source.location)
        guard allowDeletes else {
            var held = base
            held.change = .held(reason: "\(d.reason); the revision has errors, so nothing is deleted")
            plan.heldDeletions.append(held)
            plan.results.append(held)
            return plan
        }
        try await delete(apiVersion: d.apiVersion, key: d.key)
        plan.reads.remove(d.key)
        plan.results.append(base)
        return plan
    }

    /// Sets `TopologyReconciled` on the Cluster (status subresource, `capstan-topology`), keeping the
    /// transition time while the status stays the same; writes nothing when nothing changed.
    func writeCondition(_ plan: ClusterPlan) async throws {
        var found = plan.reads.known(plan.key)
        if found == nil { found = try await cluster.get(LiveReader.gvk(group: plan.key.group, kind: "Cluster"), namespace: plan.key.namespace, name: plan.key.name) }
        guard let live = found else { return }
        let (status, reason, message) = TopologyConditionText.condition(for: plan)
        let existing = live.body[path: ["status", "conditions"]]?.listValue?.first { $0["type"]?.stringValue == TopologyCondition.type }
        if existing?["status"]?.stringValue == status, existing?["reason"]?.stringValue == reason, existing?["message"]?.stringValue == message { return }
        let time = existing?["status"]?.stringValue == status ? (existing?["lastTransitionTime"]?.stringValue ?? clock.now().description) : clock.now().description
        var condition: ObjectMap = [
            "type": .string(TopologyCondition.type), "status": .string(status), "reason": .string(reason),
            "message": .string(message), "lastTransitionTime": .string(time),
        ]
        if let g = live.generation { condition["observedGeneration"] = .int(g) }
        var o = KubeObject(apiVersion: live.apiVersion, kind: "Cluster", namespace: plan.key.namespace, name: plan.key.name)
        o.body["status"] = .map(["conditions": .list([.map(condition)])])
        let stored = try await cluster.apply(o, fieldManager: Vocabulary.topologyManager, options: ApplyOptions(force: true, subresource: .status))
        counted()
        plan.reads.update(stored)
    }
}

/// The `TopologyReconciled` condition a plan leads to, with upstream's message shapes.
enum TopologyConditionText {
    static func condition(for plan: ClusterPlan) -> (status: String, reason: String, message: String) {
        if let problem = plan.problem { return ("False", TopologyCondition.failed, problem.message) }
        guard let render = plan.render else { return ("True", TopologyCondition.succeeded, "") }
        let u = render.upgrade
        let heldByHint = plan.results.contains { if case .held = $0.change { true } else { false } }
        guard u.isUpgrading || heldByHint || !u.pendingCreate.isEmpty || !u.pendingUpgrade.isEmpty || !u.upgrading.isEmpty
            || u.controlPlanePendingUpgrade || u.controlPlaneStartingUpgrade else {
            return ("True", TopologyCondition.succeeded, "")
        }
        let version = plan.source.object.body[path: ["spec", "topology", "version"]]?.stringValue ?? ""
        var lines = ["Cluster is upgrading to \(version.hasPrefix("v") || version.isEmpty ? version : "v" + version)"]
        if u.controlPlaneStartingUpgrade, let v = u.controlPlaneVersion {
            lines.append("  * control plane upgrading to version \(v)")
        } else if !u.controlPlaneUpgradePlan.isEmpty {
            lines.append("  * control plane pending upgrade to version \(u.controlPlaneUpgradePlan.joined(separator: ", "))")
        }
        if !u.upgrading.isEmpty { lines.append("  * \(names(u.upgrading)) upgrading") }
        if !u.pendingUpgrade.isEmpty && !u.workersUpgradePlan.isEmpty {
            lines.append("  * \(names(u.pendingUpgrade)) pending upgrade to version \(u.workersUpgradePlan.joined(separator: ", "))")
        }
        if !u.pendingCreate.isEmpty { lines.append("  * \(names(u.pendingCreate)) creation deferred while control plane upgrade is in progress") }
        return ("False", TopologyCondition.upgrading, lines.joined(separator: "\n"))
    }

    static func names(_ n: [String]) -> String { (n.count == 1 ? "MachineDeployment " : "MachineDeployments ") + n.joined(separator: ", ") }
}
