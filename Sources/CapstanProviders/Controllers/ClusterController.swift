import CapstanCluster
import CapstanModel

/// The Cluster controller (`capi-cluster`): follows `spec.infrastructureRef` and `spec.controlPlaneRef`
/// through the contracts (owner reference and cluster-name label on both, the endpoint copied from the
/// infrastructure cluster, initialization bubbled up), creates `<cluster>-ca` and `<cluster>-kubeconfig` when
/// nobody provided them, and reports phase, replica summaries and the v1beta2 conditions. Deletion removes
/// workers, then the control plane, then the infrastructure, before the finalizer.
struct ClusterController: Reconciler {
    let name = "capi-cluster"
    var primary: KindSelector { .kind(CAPI.Kind.cluster) }

    var watches: [Watch] {
        let toCluster: @Sendable (ObjectEvent, ObjectCache) -> [ObjectKey] = { e, _ in
            var names = Set(e.object.ownerReferences.filter { $0.kind == "Cluster" }.map(\.name))
            if let id = e.object.clusterID { names.insert(id.name) }
            return names.map { ObjectKey(group: CAPI.group, kind: "Cluster", namespace: e.object.namespace, name: $0) }
        }
        let factsChanged: @Sendable (ObjectEvent) -> Bool = { e in
            guard let prev = e.previous, e.type == .modified else { return true }
            return Self.descendantFacts(prev) != Self.descendantFacts(e.object)
        }
        return [
            Watch(source: .role(.infrastructureCluster), map: toCluster),
            Watch(source: .role(.controlPlane), map: toCluster),
            Watch(source: .kind(CAPI.Kind.machineDeployment)) { e, c in factsChanged(e) ? toCluster(e, c) : [] },
            Watch(source: .kind(CAPI.Kind.machineSet)) { e, c in e.type != .modified ? toCluster(e, c) : [] },
            Watch(source: .kind(CAPI.Kind.machinePool)) { e, c in factsChanged(e) ? toCluster(e, c) : [] },
            Watch(source: .kind(CAPI.Kind.machine)) { e, c in factsChanged(e) ? toCluster(e, c) : [] },
        ]
    }

    /// What of a descendant the cluster's status summarises (other changes do not wake the cluster).
    static func descendantFacts(_ o: KubeObject) -> [Value?] {
        var facts: [Value?] = [.bool(o.isDeleting), o.body[path: ["spec", "version"]], o.body[path: ["spec", "replicas"]], o.body[path: ["status", "nodeRef"]]]
        for t in [ConditionType.ready, ConditionType.available, ConditionType.upToDate, ConditionType.rollingOut, ConditionType.scalingUp,
                  ConditionType.scalingDown, ConditionType.ownerRemediated] {
            facts.append(Conditions.get(o, t).map { .string($0.status.rawValue) })
        }
        for f in ["replicas", "readyReplicas", "availableReplicas", "upToDateReplicas"] { facts.append(o.body[path: ["status", f]]) }
        return facts
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var cluster = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        if cluster.isDeleting { return try await reconcileDelete(cluster, ctx) }
        if CAPI.isPaused(cluster, cluster: nil) {
            try await ctx.writeStatus(cluster, conditions: [Summary.paused(true)])
            return .done
        }
        guard let c = try await ctx.ensureMetadata(cluster, finalizer: CAPI.Finalizer.cluster, cluster: nil) else { return .done }
        cluster = c
        let topology = cluster.body[path: ["spec", "topology"]] != nil
        let infraRef = ContractRef(cluster.body[path: ["spec", "infrastructureRef"]])
        let cpRef = ContractRef(cluster.body[path: ["spec", "controlPlaneRef"]])
        var infra = try await ctx.referenced(infraRef, namespace: cluster.namespace, role: .infrastructureCluster)
        var cp = try await ctx.referenced(cpRef, namespace: cluster.namespace, role: .controlPlane)
        if let obj = infra { infra = try await adopt(obj, cluster: cluster, controller: topology, ctx) }
        if let obj = cp { cp = try await adopt(obj, cluster: cluster, controller: topology, ctx) }

        // Endpoint: from the infrastructure cluster once provisioned, or from the control plane.
        let infraProvisioned = infra.map(Self.provisioned) ?? (infraRef == nil)
        if (cluster.string("spec", "controlPlaneEndpoint", "host") ?? "").isEmpty {
            for source in [infraProvisioned ? infra : nil, cp].compactMap({ $0 }) {
                if let host = source.string("spec", "controlPlaneEndpoint", "host"), !host.isEmpty {
                    let port = source.int("spec", "controlPlaneEndpoint", "port") ?? 6443
                    cluster = try await ctx.client.update(cluster) {
                        $0.body[path: ["spec", "controlPlaneEndpoint"]] = .map(["host": .string(host), "port": .int(port)])
                    } ?? cluster
                    break
                }
            }
        }

        // Secrets nobody provided.
        if let uid = cluster.uid, !ctx.manager.recalls("secrets/\(uid)") {
            try await ClusterSecrets.ensureCertificates(["ca"], cluster: cluster, owner: cluster, ctx)
            if let host = cluster.string("spec", "controlPlaneEndpoint", "host"), !host.isEmpty {
                try await ClusterSecrets.ensureKubeconfig(cluster: cluster, owner: cluster,
                                                          endpoint: (host, cluster.int("spec", "controlPlaneEndpoint", "port") ?? 6443), ctx)
                ctx.manager.remember("secrets/\(uid)")
            }
        }

        try await writeStatus(cluster, infra: infra, infraRef: infraRef, cp: cp, cpRef: cpRef, ctx)
        return .done
    }

