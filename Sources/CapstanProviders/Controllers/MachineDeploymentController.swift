import CapstanCluster
import CapstanModel

/// The MachineDeployment controller (`capi-machinedeployment`): rolls machines out through MachineSets, one
/// per machine-template identity (named `<deployment>-<template hash>`), with the RollingUpdate strategy
/// (`maxSurge`/`maxUnavailable`, absolute or percent) or OnDelete; keeps revision annotations; propagates
/// metadata and in-place fields to every MachineSet; deletes old MachineSets once empty; reports status.
struct MachineDeploymentController: Reconciler {
    let name = "capi-machinedeployment"
    var primary: KindSelector { .kind(CAPI.Kind.machineDeployment) }

    var watches: [Watch] {
        [
            Watch.owners(.kind(CAPI.Kind.machineSet), ownerKind: CAPI.Kind.machineDeployment),
            // Machine availability drives the rollout: map a machine to its MachineSet's deployment.
            Watch(source: .kind(CAPI.Kind.machine)) { e, cache in
                guard let md = e.object.labels[CAPI.Label.machineDeploymentName] ?? e.previous?.labels[CAPI.Label.machineDeploymentName] else { return [] }
                if let prev = e.previous, e.type == .modified, Self.rolloutFacts(prev) == Self.rolloutFacts(e.object) { return [] }
                return [ObjectKey(group: CAPI.group, kind: "MachineDeployment", namespace: e.object.namespace, name: md)]
            },
        ]
    }

    /// The machine facts a rollout depends on (so other machine changes do not wake the deployment).
    static func rolloutFacts(_ m: KubeObject) -> [Value?] {
        [.bool(m.isDeleting), .bool(Conditions.isTrue(m, ConditionType.ready)), .bool(Conditions.isTrue(m, ConditionType.available)),
         .bool(Conditions.isTrue(m, ConditionType.upToDate)), m.body[path: ["spec", "version"]]]
    }

    /// The hash of a deployment's current machine template (including a passed `spec.rollout.after`).
    static func currentHash(_ md: KubeObject, now: Moment) -> String {
        MachineTemplate.hash(md.body[path: ["spec", "template", "spec"]], rolloutAfter: passedRolloutAfter(md, now: now))
    }

