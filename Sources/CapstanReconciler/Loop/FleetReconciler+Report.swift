import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanTopology
import Logging

extension FleetReconciler {
    /// Step 9: report. Folds the run into the per-Cluster records and the inventory (stored when it
    /// changed), decides the outcome, records metrics, and rebuilds the status summary the status commit is
    /// written from.
    func report(_ scope: inout SyncScope) async -> SyncReport {
        // A poll that found the processed revision changed nothing: the records, the inventory and the summary
        // stand as they are (this keeps a no-change poll cycle independent of the fleet's size).
        if scope.upToDate, scope.trigger.kind == .interval, scope.failure == nil, scope.observe.isEmpty, summary != nil {
            let duration = ContinuousClock.now - scope.started
            env.metrics.syncFinished(duration: duration, outcome: lastOutcome ?? .synced)
            log(scope, outcome: lastOutcome ?? .synced, duration: duration)
            return SyncReport(trigger: scope.trigger, revision: scope.revision, outcome: lastOutcome ?? .synced, results: [],
                              rendered: [], diagnostics: scope.state?.problems ?? [], filesParsed: 0, upToDate: true,
                              duration: duration, writes: writeCount.value)
        }
        let revision = scope.revision?.description
        for plan in scope.clusterPlans.values { record(plan, revision: revision) }
        if let state = scope.state, scope.failure == nil { recordUnchanged(state, scope) }
        var outcome = scope.failure ?? outcome(of: scope)
        if scope.failure == nil, var inventory, let state = scope.state, state.configValid {
            updateInventory(&inventory, scope, state)
            self.inventory = inventory
            // Only a change of what is applied is worth a write; the revision fields ride along with the next
            // one (a commit that touches nothing the fleet renders costs no write at all).
            if inventory.entries != storedInventory?.entries || storedInventory?.lastAppliedRevisionID == nil {
                do {
                    try await store(inventory)
                } catch {
                    outcome = SyncFailure.outcome(for: error)
                }
            }
        }
        let transient = { if case .transient = outcome { true } else { false } }()
        if !transient, scope.trigger.kind == .interval, let r = scope.revision {
            processedRevisionID = r.id
            if scope.state?.configValid == true && !scope.upToDate { env.metrics.appliedRevision(r) }
        }
        lastOutcome = outcome
        summary = summarize()
        let duration = ContinuousClock.now - scope.started
        if scope.trigger.kind != .live { env.metrics.syncFinished(duration: duration, outcome: outcome) }
        log(scope, outcome: outcome, duration: duration)
        return SyncReport(
            trigger: scope.trigger, revision: scope.revision, outcome: outcome, results: scope.results,
            rendered: scope.clusterPlans.keys.sorted(),
            diagnostics: (scope.state?.problems ?? []) + scope.clusterPlans.values.compactMap { p in
                p.problem.map { Diagnostic(.error, at: p.source.location, object: p.key.description, message: $0.message) }
            },
            filesParsed: scope.filesParsed, upToDate: scope.upToDate, duration: duration, writes: writeCount.value)
    }

    /// What happens next, from what the run found.
    func outcome(of scope: SyncScope) -> SyncOutcome {
        if let transient = scope.clusterPlans.values.first(where: { $0.problem?.isTransient == true }) {
            return .transient(reason: transient.problem!.message)
        }
        if scope.upToDate && scope.trigger.kind == .interval { return lastOutcome ?? .synced }
        if let state = scope.state, !state.configValid { return .stalled(reason: "the fleet configuration has errors") }
        var reasons: [String] = []
        if let state = scope.state {
            let errors = state.problems.filter { $0.severity == .error }
            if !errors.isEmpty { reasons.append("\(errors.count) problem\(errors.count == 1 ? "" : "s") in the revision") }
        }
        let failed = records.values.filter { $0.wanted && $0.lastError != nil }.count
        if failed > 0 { reasons.append("\(failed) Cluster\(failed == 1 ? "" : "s") not applied") }
        let conflicts = scope.gitResults.filter { if case .held = $0.change { true } else { false } }.count
        if conflicts > 0 { reasons.append("\(conflicts) object\(conflicts == 1 ? "" : "s") held") }
        if !reasons.isEmpty { return .stalled(reason: reasons.joined(separator: ", ")) }
        if records.values.contains(where: { $0.sequencing }) {
            return .waiting(retryAfter: .seconds(30), reason: "an upgrade is being sequenced")
        }
        return .synced
    }

