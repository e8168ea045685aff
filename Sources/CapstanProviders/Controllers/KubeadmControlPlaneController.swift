import CapstanCluster
import CapstanModel

/// The kubeadm-style control plane provider (`capi-kubeadmcontrolplane`): creates the cluster certificates,
/// then control-plane machines one at a time (the first with kubeadm `init`, the rest `join`), each with a
/// KubeadmConfig and an infrastructure machine cloned from `spec.machineTemplate.spec.infrastructureRef`.
///
/// Changes roll out one machine at a time — scale up to `replicas + maxSurge`, wait until stable, delete the
/// oldest outdated machine — or, for a single-replica control plane whose only change is the version, in
/// place. A version more than one minor ahead is reached through every intermediate minor (a chained
/// upgrade): the machines move to the next step only when all run the previous one, and `status.version`
/// reports each step.
struct KubeadmControlPlaneController: Reconciler {
    let name = "capi-kubeadmcontrolplane"
    var primary: KindSelector { .kind(CAPI.Kind.kubeadmControlPlane) }

    var watches: [Watch] {
        [
            Watch.owners(.kind(CAPI.Kind.machine), ownerKind: CAPI.Kind.kubeadmControlPlane),
            Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
                guard let ref = ContractRef(e.object.body[path: ["spec", "controlPlaneRef"]]), ref.kind == "KubeadmControlPlane",
                      e.previous.map(Self.clusterFacts) != Self.clusterFacts(e.object) else { return [] }
                return [ref.key(namespace: e.object.namespace)]
            },
            // Worker machines going away unblock a deleting control plane.
            Watch(source: .kind(CAPI.Kind.machine)) { e, cache in
                guard e.type == .deleted, !MachineState.isControlPlane(e.object), let id = e.object.clusterID else { return [] }
                return cache.list(CAPI.Kind.kubeadmControlPlane.groupKind, cluster: id).filter(\.isDeleting).map(\.key)
            },
        ]
    }

    static func clusterFacts(_ c: KubeObject) -> String {
        "\(c.bool("status", "initialization", "infrastructureProvisioned") ?? false)|\(c.string("spec", "controlPlaneEndpoint", "host") ?? "")|\(CAPI.isPaused(c, cluster: nil))|\(c.uid ?? "")"
    }

    /// What one reconcile computed, for the status.
    struct Observation {
        var machines: [KubeObject] = []
        var initialized = false
        var target = ""
        var step = ""
        var plan: [KubeVersion] = []
        var scaling = (up: "", down: "")
        var waiting = ""
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var kcp = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let clusterName = kcp.owner(kind: "Cluster")?.name ?? kcp.labels[CAPI.Label.clusterName]
        let cluster = clusterName.flatMap { ctx.cache.get(CAPI.Kind.cluster.groupKind, namespace: kcp.namespace, name: $0) }
        let all = ctx.cache.owned(CAPI.Kind.machine.groupKind, by: kcp.uid ?? "").filter { $0.controllerRef?.uid == kcp.uid }
        if kcp.isDeleting { return try await reconcileDelete(kcp, cluster: cluster, machines: all, ctx) }
        guard let cluster else {
            try await ctx.writeStatus(kcp, conditions: [Condition(ConditionType.available, .false, reason: ConditionReason.notAvailable,
                                                                  message: "Waiting for the Cluster controller to set the Cluster owner reference")])
            return .done
        }
        if CAPI.isPaused(kcp, cluster: cluster) {
            try await ctx.writeStatus(kcp, conditions: [Summary.paused(true)])
            return .done
        }
        guard let updated = try await ctx.ensureMetadata(kcp, finalizer: CAPI.Finalizer.kubeadmControlPlane, cluster: cluster.name) else { return .done }
        kcp = updated

        if !Conditions.isTrue(kcp, ConditionType.certificatesAvailable) {
            try await ClusterSecrets.ensureCertificates(ClusterSecrets.certificatePurposes, cluster: cluster, owner: kcp, ctx)
        }
        var obs = Observation()
        obs.machines = all
        let active = all.filter { !$0.isDeleting }
        obs.initialized = kcp.bool("status", "initialization", "controlPlaneInitialized") == true || active.contains(where: MachineState.hasNode)
        obs.target = kcp.string("spec", "version") ?? ""
        let known = (kcp.annotations[CAPI.Annotation.kubernetesVersions] ?? "").split(separator: ",").compactMap { KubeVersion(String($0)) }
        if let target = KubeVersion(obs.target) {
            let lowest = active.compactMap { KubeVersion(MachineState.effectiveVersion($0)) }.min() ?? target
            obs.plan = KubeVersion.upgradePlan(from: lowest, to: target, known: known)
            obs.step = obs.plan.first?.description ?? obs.target
        } else {
            obs.step = obs.target
        }

        let desired = Int(kcp.int("spec", "replicas") ?? 1)
        let configHash = Self.configHash(kcp)
        let template = ContractRef(kcp.body[path: ["spec", "machineTemplate", "spec", "infrastructureRef"]])
        if let template { ctx.track(GroupVersionKind(group: template.group, version: template.gvk.version, kind: MachineFactory.clonedKind(template.kind)), as: .infrastructureMachine) }

        for m in active {
            if let r = recipe(kcp, cluster: cluster, version: MachineState.version(m), join: obs.initialized || active.count > 1) {
                try await MachineFactory.repair(m, r, ctx)
            }
        }

        let result = try await decide(kcp, cluster: cluster, active: active, desired: desired, configHash: configHash, template: template, obs: &obs, ctx)
        try await markUpToDate(active, kcp: kcp, configHash: configHash, template: template, ctx)
        let refreshed = ctx.cache.owned(CAPI.Kind.machine.groupKind, by: kcp.uid ?? "").filter { $0.controllerRef?.uid == kcp.uid }
        obs.machines = refreshed
        try await writeStatus(kcp, cluster: cluster, obs: obs, desired: desired, configHash: configHash, template: template, ctx)
        return result
    }

    // MARK: Decisions

    /// One action per reconcile, as upstream: create, update in place, or delete one machine, or wait.
    private func decide(
        _ kcp: KubeObject, cluster: KubeObject, active: [KubeObject], desired: Int, configHash: String, template: ContractRef?,
        obs: inout Observation, _ ctx: ReconcileContext
    ) async throws -> ReconcileResult {
        // Remediation of machines a MachineHealthCheck marked.
        if let sick = active.first(where: { MachineState.needsRemediation($0) && $0.annotations[CAPI.Annotation.skipRemediation] == nil }) {
            let healthyAfter = active.filter { $0.key != sick.key && MachineState.isReady($0) }.count
            let allowed = active.count == 1 ? !obs.initialized : healthyAfter >= (active.count - 1) / 2 + 1
            if allowed {
                try await ctx.client.delete(sick)
                try await ctx.writeStatus(kcp, conditions: []) { status in
                    status["lastRemediation"] = .map(["machine": .string(sick.name), "time": .string(ctx.now.description),
                                                      "retryCount": .int((status[path: ["lastRemediation", "retryCount"]]?.intValue ?? -1) + 1)])
                }
                return .done
            }
            obs.waiting = "Machine \(sick.name) cannot be remediated without losing etcd quorum"
        }
        if obs.machines.contains(where: \.isDeleting) {
            obs.waiting = "Waiting for \(obs.machines.filter(\.isDeleting).count) machine(s) to be deleted"
            return .done
        }
        guard let template else {
            obs.waiting = "spec.machineTemplate.spec.infrastructureRef is not set"
            return .done
        }
        if active.isEmpty {
            guard desired > 0 else { return .done }
            guard cluster.bool("status", "initialization", "infrastructureProvisioned") == true else {
                obs.waiting = "Waiting for Cluster infrastructure to be provisioned"
                return .done
            }
            guard let host = cluster.string("spec", "controlPlaneEndpoint", "host"), !host.isEmpty else {
                obs.waiting = "Waiting for Cluster spec.controlPlaneEndpoint"
                return .done
            }
            guard let r = recipe(kcp, cluster: cluster, version: obs.target, join: false) else { return .done }
            _ = try await MachineFactory.create(r, ctx)
            obs.scaling.up = "Scaling up from 0 to \(desired) replicas"
            return .done
        }
        guard obs.initialized else {
            obs.waiting = "Waiting for the first control plane machine to initialize the control plane"
            return .done
        }
        let stable = active.allSatisfy { MachineState.isReady($0) && $0.annotations[CAPI.Annotation.updateInProgress] == nil }
        let outdated = active.filter { outdatedForStep($0, step: obs.step, configHash: configHash, template: template, ctx) }
        let surge = max(0, min(1, IntOrPercent(kcp.body[path: ["spec", "rollout", "strategy", "rollingUpdate", "maxSurge"]])?.scaled(desired, roundUp: true) ?? 1))

        if !outdated.isEmpty {
            if let m = outdated.first, ctx.config.inPlaceSingleNodeControlPlaneUpgrades, desired == 1, active.count == 1,
               sameExceptVersion(m, configHash: configHash, template: template, ctx) {
                if m.annotations[CAPI.Annotation.updateInProgress] == nil || MachineState.version(m) != obs.step {
                    try await ctx.client.update(m) { o in
                        o.body[path: ["spec", "version"]] = .string(obs.step)
                        o.annotations[CAPI.Annotation.updateInProgress] = ""
                    }
                }
                obs.waiting = "Updating Machine \(m.name) in place to \(obs.step)"
                return .done
            }
            guard stable else {
                obs.waiting = "Waiting for control plane machines to be ready before rolling out"
                return .done
            }
            if active.count < desired + surge {
                guard let r = recipe(kcp, cluster: cluster, version: obs.step, join: true) else { return .done }
                _ = try await MachineFactory.create(r, ctx)
                obs.scaling.up = "Scaling up from \(active.count) to \(active.count + 1) replicas to roll out \(obs.step)"
            } else {
                let victim = outdated.sorted(by: Self.olderFirst)[0]
                try await ctx.client.delete(victim)
                obs.scaling.down = "Scaling down from \(active.count) to \(active.count - 1) replicas (rolling out \(obs.step))"
            }
            return .done
        }
        if active.count < desired {
            guard stable else { obs.waiting = "Waiting for control plane machines to be ready before scaling up"; return .done }
            guard let r = recipe(kcp, cluster: cluster, version: obs.step, join: true) else { return .done }
            _ = try await MachineFactory.create(r, ctx)
            obs.scaling.up = "Scaling up from \(active.count) to \(desired) replicas"
        } else if active.count > desired {
            guard stable else { obs.waiting = "Waiting for control plane machines to be ready before scaling down"; return .done }
            let victim = active.sorted { a, b in
                let ra = MachineState.isReady(a), rb = MachineState.isReady(b)
                return ra != rb ? !ra : Self.olderFirst(a, b)
            }
            try await ctx.client.delete(victim[0])
            obs.scaling.down = "Scaling down from \(active.count) to \(desired) replicas"
        }
        return .done
    }

    static func olderFirst(_ a: KubeObject, _ b: KubeObject) -> Bool {
        let ca = a.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", cb = b.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        return (ca, a.name) < (cb, b.name)
    }

    /// Whether a machine must be replaced (or updated) to reach the current upgrade step.
    private func outdatedForStep(_ m: KubeObject, step: String, configHash: String, template: ContractRef, _ ctx: ReconcileContext) -> Bool {
        MachineState.version(m) != step || !sameExceptVersion(m, configHash: configHash, template: template, ctx)
    }

    /// Whether a machine matches everything but the version: the infrastructure template it was cloned from
    /// and the kubeadm configuration.
    private func sameExceptVersion(_ m: KubeObject, configHash: String, template: ContractRef, _ ctx: ReconcileContext) -> Bool {
        if m.annotations[CAPI.Annotation.kubeadmConfigHash] != configHash { return false }
        guard let ref = ContractRef(m.body[path: ["spec", "infrastructureRef"]]),
              let infra = ctx.cache.get(ref.groupKind, namespace: m.namespace, name: ref.name) else { return true }
        return infra.annotations[CAPI.Annotation.clonedFromName] == template.name
            && infra.annotations[CAPI.Annotation.clonedFromGroupKind] == template.groupKind.description
    }

    /// A hash of what of the KubeadmControlPlane ends up in a machine's bootstrap configuration.
    static func configHash(_ kcp: KubeObject) -> String {
        Hashing.safeEncode(Hashing.fnv1a64(JSON.serialize(kcp.body[path: ["spec", "kubeadmConfigSpec"]] ?? .null, sortKeys: true)), length: 10)
    }

    /// The recipe for a control-plane machine at `version`; `join` selects the kubeadm join configuration.
    private func recipe(_ kcp: KubeObject, cluster: KubeObject, version: String, join: Bool) -> MachineRecipe? {
        guard let template = ContractRef(kcp.body[path: ["spec", "machineTemplate", "spec", "infrastructureRef"]]) else { return nil }
        let meta = KubeObject(.map(["metadata": kcp.body[path: ["spec", "machineTemplate", "metadata"]] ?? .map([:])]))
        var labels = meta.labels
        labels[CAPI.Label.controlPlane] = ""
        labels[CAPI.Label.controlPlaneName] = MachineTemplate.labelValue(kcp.name)
        var annotations = meta.annotations
        annotations[CAPI.Annotation.kubeadmConfigHash] = Self.configHash(kcp)
        var spec = ObjectMap()
        spec["version"] = .string(version)
        for f in ["readinessGates", "deletion", "taints"] {
            if let v = kcp.body[path: ["spec", "machineTemplate", "spec", f]] { spec[f] = v }
        }
        var config = kcp.body[path: ["spec", "kubeadmConfigSpec"]] ?? .map([:])
        if join {
            config["initConfiguration"] = nil
            var joinConfig = config["joinConfiguration"] ?? .map([:])
            if joinConfig["controlPlane"] == nil { joinConfig["controlPlane"] = .map([:]) }
            config["joinConfiguration"] = joinConfig
        } else {
            config["joinConfiguration"] = nil
            if config["initConfiguration"] == nil { config["initConfiguration"] = .map([:]) }
        }
        return MachineRecipe(owner: kcp, clusterName: cluster.name, labels: labels, annotations: annotations, spec: spec,
                             infrastructureTemplate: template, bootstrap: .config(CAPI.Kind.kubeadmConfig, spec: config))
    }

    /// Sets each machine's UpToDate condition (against the final target, not the current step).
    private func markUpToDate(_ machines: [KubeObject], kcp: KubeObject, configHash: String, template: ContractRef?, _ ctx: ReconcileContext) async throws {
        let target = kcp.string("spec", "version") ?? ""
        for m in machines {
            let ok = MachineState.version(m) == target && template.map { sameExceptVersion(m, configHash: configHash, template: $0, ctx) } ?? true
                && m.annotations[CAPI.Annotation.updateInProgress] == nil
            let reason = ok ? ConditionReason.upToDate : (m.annotations[CAPI.Annotation.updateInProgress] != nil ? ConditionReason.updating : ConditionReason.notUpToDate)
            let current = Conditions.get(m, ConditionType.upToDate)
            if current?.status == Condition.Status(ok) && current?.reason == reason { continue }
            let message = ok ? "" : (MachineState.version(m) != target ? "* Version \(MachineState.version(m)), \(target) required" : "* Machine template or KubeadmConfig changed")
            try await ctx.writeStatus(m, conditions: [Condition(ConditionType.upToDate, ok, reason: reason, message: message)])
        }
    }

    // MARK: Deletion

    private func reconcileDelete(_ kcp: KubeObject, cluster: KubeObject?, machines: [KubeObject], _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard kcp.finalizers.contains(CAPI.Finalizer.kubeadmControlPlane) else { return .done }
        if let id = cluster.map({ ClusterID(namespace: $0.namespace, name: $0.name) }) {
            let workers = ctx.cache.list(CAPI.Kind.machine.groupKind, cluster: id).filter { !MachineState.isControlPlane($0) }
            let pools = ctx.cache.list(CAPI.Kind.machinePool.groupKind, cluster: id)
            if !workers.isEmpty || !pools.isEmpty {
                try await ctx.writeStatus(kcp, conditions: [Condition(ConditionType.deleting, .true, reason: ConditionReason.waitingForWorkersDeletion,
                                                                      message: "* Worker Machines: \(workers.count), MachinePools: \(pools.count)")])
                return .done
            }
        }
        for m in machines where !m.isDeleting { try await ctx.client.delete(m) }
        if !ctx.cache.owned(CAPI.Kind.machine.groupKind, by: kcp.uid ?? "").isEmpty {
            try await ctx.writeStatus(kcp, conditions: [Condition(ConditionType.deleting, .true, reason: ConditionReason.waitingForMachineDeletion,
                                                                  message: "* Deleting \(machines.count) control plane Machine\(machines.count == 1 ? "" : "s")")])
            return .done
        }
        try await ctx.removeFinalizer(kcp, CAPI.Finalizer.kubeadmControlPlane)
        return .done
    }
}
