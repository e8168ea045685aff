import CapstanCluster
import CapstanModel

/// The MachinePool controller (`capi-machinepool`): adopts the pool's bootstrap config and infrastructure
/// machine pool, copies the bootstrap data secret and the provider ID list, matches instances to Nodes, and
/// reports replica counters, phase and conditions. Instances are not Machine objects (no MachinePool
/// Machines): the infrastructure pool owns them.
struct MachinePoolController: Reconciler {
    let name = "capi-machinepool"
    var primary: KindSelector { .kind(CAPI.Kind.machinePool) }

    var watches: [Watch] {
        [
            Watch.owners(.role(.infrastructureMachinePool), ownerKind: CAPI.Kind.machinePool),
            Watch.owners(.role(.bootstrapConfig), ownerKind: CAPI.Kind.machinePool),
            Watch(source: .kind(Simulation.nodeKind)) { e, _ in
                guard e.object.annotations["cluster.x-k8s.io/owner-kind"] == "MachinePool", let pool = e.object.annotations["cluster.x-k8s.io/owner-name"] else { return [] }
                return [ObjectKey(group: CAPI.group, kind: "MachinePool", namespace: e.object.namespace, name: pool)]
            },
        ]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var pool = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let cluster = ctx.cluster(pool.clusterID)
        let bootstrapRef = ContractRef(pool.body[path: ["spec", "template", "spec", "bootstrap", "configRef"]])
        let infraRef = ContractRef(pool.body[path: ["spec", "template", "spec", "infrastructureRef"]])
        if pool.isDeleting { return try await reconcileDelete(pool, bootstrapRef: bootstrapRef, infraRef: infraRef, ctx) }
        if CAPI.isPaused(pool, cluster: cluster) {
            try await ctx.writeStatus(pool, conditions: [Summary.paused(true)])
            return .done
        }
        let clusterName = pool.string("spec", "clusterName") ?? ""
        guard let p = try await ctx.ensureMetadata(pool, finalizer: CAPI.Finalizer.machinePool, cluster: clusterName,
                                                    owner: cluster.map(OwnerReference.owner)) else { return .done }
        pool = p

        // Bootstrap.
        var bootstrapReady = pool.string("spec", "template", "spec", "bootstrap", "dataSecretName").map { !$0.isEmpty } ?? false
        if let ref = bootstrapRef, var config = try await ctx.referenced(ref, namespace: pool.namespace, role: .bootstrapConfig) {
            config = try await adopt(config, pool: pool, clusterName: clusterName, ctx) ?? config
            if config.bool("status", "initialization", "dataSecretCreated") == true || config.bool("status", "ready") == true,
               let secret = config.string("status", "dataSecretName") {
                if pool.string("spec", "template", "spec", "bootstrap", "dataSecretName") != secret {
                    pool = try await ctx.client.update(pool) { $0.body[path: ["spec", "template", "spec", "bootstrap", "dataSecretName"]] = .string(secret) } ?? pool
                }
                bootstrapReady = true
            }
        }

        // Infrastructure.
        var infraReady = false
        var instances = 0
        if let ref = infraRef, var infra = try await ctx.referenced(ref, namespace: pool.namespace, role: .infrastructureMachinePool) {
            infra = try await adopt(infra, pool: pool, clusterName: clusterName, ctx) ?? infra
            infraReady = infra.bool("status", "initialization", "provisioned") == true || infra.bool("status", "ready") == true
            let ids = infra.body[path: ["spec", "providerIDList"]] ?? .list([])
            if infraReady, pool.body[path: ["spec", "providerIDList"]] != ids {
                pool = try await ctx.client.update(pool) { $0.body[path: ["spec", "providerIDList"]] = ids } ?? pool
            }
            instances = Int(infra.int("status", "replicas") ?? Int64(ids.listValue?.count ?? 0))
        }

        // Nodes.
        let desired = Int(pool.int("spec", "replicas") ?? 1)
        let version = pool.string("spec", "template", "spec", "version") ?? ""
        let ids = Set(pool.body[path: ["spec", "providerIDList"]]?.listValue?.compactMap(\.stringValue) ?? [])
        let nodes = pool.clusterID.map { WorkloadNodes(ctx: ctx).nodes(cluster: $0).filter { ids.contains($0.providerID) } } ?? []
        let ready = nodes.filter(\.isReady)
        let upToDate = nodes.filter { $0.kubeletVersion == version }
        let available = ready.count >= desired
        let phase: String
        if !bootstrapReady { phase = "Pending" }
        else if !infraReady { phase = "Provisioning" }
        else if instances < desired { phase = "ScalingUp" }
        else if instances > desired { phase = "ScalingDown" }
        else if ready.count == desired { phase = "Running" }
        else { phase = "Provisioned" }
        try await ctx.writeStatus(pool, conditions: [
            Condition(ConditionType.bootstrapConfigReady, bootstrapReady, reason: bootstrapReady ? ConditionReason.ready : ConditionReason.notReady),
            Condition(ConditionType.infrastructureReady, infraReady, reason: infraReady ? ConditionReason.ready : ConditionReason.notReady),
            Condition(ConditionType.available, available, reason: available ? ConditionReason.available : ConditionReason.notAvailable,
                      message: available ? "" : "\(ready.count) of \(desired) instances ready"),
            Condition(ConditionType.scalingUp, instances < desired, reason: instances < desired ? ConditionReason.scalingUp : ConditionReason.notScalingUp),
            Condition(ConditionType.scalingDown, instances > desired, reason: instances > desired ? ConditionReason.scalingDown : ConditionReason.notScalingDown),
            Summary.notDeleting, Summary.paused(false),
        ]) { status in
            status["initialization"] = .map(["bootstrapDataSecretCreated": .bool(bootstrapReady), "infrastructureProvisioned": .bool(infraReady)])
            status["replicas"] = .int(Int64(instances))
            status["readyReplicas"] = .int(Int64(ready.count))
            status["availableReplicas"] = .int(Int64(ready.count))
            status["upToDateReplicas"] = .int(Int64(upToDate.count))
            status["nodeRefs"] = .list(nodes.sorted { $0.name < $1.name }.map { .map(["apiVersion": "v1", "kind": "Node", "name": .string($0.name)]) })
            status["phase"] = .string(phase)
        }
        return .done
    }

