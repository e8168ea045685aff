import CapstanCluster
import CapstanModel

/// The Machine controller (`capi-machine`): adopts and follows the bootstrap config and infrastructure machine
/// through the contracts, copies `dataSecretName` and `providerID` onto the Machine, finds the Node by provider
/// ID, and reports BootstrapConfigReady, InfrastructureReady, NodeReady, NodeHealthy, Updating, Ready,
/// Available and the phase. Deletion removes infrastructure, bootstrap config and Node before the finalizer.
struct MachineController: Reconciler {
    let name = "capi-machine"
    var primary: KindSelector { .kind(CAPI.Kind.machine) }

    var watches: [Watch] {
        [
            Watch.owners(.role(.infrastructureMachine), ownerKind: CAPI.Kind.machine),
            Watch.owners(.role(.bootstrapConfig), ownerKind: CAPI.Kind.machine),
            Watch(source: .kind(Simulation.nodeKind)) { e, _ in
                guard let machine = e.object.annotations["cluster.x-k8s.io/machine"] else { return [] }
                return [ObjectKey(group: CAPI.group, kind: "Machine", namespace: e.object.namespace, name: machine)]
            },
            // Cluster changes that matter to machines: pause and deletion.
            Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
                guard let prev = e.previous, CAPI.isPaused(prev, cluster: nil) != CAPI.isPaused(e.object, cluster: nil) else { return [] }
                return cache.list(CAPI.Kind.machine.groupKind, cluster: ClusterID(namespace: e.object.namespace, name: e.object.name)).map(\.key)
            },
        ]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var machine = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let cluster = ctx.cluster(machine.clusterID)
        if machine.isDeleting { return try await reconcileDelete(machine, cluster: cluster, ctx) }
        if CAPI.isPaused(machine, cluster: cluster) {
            try await ctx.writeStatus(machine, conditions: [Summary.paused(true)])
            return .done
        }
        let clusterName = machine.string("spec", "clusterName")
        let clusterOwner = (machine.controllerRef == nil && cluster != nil) ? OwnerReference.owner(cluster!) : nil
        guard let m = try await ctx.ensureMetadata(machine, finalizer: CAPI.Finalizer.machine, cluster: clusterName, owner: clusterOwner) else { return .done }
        machine = m

        var conditions: [Condition] = [Summary.paused(false), Summary.notDeleting]
        var result = ReconcileResult.done

        // Bootstrap.
        let bootstrap = try await reconcileBootstrap(&machine, ctx)
        conditions.append(bootstrap.condition)

        // Infrastructure.
        let infra = try await reconcileInfrastructure(&machine, ctx)
        conditions.append(infra.condition)

        // Node.
        let node = try await reconcileNode(&machine, ctx)
        conditions += node.conditions

        // Ready and Available.
        let healthCheck = Conditions.get(machine, ConditionType.healthCheckSucceeded)
        var notReady: [String] = []
        if !bootstrap.ready { notReady.append("* BootstrapConfigReady: \(bootstrap.condition.message.isEmpty ? bootstrap.condition.reason : bootstrap.condition.message)") }
        if !infra.ready { notReady.append("* InfrastructureReady: \(infra.condition.message.isEmpty ? infra.condition.reason : infra.condition.message)") }
        if !node.healthy { notReady.append("* NodeHealthy: \(node.message)") }
        if let healthCheck, healthCheck.status != .true { notReady.append("* HealthCheckSucceeded: \(healthCheck.reason)") }
        let ready = notReady.isEmpty
        conditions.append(Condition(ConditionType.ready, ready, reason: ready ? ConditionReason.ready : ConditionReason.notReady,
                                    message: notReady.joined(separator: "\n")))
        let minReady = Duration.seconds(machine.int("spec", "minReadySeconds") ?? 0)
        var available = false
        if ready {
            let readySince = Conditions.get(machine, ConditionType.ready).flatMap { $0.isTrue ? Conditions.since($0) : nil } ?? ctx.now
            let remaining = readySince.advanced(by: minReady).since(ctx.now)
            if remaining <= .zero { available = true } else { result = result.merged(.requeue(after: remaining)) }
            conditions.append(Condition(ConditionType.available, available, reason: available ? ConditionReason.available : ConditionReason.waitingForMinReadySeconds))
        } else {
            conditions.append(Condition(ConditionType.available, .false, reason: ConditionReason.notReady))
        }