    static func passedRolloutAfter(_ md: KubeObject, now: Moment) -> String? {
        guard let after = md.string("spec", "rollout", "after"), let ts = Timestamp(rfc3339: after), Moment(ts) <= now else { return nil }
        return after
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var md = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let cluster = ctx.cluster(md.clusterID)
        let sets = ctx.cache.owned(CAPI.Kind.machineSet.groupKind, by: md.uid ?? "").filter { $0.controllerRef?.uid == md.uid }
        if md.isDeleting { return try await reconcileDelete(md, sets: sets, ctx) }
        if CAPI.isPaused(md, cluster: cluster) {
            try await ctx.writeStatus(md, conditions: [Summary.paused(true)])
            return .done
        }
        let clusterName = md.string("spec", "clusterName") ?? ""
        guard let updated = try await ctx.ensureMetadata(md, finalizer: CAPI.Finalizer.machineDeployment, cluster: clusterName,
                                                          owner: cluster.map(OwnerReference.owner)) else { return .done }
        md = updated

        let desired = Int(md.int("spec", "replicas") ?? 1)
        let hash = Self.currentHash(md, now: ctx.now)
        var result = ReconcileResult.done
        if let after = md.string("spec", "rollout", "after"), let ts = Timestamp(rfc3339: after), Moment(ts) > ctx.now {
            result = .requeue(after: Moment(ts).since(ctx.now))
        }
        var live = sets.filter { !$0.isDeleting }
        let maxRevision = live.compactMap { Int($0.annotations[CAPI.Annotation.revision] ?? "") }.max() ?? 0

        // The MachineSet for the current template.
        var newMS = live.first { $0.labels[CAPI.Label.machineTemplateHash] == hash }
        if newMS == nil {
            let oldMachines = live.reduce(0) { $0 + activeMachines($1, ctx).count }
            let initial = oldMachines == 0 && live.allSatisfy({ ($0.int("spec", "replicas") ?? 0) == 0 }) ? desired : 0
            let ms = desiredMachineSet(md, hash: hash, replicas: initial, revision: maxRevision + 1)
            let (created, _) = try await ctx.client.createIfAbsent(ms)
            guard created.controllerRef?.uid == md.uid, !created.isDeleting else {
                // A MachineSet with this name belongs to someone else or is going away: wait for it.
                return .requeue(after: .seconds(5))
            }
            newMS = created
            live.append(created)
        }
        guard var current = newMS else { return .done }
        let old = live.filter { $0.key != current.key }.sorted { ($0.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", $0.name) < ($1.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", $1.name) }

        // Replica targets.
        let strategy = md.string("spec", "rollout", "strategy", "type") ?? "RollingUpdate"
        let surge = IntOrPercent(md.body[path: ["spec", "rollout", "strategy", "rollingUpdate", "maxSurge"]]) ?? .count(1)
        let unavailable = IntOrPercent(md.body[path: ["spec", "rollout", "strategy", "rollingUpdate", "maxUnavailable"]]) ?? .count(0)
        var plan = RolloutPlan(desired: desired, maxSurge: surge.scaled(desired, roundUp: true), maxUnavailable: unavailable.scaled(desired, roundUp: false))
        plan.newSet = RolloutPlan.Set(key: current.key, replicas: Int(current.int("spec", "replicas") ?? 0), machines: activeMachines(current, ctx))
        plan.oldSets = old.map { RolloutPlan.Set(key: $0.key, replicas: Int($0.int("spec", "replicas") ?? 0), machines: activeMachines($0, ctx)) }
        if strategy == "OnDelete" { plan.planOnDelete() } else { plan.planRollingUpdate() }

        // Write MachineSets: template metadata, in-place fields and replicas.
        let revision = current.annotations[CAPI.Annotation.revision].flatMap(Int.init) ?? 0
        let newRevision = revision >= maxRevision ? revision : maxRevision + 1
        for ms in live {
            let replicas = ms.key == current.key ? plan.newSet.replicas : plan.oldSets.first { $0.key == ms.key }?.replicas ?? 0
            let want = desiredMachineSet(md, hash: ms.labels[CAPI.Label.machineTemplateHash] ?? hash, replicas: replicas,
                                         revision: ms.key == current.key ? newRevision : Int(ms.annotations[CAPI.Annotation.revision] ?? "") ?? 0,
                                         maxReplicas: desired + plan.maxSurge)
            let written = try await ctx.client.update(ms) { o in
                o.body[path: ["spec", "replicas"]] = want.body[path: ["spec", "replicas"]]
                o.body[path: ["spec", "clusterName"]] = want.body[path: ["spec", "clusterName"]]
                o.body[path: ["spec", "template", "metadata"]] = want.body[path: ["spec", "template", "metadata"]]
                for f in MachineTemplate.inPlaceSpecFields {
                    o.body[path: ["spec", "template", "spec", f]] = md.body[path: ["spec", "template", "spec", f]]
                }
                o.body[path: ["spec", "deletion"]] = md.body[path: ["spec", "deletion"]]
                o.labels = OwnedKeys.merge(current: o.labels, desired: want.labels, owned: OwnedKeys.keys(o, manager: name, field: "labels"))
                o.annotations = OwnedKeys.merge(current: o.annotations, desired: want.annotations, owned: OwnedKeys.keys(o, manager: name, field: "annotations"))
            }
            if ms.key == current.key, let written { current = written }
        }

        // Old MachineSets with no replicas and no machines go away.
        for ms in old where plan.oldSets.first(where: { $0.key == ms.key })?.replicas == 0 {
            if ctx.cache.owned(CAPI.Kind.machine.groupKind, by: ms.uid ?? "").isEmpty { try await ctx.client.delete(ms) }
        }

        if md.annotations[CAPI.Annotation.revision] != String(newRevision) {
            md = try await ctx.client.update(md) { $0.annotations[CAPI.Annotation.revision] = String(newRevision) } ?? md
        }
        try await writeStatus(md, plan: plan, current: current, sets: live, ctx)
        return result
    }

    /// Non-deleting machines a MachineSet controls.
    private func activeMachines(_ ms: KubeObject, _ ctx: ReconcileContext) -> [KubeObject] {
        ctx.cache.owned(CAPI.Kind.machine.groupKind, by: ms.uid ?? "").filter { !$0.isDeleting && $0.controllerRef?.uid == ms.uid }
    }