    private func adopt(_ obj: KubeObject, pool: KubeObject, clusterName: String, _ ctx: ReconcileContext) async throws -> KubeObject? {
        if obj.isOwned(by: pool.uid) && obj.labels[CAPI.Label.clusterName] == clusterName { return obj }
        return try await ctx.client.update(obj) { o in
            o.labels[CAPI.Label.clusterName] = clusterName
            if !o.isOwned(by: pool.uid) { o.ownerReferences = o.ownerReferences.filter { $0.controller != true } + [.controller(pool)] }
        }
    }

    private func reconcileDelete(_ pool: KubeObject, bootstrapRef: ContractRef?, infraRef: ContractRef?, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard pool.finalizers.contains(CAPI.Finalizer.machinePool) else { return .done }
        var waiting = false
        for (ref, role) in [(infraRef, KindRole.infrastructureMachinePool), (bootstrapRef, .bootstrapConfig)] {
            guard let obj = try await ctx.referenced(ref, namespace: pool.namespace, role: role) else { continue }
            try await ctx.client.delete(obj)
            if ctx.cache.get(obj.key.groupKind, namespace: obj.namespace, name: obj.name) != nil { waiting = true }
        }
        if waiting {
            try await ctx.writeStatus(pool, conditions: [Condition(ConditionType.deleting, .true, reason: ConditionReason.waitingForInfrastructureDeletion)]) {
                $0["phase"] = "Deleting"
            }
            return .done
        }
        try await ctx.removeFinalizer(pool, CAPI.Finalizer.machinePool)
        return .done
    }
}

