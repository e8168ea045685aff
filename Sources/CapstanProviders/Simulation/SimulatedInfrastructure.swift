import CapstanCluster
import CapstanModel

/// Shared behaviour of the simulated infrastructure provider, which serves any infrastructure kind through
/// the contract: a finalizer, a provisioning timer kept in the `Ready` condition (so it survives restarts),
/// injected failures, and a deprovisioning delay on delete.
enum SimulatedInfrastructure {
    /// Whether provisioning of `obj` is made to fail (annotation on it or its owner, or a configured rule).
    static func failing(_ obj: KubeObject, owner: KubeObject?, clusterName: String?, _ ctx: ReconcileContext) -> Bool {
        if obj.annotations[Simulation.Annotation.failProvisioning] == "true" || owner?.annotations[Simulation.Annotation.failProvisioning] == "true" {
            return true
        }
        for (i, rule) in ctx.config.simulation.failures.enumerated() {
            if let kind = rule.kind, kind != obj.kind { continue }
            if !obj.name.hasPrefix(rule.namePrefix) { continue }
            if let c = rule.clusterName, c != clusterName { continue }
            let fact = "fail/\(i)/\(obj.uid ?? obj.name)"
            if ctx.manager.recalls(fact) { return true }
            if let limit = rule.limit, ctx.manager.countFacts(prefix: "fail/\(i)/") >= limit { continue }
            ctx.manager.remember(fact)
            return true
        }
        return false
    }

    /// Starts or checks the provisioning timer; nil once `latency` has passed since provisioning started.
    static func provisioningRemaining(_ obj: KubeObject, latency: Duration, _ ctx: ReconcileContext) async throws -> Duration? {
        if let c = Conditions.get(obj, ConditionType.ready), c.reason == ConditionReason.provisioning, let since = Conditions.since(c) {
            let remaining = since.advanced(by: latency).since(ctx.now)
            return remaining > .zero ? remaining : nil
        }
        if latency <= .zero { return nil }
        try await ctx.writeStatus(obj, conditions: [Condition(ConditionType.ready, .false, reason: ConditionReason.provisioning,
                                                              message: "Provisioning (simulated, \(latency))")])
        return latency
    }

    /// Reports a provisioning failure.
    static func reportFailure(_ obj: KubeObject, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        try await ctx.writeStatus(obj, conditions: [Condition(ConditionType.ready, .false, reason: ConditionReason.provisioningFailed,
                                                              message: "Provisioning failed (injected by \(Simulation.Annotation.failProvisioning) or a failure rule)")])
        return .done
    }

    /// Reports waiting for a precondition.
    static func wait(_ obj: KubeObject, reason: String, _ message: String, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        try await ctx.writeStatus(obj, conditions: [Condition(ConditionType.ready, .false, reason: reason, message: message)])
        return .done
    }

    /// On delete: remove the nodes running on it, wait the deprovisioning delay, drop the finalizer.
    static func reconcileDelete(_ obj: KubeObject, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard obj.finalizers.contains(CAPI.Finalizer.simulatedInfrastructure) else { return .done }
        for node in ctx.cache.owned(Simulation.nodeKind.groupKind, by: obj.uid ?? "") { try await ctx.client.delete(node) }
        let since = obj.deletionTimestamp.flatMap(Timestamp.init(rfc3339:)).map(Moment.init) ?? ctx.now
        let remaining = since.advanced(by: ctx.config.simulation.deprovisioning).since(ctx.now)
        if remaining > .zero { return .requeue(after: remaining) }
        try await ctx.removeFinalizer(obj, CAPI.Finalizer.simulatedInfrastructure)
        return .done
    }

    /// `sim://<namespace>/<cluster>/<name>`.
    static func providerID(cluster: ClusterID, name: String) -> String { "sim://\(cluster.namespace)/\(cluster.name)/\(name)" }
}