    static func provisioned(_ infra: KubeObject) -> Bool {
        infra.bool("status", "initialization", "provisioned") == true || infra.bool("status", "ready") == true
    }

    /// Adds the Cluster owner reference (controller for topology clusters) and the cluster-name label.
    private func adopt(_ obj: KubeObject, cluster: KubeObject, controller: Bool, _ ctx: ReconcileContext) async throws -> KubeObject? {
        if obj.isOwned(by: cluster.uid) && obj.labels[CAPI.Label.clusterName] == cluster.name { return obj }
        return try await ctx.client.update(obj) { o in
            o.labels[CAPI.Label.clusterName] = cluster.name
            if !o.isOwned(by: cluster.uid) {
                var ref = OwnerReference.owner(cluster)
                if controller && o.controllerRef == nil { ref.controller = true }
                o.ownerReferences.append(ref)
            }
        }
    }

    // MARK: Deletion

    private func reconcileDelete(_ cluster: KubeObject, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard cluster.finalizers.contains(CAPI.Finalizer.cluster) else { return .done }
        let id = ClusterID(namespace: cluster.namespace, name: cluster.name)
        func deleting(_ reason: String, _ message: String) async throws -> ReconcileResult {
            try await ctx.writeStatus(cluster, conditions: [Condition(ConditionType.deleting, .true, reason: reason, message: message)]) {
                $0["phase"] = "Deleting"
            }
            return .done
        }
        // Workers: MachineDeployments, MachinePools, stand-alone MachineSets and Machines.
        let deployments = ctx.cache.list(CAPI.Kind.machineDeployment.groupKind, cluster: id)
        let pools = ctx.cache.list(CAPI.Kind.machinePool.groupKind, cluster: id)
        let sets = ctx.cache.list(CAPI.Kind.machineSet.groupKind, cluster: id)
        let workers = ctx.cache.list(CAPI.Kind.machine.groupKind, cluster: id).filter { !MachineState.isControlPlane($0) }
        for o in deployments + pools { try await ctx.client.delete(o) }
        for o in sets + workers where o.controllerRef == nil { try await ctx.client.delete(o) }
        if !(deployments + pools + sets + workers).isEmpty {
            return try await deleting(ConditionReason.waitingForWorkersDeletion,
                                      "* MachineDeployments: \(deployments.count)\n* MachinePools: \(pools.count)\n* MachineSets: \(sets.count)\n* Worker Machines: \(workers.count)")
        }
        // Control plane.
        let cpRef = ContractRef(cluster.body[path: ["spec", "controlPlaneRef"]])
        let cpMachines = ctx.cache.list(CAPI.Kind.machine.groupKind, cluster: id)
        if let cp = try await ctx.referenced(cpRef, namespace: cluster.namespace, role: .controlPlane) {
            try await ctx.client.delete(cp)
            return try await deleting(ConditionReason.waitingForControlPlaneDeletion, "* \(cp.kind) \(cp.name) is being deleted")
        }
        for m in cpMachines where m.controllerRef == nil { try await ctx.client.delete(m) }
        if !cpMachines.isEmpty {
            return try await deleting(ConditionReason.waitingForControlPlaneDeletion, "* Control plane Machines: \(cpMachines.count)")
        }
        // Infrastructure.
        let infraRef = ContractRef(cluster.body[path: ["spec", "infrastructureRef"]])
        if let infra = try await ctx.referenced(infraRef, namespace: cluster.namespace, role: .infrastructureCluster) {
            try await ctx.client.delete(infra)
            if ctx.cache.get(infra.key.groupKind, namespace: infra.namespace, name: infra.name) != nil {
                return try await deleting(ConditionReason.waitingForInfrastructureDeletion, "* \(infra.kind) \(infra.name) is being deleted")
            }
        }
        try await ctx.removeFinalizer(cluster, CAPI.Finalizer.cluster)
        return .done
    }
}