    /// The MachineSet a deployment wants for a template hash.
    private func desiredMachineSet(_ md: KubeObject, hash: String, replicas: Int, revision: Int, maxReplicas: Int? = nil) -> KubeObject {
        var ms = KubeObject(apiVersion: CAPI.Kind.machineSet.apiVersion, kind: "MachineSet", namespace: md.namespace, name: Self.machineSetName(md.name, hash))
        let clusterName = md.string("spec", "clusterName") ?? ""
        var templateMeta = md.body[path: ["spec", "template", "metadata"]] ?? .map([:])
        var templateLabels = KubeObject(.map(["metadata": templateMeta])).labels
        templateLabels[CAPI.Label.machineTemplateHash] = hash
        templateLabels[CAPI.Label.clusterName] = clusterName
        templateLabels[CAPI.Label.machineDeploymentName] = MachineTemplate.labelValue(md.name)
        templateMeta["labels"] = .map(ObjectMap(templateLabels.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) }))
        var labels = templateLabels
        labels[CAPI.Label.machineDeploymentName] = MachineTemplate.labelValue(md.name)
        ms.labels = labels
        var annotations = KubeObject(.map(["metadata": md.body[path: ["spec", "template", "metadata"]] ?? .map([:])])).annotations
        annotations[CAPI.Annotation.revision] = String(revision)
        annotations[CAPI.Annotation.desiredReplicas] = String(md.int("spec", "replicas") ?? 1)
        if let maxReplicas { annotations[CAPI.Annotation.maxReplicas] = String(maxReplicas) }
        ms.annotations = annotations
        ms.ownerReferences = [.controller(md)]
        var selector = md.body[path: ["spec", "selector"]] ?? .map([:])
        var matchLabels = selector["matchLabels"]?.mapValue ?? [:]
        matchLabels[CAPI.Label.machineTemplateHash] = .string(hash)
        selector["matchLabels"] = .map(matchLabels)
        ms.spec = .map([
            "clusterName": .string(clusterName), "replicas": .int(Int64(replicas)), "selector": selector,
            "template": .map(["metadata": templateMeta, "spec": md.body[path: ["spec", "template", "spec"]] ?? .map([:])]),
        ])
        if let deletion = md.body[path: ["spec", "deletion"]] { ms.body[path: ["spec", "deletion"]] = deletion }
        return ms
    }

    /// `<deployment>-<hash>`, shortened so the name stays a valid label value (`cluster.x-k8s.io/set-name`).
    static func machineSetName(_ md: String, _ hash: String) -> String {
        let room = 63 - hash.count - 1
        return (md.count > room ? String(md.prefix(room)) : md) + "-" + hash
    }

    private func writeStatus(_ md: KubeObject, plan: RolloutPlan, current: KubeObject, sets: [KubeObject], _ ctx: ReconcileContext) async throws {
        let all = ([plan.newSet] + plan.oldSets).flatMap(\.machines)
        var counts = ReplicaCounts(all)
        counts.upToDate = plan.newSet.machines.count
        let desired = plan.desired
        let minAvailable = max(0, desired - plan.maxUnavailable)
        let available = counts.available >= minAvailable
        let notUpToDate = plan.oldSets.flatMap(\.machines)
        let specTotal = plan.newSet.replicas + plan.oldSets.reduce(0) { $0 + $1.replicas }
        var conditions = [
            Condition(ConditionType.available, available, reason: available ? ConditionReason.available : ConditionReason.notAvailable,
                      message: available ? "" : "\(counts.available) available replicas, at least \(minAvailable) required (spec.rollout.strategy.rollingUpdate.maxUnavailable is \(plan.maxUnavailable), spec.replicas is \(desired))"),
            Summary.machinesReady(ConditionType.machinesReady, all),
            Condition(ConditionType.machinesUpToDate, notUpToDate.isEmpty, reason: notUpToDate.isEmpty ? (all.isEmpty ? ConditionReason.noReplicas : ConditionReason.upToDate) : ConditionReason.notUpToDate,
                      message: notUpToDate.isEmpty ? "" : Summary.listMessage(notUpToDate, "not up-to-date")),
            Condition(ConditionType.rollingOut, !notUpToDate.isEmpty, reason: notUpToDate.isEmpty ? ConditionReason.notRollingOut : ConditionReason.rollingOut,
                      message: notUpToDate.isEmpty ? "" : "Rolling out \(notUpToDate.count) not up-to-date replicas"),
            Condition(ConditionType.scalingUp, all.count < desired, reason: all.count < desired ? ConditionReason.scalingUp : ConditionReason.notScalingUp,
                      message: all.count < desired ? "Scaling up from \(all.count) to \(desired) replicas" : ""),
            Condition(ConditionType.scalingDown, specTotal > desired || all.count > desired,
                      reason: specTotal > desired || all.count > desired ? ConditionReason.scalingDown : ConditionReason.notScalingDown,
                      message: all.count > desired ? "Scaling down from \(all.count) to \(desired) replicas" : ""),
            Summary.remediating(all), Summary.notDeleting, Summary.paused(false),
        ]
        if all.isEmpty && desired == 0 { conditions[1] = Condition(ConditionType.machinesReady, .true, reason: ConditionReason.noReplicas) }
        let phase = all.count < desired ? "ScalingUp" : (all.count > desired ? "ScalingDown" : "Running")
        let selector = (try? LabelSelector(value: md.body[path: ["spec", "selector"]] ?? .map([:])))?.description ?? ""
        try await ctx.writeStatus(md, conditions: conditions) { status in
            counts.write(into: &status)
            status["selector"] = .string(selector)
            status["phase"] = .string(phase)
            status["versions"] = MachineState.versions(all)
        }
    }

    private func reconcileDelete(_ md: KubeObject, sets: [KubeObject], _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard md.finalizers.contains(CAPI.Finalizer.machineDeployment) else { return .done }
        for ms in sets where !ms.isDeleting { try await ctx.client.delete(ms) }
        if !ctx.cache.owned(CAPI.Kind.machineSet.groupKind, by: md.uid ?? "").isEmpty {
            try await ctx.writeStatus(md, conditions: [Condition(ConditionType.deleting, .true, reason: ConditionReason.deleting,
                                                                 message: "* Deleting \(sets.count) MachineSet\(sets.count == 1 ? "" : "s")")])
            return .done
        }
        try await ctx.removeFinalizer(md, CAPI.Finalizer.machineDeployment)
        return .done
    }
}