    /// Folds one Cluster's run into its record.
    func record(_ plan: ClusterPlan, revision: String?) {
        var r = records[plan.id] ?? ClusterRecord(id: plan.id)
        r.renderedHash = plan.inputHash
        let (status, reason, _) = TopologyConditionText.condition(for: plan)
        r.sequencing = status == "False" && reason == TopologyCondition.upgrading
        r.heldDeletions = plan.heldDeletions.map { "\($0.key): \(Self.reason($0.change))" }
        r.renderWarnings = (plan.render?.warnings.map(\.description) ?? []) + plan.verdicts.filter { !$0.denies && $0.actions.contains(.warn) }.map(\.description)
        if let problem = plan.problem {
            switch problem {
            case .renderFailed(let d): r.lastError = d.description
            default: r.lastError = "\(plan.source.location): \(plan.key): \(problem.message)"
            }
        } else {
            r.lastError = nil
            r.upgrade = plan.render?.upgrade
            r.appliedRevision = revision
        }
        records[plan.id] = r
    }

    /// Clusters this run did not render keep their record; those whose inputs equal what was applied are
    /// at this revision's content.
    func recordUnchanged(_ state: RevisionState, _ scope: SyncScope) {
        for (id, o) in state.clusters where scope.clusterPlans[id] == nil {
            guard let hash = state.hashes[o.key], inventory?.entries[o.key]?.inputHash == hash else { continue }
            records[id]?.appliedRevision = state.revision.description
            records[id]?.lastError = nil
        }
    }

    /// The inventory after the run: applied objects with the hash they were applied with; Clusters applied
    /// only in part keep an empty hash so the next revision renders them again.
    func updateInventory(_ inventory: inout Inventory, _ scope: SyncScope, _ state: RevisionState) {
        for p in scope.gitPlans {
            guard let change = p.change, p.error == nil, state.denied[p.key] == nil else { continue }
            let result = scope.gitResults.first { $0.key == p.key }
            if case .held? = result?.change { continue }
            _ = change
            inventory.entries[p.key] = Inventory.Entry(key: p.key, apiVersion: p.object.apiVersion, inputHash: state.hashes[p.key] ?? "")
        }
        for plan in scope.clusterPlans.values where plan.problem == nil {
            let apiVersion = plan.objects.first { $0.order == ClusterObjects.gitPartOrder }?.object.apiVersion
                ?? inventory.entries[plan.key]?.apiVersion ?? plan.source.object.apiVersion
            inventory.entries[plan.key] = Inventory.Entry(key: plan.key, apiVersion: apiVersion, inputHash: plan.complete ? plan.inputHash : "")
        }
        guard scope.trigger.kind == .interval, let revision = scope.revision, !scope.upToDate else { return }
        inventory.lastAppliedRevision = revision.description
        inventory.lastAppliedRevisionID = revision.id
        if !scope.hasErrors { inventory.lastCompleteRevisionID = revision.id }
    }

    static func reason(_ change: ObjectChange) -> String {
        if case .held(let reason) = change { return reason }
        return change.description
    }

    func log(_ scope: SyncScope, outcome: SyncOutcome, duration: Duration) {
        let changed = scope.results.filter(\.change.wrote).count
        if scope.upToDate && scope.trigger.kind == .interval && changed == 0 {
            env.logger.debug("source unchanged", metadata: ["revision": "\(scope.revision?.description ?? "-")"])
            return
        }
        var metadata: Logger.Metadata = [
            "trigger": "\(scope.trigger)", "outcome": "\(outcome)", "changed": "\(changed)",
            "rendered": "\(scope.clusterPlans.count)", "duration_ms": "\(Int(duration.seconds * 1000))",
        ]
        if let r = scope.revision { metadata["revision"] = "\(r)" }
        if scope.filesParsed > 0 { metadata["files_parsed"] = "\(scope.filesParsed)" }
        switch outcome {
        case .synced, .waiting: env.logger.info("sync finished", metadata: metadata)
        case .stalled, .transient: env.logger.warning("sync finished", metadata: metadata)
        }
    }
}