/// Simulated infrastructure machine pools (any kind in the `infrastructureMachinePool` role): one instance
/// (and Node) per replica, `spec.providerIDList`, and in-place version changes of the instances.
struct SimulatedInfraMachinePoolController: Reconciler {
    let name = "capstan-sim-inframachinepool"
    var primary: KindSelector { .role(.infrastructureMachinePool) }
    var watches: [Watch] {
        [
            Watch(source: .kind(CAPI.Kind.machinePool)) { e, _ in
                guard let ref = ContractRef(e.object.body[path: ["spec", "template", "spec", "infrastructureRef"]]) else { return [] }
                return [ref.key(namespace: e.object.namespace)]
            },
            Watch(source: .kind(Simulation.nodeKind)) { e, _ in
                e.object.ownerReferences.map { ref in
                    let gvk = GroupVersionKind(apiVersion: ref.apiVersion, kind: ref.kind)
                    return ObjectKey(group: gvk.group, kind: gvk.kind, namespace: e.object.namespace, name: ref.name)
                }
            },
        ]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard let obj = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        if obj.isDeleting { return try await SimulatedInfrastructure.reconcileDelete(obj, ctx) }
        guard let ref = obj.owner(kind: "MachinePool"), let pool = ctx.cache.get(CAPI.Kind.machinePool.groupKind, namespace: obj.namespace, name: ref.name),
              let id = pool.clusterID else {
            return try await SimulatedInfrastructure.wait(obj, reason: ConditionReason.notProvisioned, "Waiting for the MachinePool controller to set the owner reference", ctx)
        }
        let cluster = ctx.cluster(id)
        if CAPI.isPaused(obj, cluster: cluster) { return .done }
        guard var current = try await ctx.ensureMetadata(obj, finalizer: CAPI.Finalizer.simulatedInfrastructure, cluster: id.name) else { return .done }
        guard cluster?.bool("status", "initialization", "infrastructureProvisioned") == true else {
            return try await SimulatedInfrastructure.wait(current, reason: ConditionReason.waitingForClusterInfrastructureReady, "Waiting for Cluster infrastructure", ctx)
        }
        guard let secret = pool.string("spec", "template", "spec", "bootstrap", "dataSecretName"), !secret.isEmpty else {
            return try await SimulatedInfrastructure.wait(current, reason: ConditionReason.waitingForBootstrapData, "Waiting for bootstrap data", ctx)
        }
        if SimulatedInfrastructure.failing(current, owner: pool, clusterName: id.name, ctx) {
            return try await SimulatedInfrastructure.reportFailure(current, ctx)
        }
        if current.bool("status", "initialization", "provisioned") != true,
           let remaining = try await SimulatedInfrastructure.provisioningRemaining(current, latency: ctx.config.simulation.machineProvisioning, ctx) {
            return .requeue(after: remaining)
        }
        let desired = Int(pool.int("spec", "replicas") ?? 1)
        let version = pool.string("spec", "template", "spec", "version") ?? ""
        let names = (0..<desired).map { "\(current.name)-\($0)" }
        let ids = names.map { SimulatedInfrastructure.providerID(cluster: id, name: $0) }
        var result = ReconcileResult.done
        let forced = NodeSimulator.forcedConditions([pool, current])
        for node in ctx.cache.owned(Simulation.nodeKind.groupKind, by: current.uid ?? "") where !names.contains(node.name) {
            try await ctx.client.delete(node)
        }
        for (name, providerID) in zip(names, ids) {
            var node = ctx.cache.get(Simulation.nodeKind.groupKind, namespace: current.namespace, name: name)
            if node == nil {
                node = try await ctx.client.createIfAbsent(NodeSimulator.make(name: name, cluster: id, providerID: providerID, version: version,
                                                                               owner: current, machine: nil, poolOwner: pool, now: ctx.now)).object
            } else if let remaining = try await NodeSimulator.inPlaceUpdate(node!, to: version, ctx) {
                result = result.merged(.requeue(after: remaining))
            }
            let fresh = ctx.cache.get(Simulation.nodeKind.groupKind, namespace: current.namespace, name: name) ?? node!
            if let next = try await NodeSimulator.sync(fresh, version: version, forced: forced, ctx) { result = result.merged(.requeue(after: next)) }
        }
        let idList = Value.list(ids.map(Value.string))
        if current.body[path: ["spec", "providerIDList"]] != idList {
            current = try await ctx.client.update(current) { $0.body[path: ["spec", "providerIDList"]] = idList } ?? current
        }
        try await ctx.writeStatus(current, conditions: [Condition(ConditionType.ready, .true, reason: ConditionReason.provisioned)]) { status in
            status["initialization"] = .map(["provisioned": true])
            status["ready"] = true
            status["replicas"] = .int(Int64(desired))
        }
        return result
    }
}