/// Simulated infrastructure clusters (any kind in the `infrastructureCluster` role): provisioned after
/// `clusterProvisioning`, with a control-plane endpoint when none was given.
struct SimulatedInfraClusterController: Reconciler {
    let name = "capstan-sim-infracluster"
    var primary: KindSelector { .role(.infrastructureCluster) }
    var watches: [Watch] {
        [Watch(source: .kind(CAPI.Kind.cluster)) { e, _ in
            guard let ref = ContractRef(e.object.body[path: ["spec", "infrastructureRef"]]) else { return [] }
            return [ref.key(namespace: e.object.namespace)]
        }]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard let obj = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        if obj.isDeleting { return try await SimulatedInfrastructure.reconcileDelete(obj, ctx) }
        if obj.bool("status", "initialization", "provisioned") == true { return .done }
        guard let owner = obj.owner(kind: "Cluster"), let cluster = ctx.cache.get(CAPI.Kind.cluster.groupKind, namespace: obj.namespace, name: owner.name) else {
            return try await SimulatedInfrastructure.wait(obj, reason: ConditionReason.notProvisioned, "Waiting for the Cluster controller to set the owner reference", ctx)
        }
        if CAPI.isPaused(obj, cluster: cluster) { return .done }
        guard var current = try await ctx.ensureMetadata(obj, finalizer: CAPI.Finalizer.simulatedInfrastructure, cluster: cluster.name) else { return .done }
        if SimulatedInfrastructure.failing(current, owner: cluster, clusterName: cluster.name, ctx) {
            return try await SimulatedInfrastructure.reportFailure(current, ctx)
        }
        if let remaining = try await SimulatedInfrastructure.provisioningRemaining(current, latency: ctx.config.simulation.clusterProvisioning, ctx) {
            return .requeue(after: remaining)
        }
        if (current.string("spec", "controlPlaneEndpoint", "host") ?? "").isEmpty {
            current = try await ctx.client.update(current) {
                $0.body[path: ["spec", "controlPlaneEndpoint"]] = .map([
                    "host": .string("\(cluster.name).\(cluster.namespace).sim.capstan.internal"), "port": 6443,
                ])
            } ?? current
        }
        try await ctx.writeStatus(current, conditions: [Condition(ConditionType.ready, .true, reason: ConditionReason.provisioned)]) { status in
            status["initialization"] = .map(["provisioned": true])
            status["ready"] = true
        }
        return .done
    }
}