        let phase: String
        if MachineState.hasNode(machine) || node.nodeName != nil { phase = "Running" }
        else if infra.ready { phase = "Provisioned" }
        else if bootstrap.ready { phase = "Provisioning" }
        else { phase = "Pending" }

        try await ctx.writeStatus(machine, conditions: conditions) { status in
            status["initialization"] = .map([
                "bootstrapDataSecretCreated": .bool(bootstrap.ready), "infrastructureProvisioned": .bool(infra.ready),
            ])
            if let name = node.nodeName { status["nodeRef"] = .map(["name": .string(name)]) }
            if let info = node.nodeInfo { status["nodeInfo"] = info }
            if let addresses = infra.addresses { status["addresses"] = addresses }
            status["phase"] = .string(phase)
        }
        return result
    }

    // MARK: Bootstrap

    private func reconcileBootstrap(_ machine: inout KubeObject, _ ctx: ReconcileContext) async throws -> (ready: Bool, condition: Condition) {
        let type = ConditionType.bootstrapConfigReady
        if let secret = machine.string("spec", "bootstrap", "dataSecretName"), !secret.isEmpty,
           machine.body[path: ["spec", "bootstrap", "configRef"]] == nil {
            return (true, Condition(type, .true, reason: ConditionReason.dataSecretProvided))
        }
        guard let ref = ContractRef(machine.body[path: ["spec", "bootstrap", "configRef"]]) else {
            return (false, Condition(type, .false, reason: ConditionReason.notReady, message: "spec.bootstrap.configRef is not set"))
        }
        guard var config = try await ctx.referenced(ref, namespace: machine.namespace, role: .bootstrapConfig) else {
            return (false, Condition(type, .false, reason: ConditionReason.objectDoesNotExist, message: "\(ref.kind) does not exist"))
        }
        if !config.isOwned(by: machine.uid) || config.labels[CAPI.Label.clusterName] == nil {
            config = try await adopt(config, machine: machine, ctx) ?? config
        }
        let created = config.bool("status", "initialization", "dataSecretCreated") == true || config.bool("status", "ready") == true
        let dataSecret = config.string("status", "dataSecretName")
        guard created, let dataSecret else {
            let mirrored = Conditions.get(config, ConditionType.ready)
            return (false, Condition(type, .false, reason: ConditionReason.notReady,
                                     message: mirrored?.message.isEmpty == false ? mirrored!.message : "\(ref.kind) status.initialization.dataSecretCreated is false"))
        }
        if machine.string("spec", "bootstrap", "dataSecretName") != dataSecret {
            if let m = try await ctx.client.update(machine, { $0.body[path: ["spec", "bootstrap", "dataSecretName"]] = .string(dataSecret) }) { machine = m }
        }
        return (true, Condition(type, .true, reason: ConditionReason.ready))
    }

    /// Makes the Machine the controller owner of a provider object and labels it with the cluster name.
    private func adopt(_ obj: KubeObject, machine: KubeObject, _ ctx: ReconcileContext) async throws -> KubeObject? {
        let clusterName = machine.string("spec", "clusterName") ?? ""
        return try await ctx.client.update(obj) { o in
            if !clusterName.isEmpty { o.labels[CAPI.Label.clusterName] = clusterName }
            if !o.isOwned(by: machine.uid) {
                // The Machine becomes the controller; a previous controller (the creator) stays a plain owner.
                o.ownerReferences = o.ownerReferences.map { var r = $0; r.controller = nil; return r } + [.controller(machine)]
            }
        }
    }

    // MARK: Infrastructure

    private func reconcileInfrastructure(_ machine: inout KubeObject, _ ctx: ReconcileContext) async throws -> (ready: Bool, condition: Condition, addresses: Value?) {
        let type = ConditionType.infrastructureReady
        guard let ref = ContractRef(machine.body[path: ["spec", "infrastructureRef"]]) else {
            return (false, Condition(type, .false, reason: ConditionReason.notReady, message: "spec.infrastructureRef is not set"), nil)
        }
        guard var infra = try await ctx.referenced(ref, namespace: machine.namespace, role: .infrastructureMachine) else {
            let wasProvisioned = MachineState.provisioned(machine)
            return (false, Condition(type, .false, reason: wasProvisioned ? ConditionReason.objectDeleted : ConditionReason.objectDoesNotExist,
                                     message: "\(ref.kind) \(wasProvisioned ? "has been deleted" : "does not exist")"), nil)
        }
        if !infra.isOwned(by: machine.uid) || infra.labels[CAPI.Label.clusterName] == nil {
            infra = try await adopt(infra, machine: machine, ctx) ?? infra
        }
        let provisioned = infra.bool("status", "initialization", "provisioned") == true || infra.bool("status", "ready") == true
        let mirrored = Conditions.get(infra, ConditionType.ready)
        guard provisioned else {
            return (false, Condition(type, .false, reason: mirrored?.reason ?? ConditionReason.notReady,
                                     message: mirrored?.message ?? "\(ref.kind) status.initialization.provisioned is false"), nil)
        }
        if let providerID = infra.string("spec", "providerID"), machine.string("spec", "providerID") != providerID {
            if let m = try await ctx.client.update(machine, { $0.body[path: ["spec", "providerID"]] = .string(providerID) }) { machine = m }
        }
        return (true, Condition(type, .true, reason: ConditionReason.ready), infra.body[path: ["status", "addresses"]])
    }

    // MARK: Node

    private struct NodeOutcome {
        var conditions: [Condition]
        var healthy: Bool
        var message: String
        var nodeName: String?
        var nodeInfo: Value?
    }

    private func reconcileNode(_ machine: inout KubeObject, _ ctx: ReconcileContext) async throws -> NodeOutcome {
        let providerID = machine.string("spec", "providerID") ?? ""
        let hadNode = MachineState.hasNode(machine)
        var updating = Condition(ConditionType.updating, .false, reason: ConditionReason.notUpdating)
        guard let id = machine.clusterID, !providerID.isEmpty else {
            let msg = "Waiting for a Node with spec.providerID to exist"
            return NodeOutcome(conditions: [Condition(ConditionType.nodeReady, .unknown, reason: ConditionReason.nodeDoesNotExist, message: msg),
                                            Condition(ConditionType.nodeHealthy, .unknown, reason: ConditionReason.nodeDoesNotExist, message: msg), updating],
                               healthy: false, message: msg)
        }
        guard let node = WorkloadNodes(ctx: ctx).node(cluster: id, providerID: providerID), !node.isDeleting else {
            let reason = hadNode ? ConditionReason.nodeDeleted : ConditionReason.nodeDoesNotExist
            let msg = hadNode ? "Node has been deleted" : "Waiting for a Node with spec.providerID \(providerID) to exist"
            let status: Condition.Status = hadNode ? .false : .unknown
            return NodeOutcome(conditions: [Condition(ConditionType.nodeReady, status, reason: reason, message: msg),
                                            Condition(ConditionType.nodeHealthy, status, reason: reason, message: msg), updating],
                               healthy: false, message: msg, nodeName: nil)
        }
        let readyCond = node.condition("Ready")
        let nodeReady: Condition
        switch readyCond?.status {
        case .true?: nodeReady = Condition(ConditionType.nodeReady, .true, reason: ConditionReason.nodeReady)
        case .false?: nodeReady = Condition(ConditionType.nodeReady, .false, reason: ConditionReason.nodeNotReady, message: "* Node.Ready: \(readyCond!.reason)")
        default: nodeReady = Condition(ConditionType.nodeReady, .unknown, reason: "NodeReadyUnknown", message: "* Node.Ready: Unknown")
        }
        let pressure = node.conditions.filter { $0.type.hasSuffix("Pressure") && $0.status == .true }.map(\.type)
        let healthy = nodeReady.isTrue && pressure.isEmpty
        let message = healthy ? "" : ([nodeReady.isTrue ? nil : "Node.Ready is \(readyCond?.status.rawValue ?? "Unknown")"]
                                       + pressure.map { "Node.\($0) is True" }).compactMap { $0 }.joined(separator: ", ")
        let nodeHealthy = Condition(ConditionType.nodeHealthy, healthy ? .true : (readyCond?.status == .unknown ? .unknown : .false),
                                    reason: healthy ? ConditionReason.nodeHealthy : ConditionReason.nodeNotHealthy, message: message)

        // In-place update: done once the node runs the machine's version.
        if machine.annotations[CAPI.Annotation.updateInProgress] != nil {
            if node.kubeletVersion == MachineState.version(machine) && healthy {
                if let m = try await ctx.client.update(machine, { $0.annotations[CAPI.Annotation.updateInProgress] = nil }) { machine = m }
            } else {
                updating = Condition(ConditionType.updating, .true, reason: ConditionReason.inPlaceUpdating,
                                     message: "Updating Node from \(node.kubeletVersion) to \(MachineState.version(machine))")
            }
        }
        var info: ObjectMap = ["kubeletVersion": .string(node.kubeletVersion)]
        for e in node.object.body[path: ["status", "nodeInfo"]]?.mapValue ?? [:] where e.key != "kubeletVersion" { info[e.key] = e.value }
        return NodeOutcome(conditions: [nodeReady, nodeHealthy, updating], healthy: healthy && !updating.isTrue,
                           message: updating.isTrue ? updating.message : message, nodeName: node.name, nodeInfo: .map(info))
    }

    // MARK: Deletion

    private func reconcileDelete(_ machine: KubeObject, cluster: KubeObject?, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard machine.finalizers.contains(CAPI.Finalizer.machine) else { return .done }
        func deleting(_ reason: String, _ message: String) async throws -> ReconcileResult {
            try await ctx.writeStatus(machine, conditions: [Condition(ConditionType.deleting, .true, reason: reason, message: message)]) {
                $0["phase"] = "Deleting"
            }
            return .done
        }
        var waiting: [String] = []
        if let ref = ContractRef(machine.body[path: ["spec", "infrastructureRef"]]),
           let infra = try await ctx.referenced(ref, namespace: machine.namespace, role: .infrastructureMachine) {
            try await ctx.client.delete(infra)
            if ctx.cache.get(ref.groupKind, namespace: machine.namespace, name: ref.name) != nil { waiting.append(ref.kind) }
        }
        if let ref = ContractRef(machine.body[path: ["spec", "bootstrap", "configRef"]]),
           let config = try await ctx.referenced(ref, namespace: machine.namespace, role: .bootstrapConfig) {
            try await ctx.client.delete(config)
            if ctx.cache.get(ref.groupKind, namespace: machine.namespace, name: ref.name) != nil { waiting.append(ref.kind) }
        }
        if !waiting.isEmpty {
            let reason = waiting.count == 1 && waiting[0].hasSuffix("Config") ? ConditionReason.waitingForBootstrapDeletion : ConditionReason.waitingForInfrastructureDeletion
            return try await deleting(reason, "* Waiting for \(waiting.joined(separator: ", ")) to be deleted")
        }
        if let id = machine.clusterID, let nodeName = machine.string("status", "nodeRef", "name"),
           let node = WorkloadNodes(ctx: ctx).node(cluster: id, name: nodeName) {
            try await WorkloadNodes(ctx: ctx).delete(node)
        }
        try await ctx.removeFinalizer(machine, CAPI.Finalizer.machine)
        return .done
    }
}