/// Simulated infrastructure machines (any kind in the `infrastructureMachine` role): once the cluster
/// infrastructure is provisioned and bootstrap data exists, provisioned after `machineProvisioning` with a
/// provider ID and addresses; their Node registers at the same time and turns Ready after `nodeReady`.
struct SimulatedInfraMachineController: Reconciler {
    let name = "capstan-sim-inframachine"
    var primary: KindSelector { .role(.infrastructureMachine) }
    var watches: [Watch] {
        [
            Watch(source: .kind(CAPI.Kind.machine)) { e, _ in
                guard let ref = ContractRef(e.object.body[path: ["spec", "infrastructureRef"]]),
                      e.previous.map(Self.machineFacts) != Self.machineFacts(e.object) else { return [] }
                return [ref.key(namespace: e.object.namespace)]
            },
            Watch(source: .kind(Simulation.nodeKind)) { e, cache in
                e.object.ownerReferences.compactMap { ref in
                    let gvk = GroupVersionKind(apiVersion: ref.apiVersion, kind: ref.kind)
                    return ObjectKey(group: gvk.group, kind: gvk.kind, namespace: e.object.namespace, name: ref.name)
                }
            },
            Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
                guard e.previous.map(KubeadmConfigController.clusterFacts) != KubeadmConfigController.clusterFacts(e.object) else { return [] }
                return cache.list(CAPI.Kind.machine.groupKind, cluster: ClusterID(namespace: e.object.namespace, name: e.object.name))
                    .compactMap { m in ContractRef(m.body[path: ["spec", "infrastructureRef"]])?.key(namespace: m.namespace) }
            },
        ]
    }

    static func machineFacts(_ m: KubeObject) -> String {
        "\(m.string("spec", "bootstrap", "dataSecretName") ?? "")|\(m.string("spec", "version") ?? "")|\(m.annotations[CAPI.Annotation.updateInProgress] != nil)|\(m.annotations[Simulation.Annotation.nodeConditions] ?? "")|\(m.annotations[Simulation.Annotation.failProvisioning] ?? "")|\(m.uid ?? "")"
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard let obj = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        if obj.isDeleting { return try await SimulatedInfrastructure.reconcileDelete(obj, ctx) }
        guard let ref = obj.owner(kind: "Machine"), let machine = ctx.cache.get(CAPI.Kind.machine.groupKind, namespace: obj.namespace, name: ref.name),
              let id = machine.clusterID else {
            return try await SimulatedInfrastructure.wait(obj, reason: ConditionReason.notProvisioned, "Waiting for the Machine controller to set the owner reference", ctx)
        }
        let cluster = ctx.cluster(id)
        if CAPI.isPaused(obj, cluster: cluster) { return .done }
        guard var current = try await ctx.ensureMetadata(obj, finalizer: CAPI.Finalizer.simulatedInfrastructure, cluster: id.name) else { return .done }
        let forced = NodeSimulator.forcedConditions([machine, current])

        if current.bool("status", "initialization", "provisioned") != true {
            guard cluster?.bool("status", "initialization", "infrastructureProvisioned") == true else {
                return try await SimulatedInfrastructure.wait(current, reason: ConditionReason.waitingForClusterInfrastructureReady, "Waiting for Cluster infrastructure", ctx)
            }
            guard let secret = machine.string("spec", "bootstrap", "dataSecretName"), !secret.isEmpty else {
                return try await SimulatedInfrastructure.wait(current, reason: ConditionReason.waitingForBootstrapData, "Waiting for bootstrap data", ctx)
            }
            if SimulatedInfrastructure.failing(current, owner: machine, clusterName: id.name, ctx) {
                return try await SimulatedInfrastructure.reportFailure(current, ctx)
            }
            if let remaining = try await SimulatedInfrastructure.provisioningRemaining(current, latency: ctx.config.simulation.machineProvisioning, ctx) {
                return .requeue(after: remaining)
            }
            let providerID = SimulatedInfrastructure.providerID(cluster: id, name: current.name)
            current = try await ctx.client.update(current) { $0.body[path: ["spec", "providerID"]] = .string(providerID) } ?? current
            let node = NodeSimulator.make(name: current.name, cluster: id, providerID: providerID, version: MachineState.version(machine),
                                          owner: current, machine: machine.name, now: ctx.now)
            let (created, _) = try await ctx.client.createIfAbsent(node)
            _ = try await NodeSimulator.sync(created, version: MachineState.version(machine), forced: forced, ctx)
            try await ctx.writeStatus(current, conditions: [Condition(ConditionType.ready, .true, reason: ConditionReason.provisioned)]) { status in
                status["initialization"] = .map(["provisioned": true])
                status["ready"] = true
                status["addresses"] = .list([
                    .map(["type": "InternalIP", "address": .string(NodeSimulator.address(current.name))]),
                    .map(["type": "Hostname", "address": .string(current.name)]),
                ])
            }
            return .requeue(after: ctx.config.simulation.nodeReady)
        }

        // Provisioned: keep the node's state (kubelet start, injected conditions, in-place version changes).
        guard var node = ctx.cache.owned(Simulation.nodeKind.groupKind, by: current.uid ?? "").first, !node.isDeleting else { return .done }
        var result = ReconcileResult.done
        if machine.annotations[CAPI.Annotation.updateInProgress] != nil,
           let remaining = try await NodeSimulator.inPlaceUpdate(node, to: MachineState.version(machine), ctx) {
            result = .requeue(after: remaining)
        }
        node = ctx.cache.get(Simulation.nodeKind.groupKind, namespace: node.namespace, name: node.name) ?? node
        if let next = try await NodeSimulator.sync(node, version: MachineState.version(machine), forced: forced, ctx) {
            result = result.merged(.requeue(after: next))
        }
        return result
    }
}
