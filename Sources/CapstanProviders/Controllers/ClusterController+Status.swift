import CapstanCluster
import CapstanModel

extension ClusterController {
    /// Computes the Cluster status: phase, initialization, control-plane and worker summaries (with the
    /// control plane's remaining upgrade plan) and the v1beta2 conditions, `Available` last as their summary.
    func writeStatus(_ cluster: KubeObject, infra: KubeObject?, infraRef: ContractRef?, cp: KubeObject?, cpRef: ContractRef?, _ ctx: ReconcileContext) async throws {
        let id = ClusterID(namespace: cluster.namespace, name: cluster.name)
        let topology = cluster.body[path: ["spec", "topology"]] != nil
        let machines = ctx.cache.list(CAPI.Kind.machine.groupKind, cluster: id).filter { !$0.isDeleting }
        let cpMachines = machines.filter(MachineState.isControlPlane)
        let workerMachines = machines.filter { !MachineState.isControlPlane($0) && $0.labels[CAPI.Label.machinePoolName] == nil }
        let deployments = ctx.cache.list(CAPI.Kind.machineDeployment.groupKind, cluster: id).filter { !$0.isDeleting }
        let pools = ctx.cache.list(CAPI.Kind.machinePool.groupKind, cluster: id).filter { !$0.isDeleting }

        // Infrastructure.
        let infraProvisioned = infra.map(Self.provisioned) ?? (infraRef == nil && !topology)
        let infraReady: Condition
        if let infra {
            let mirrored = Conditions.get(infra, ConditionType.ready)
            infraReady = Condition(ConditionType.infrastructureReady, infraProvisioned && mirrored?.status != .false,
                                   reason: infraProvisioned ? ConditionReason.ready : (mirrored?.reason ?? ConditionReason.notReady),
                                   message: infraProvisioned ? "" : (mirrored?.message ?? "\(infra.kind) status.initialization.provisioned is false"))
        } else if let infraRef {
            infraReady = Condition(ConditionType.infrastructureReady, .false, reason: ConditionReason.objectDoesNotExist, message: "\(infraRef.kind) does not exist")
        } else if topology {
            infraReady = Condition(ConditionType.infrastructureReady, .false, reason: ConditionReason.objectDoesNotExist, message: "Waiting for cluster topology to be reconciled")
        } else {
            infraReady = Condition(ConditionType.infrastructureReady, .true, reason: ConditionReason.ready)
        }

        // Control plane.
        let cpInitialized: Bool
        if let cp {
            cpInitialized = cp.bool("status", "initialization", "controlPlaneInitialized") == true || cp.bool("status", "initialized") == true
        } else {
            cpInitialized = cpRef == nil && cpMachines.contains(where: MachineState.hasNode)
        }
        let cpInit = Condition(ConditionType.controlPlaneInitialized, cpInitialized, reason: cpInitialized ? ConditionReason.initialized : ConditionReason.notInitialized,
                               message: cpInitialized ? "" : "Control plane not yet initialized")
        let cpAvailable: Condition
        if let cp {
            if let mirrored = Conditions.get(cp, ConditionType.available) {
                cpAvailable = Condition(ConditionType.controlPlaneAvailable, mirrored.status, reason: mirrored.reason, message: mirrored.message)
            } else {
                cpAvailable = Condition(ConditionType.controlPlaneAvailable, cpInitialized, reason: cpInitialized ? ConditionReason.available : ConditionReason.notAvailable)
            }
        } else if let cpRef {
            cpAvailable = Condition(ConditionType.controlPlaneAvailable, .false, reason: ConditionReason.objectDoesNotExist, message: "\(cpRef.kind) does not exist")
        } else if topology {
            cpAvailable = Condition(ConditionType.controlPlaneAvailable, .false, reason: ConditionReason.objectDoesNotExist, message: "Waiting for cluster topology to be reconciled")
        } else {
            cpAvailable = Condition(ConditionType.controlPlaneAvailable, cpInitialized, reason: cpInitialized ? ConditionReason.available : ConditionReason.notAvailable)
        }

        // Workers (MachineDeployments, as upstream; MachinePools are reported in the worker counters).
        let unavailable = deployments.filter { !Conditions.isTrue($0, ConditionType.available) }
        let workersAvailable = deployments.isEmpty
            ? Condition(ConditionType.workersAvailable, .true, reason: ConditionReason.noWorkers)
            : Condition(ConditionType.workersAvailable, unavailable.isEmpty, reason: unavailable.isEmpty ? ConditionReason.available : ConditionReason.notAvailable,
                        message: unavailable.isEmpty ? "" : Summary.listMessage(unavailable, "not available"))

        let probe = Condition(ConditionType.remoteConnectionProbe, cpInitialized, reason: cpInitialized ? ConditionReason.probeSucceeded : ConditionReason.probeFailed,
                              message: cpInitialized ? "" : "Remote connection not established yet")

        func any(_ type: String, _ objs: [KubeObject]) -> [KubeObject] { objs.filter { Conditions.isTrue($0, type) } }
        let sources = [cp].compactMap { $0 } + deployments
        let rolling = any(ConditionType.rollingOut, sources), up = any(ConditionType.scalingUp, sources), down = any(ConditionType.scalingDown, sources)

        var conditions = [
            infraReady, cpInit, cpAvailable, workersAvailable, probe,
            Summary.machinesReady(ConditionType.controlPlaneMachinesReady, cpMachines),
            Summary.machinesReady(ConditionType.workerMachinesReady, workerMachines),
            Summary.machinesUpToDate(ConditionType.controlPlaneMachinesUpToDate, cpMachines),
            Summary.machinesUpToDate(ConditionType.workerMachinesUpToDate, workerMachines),
            Condition(ConditionType.rollingOut, !rolling.isEmpty, reason: rolling.isEmpty ? ConditionReason.notRollingOut : ConditionReason.rollingOut,
                      message: rolling.isEmpty ? "" : Summary.listMessage(rolling, "rolling out")),
            Condition(ConditionType.scalingUp, !up.isEmpty, reason: up.isEmpty ? ConditionReason.notScalingUp : ConditionReason.scalingUp,
                      message: up.isEmpty ? "" : Summary.listMessage(up, "scaling up")),
            Condition(ConditionType.scalingDown, !down.isEmpty, reason: down.isEmpty ? ConditionReason.notScalingDown : ConditionReason.scalingDown,
                      message: down.isEmpty ? "" : Summary.listMessage(down, "scaling down")),
            Summary.remediating(machines), Summary.notDeleting, Summary.paused(false),
        ]

        // Available summarises the gates (TopologyReconciled counts when present: Capstan's reconciler owns it).
        var gates = [infraReady, cpAvailable, workersAvailable, probe]
        if let topo = Conditions.get(cluster, ConditionType.topologyReconciled) { gates.append(topo) }
        let failing = gates.filter { !$0.isTrue }
        conditions.append(Condition(ConditionType.available, failing.isEmpty, reason: failing.isEmpty ? ConditionReason.available : ConditionReason.notAvailable,
                                    message: failing.map { "* \($0.type): \($0.message.isEmpty ? $0.reason : ($0.message.hasPrefix("* ") ? String($0.message.dropFirst(2)) : $0.message))" }.joined(separator: "\n")))

        let endpointValid = !(cluster.string("spec", "controlPlaneEndpoint", "host") ?? "").isEmpty
        let phase = infraProvisioned && endpointValid ? "Provisioned" : (infraRef != nil || cpRef != nil ? "Provisioning" : "Pending")

        let cpSummary = controlPlaneSummary(cp, machines: cpMachines)
        let workerSummary = workersSummary(deployments: deployments, pools: pools, machines: workerMachines)
        try await ctx.writeStatus(cluster, conditions: conditions) { status in
            status["phase"] = .string(phase)
            status["initialization"] = .map(["infrastructureProvisioned": .bool(infraProvisioned), "controlPlaneInitialized": .bool(cpInitialized)])
            status["controlPlane"] = cpSummary
            status["workers"] = workerSummary
        }
    }

    /// `status.controlPlane`: counters from the control plane object (contract fields) or its machines, the
    /// versions, and the upgrade plan still ahead (for chained upgrades).
    private func controlPlaneSummary(_ cp: KubeObject?, machines: [KubeObject]) -> Value {
        var m = ObjectMap()
        if let cp {
            if let d = cp.int("spec", "replicas") { m["desiredReplicas"] = .int(d) }
            for f in ["replicas", "upToDateReplicas", "readyReplicas", "availableReplicas"] { if let v = cp.int("status", f) { m[f] = .int(v) } }
            if let versions = cp.body[path: ["status", "versions"]], versions.listValue?.isEmpty == false { m["versions"] = versions }
            if let target = cp.string("spec", "version").flatMap(KubeVersion.init), let current = cp.string("status", "version").flatMap(KubeVersion.init) {
                let known = (cp.annotations[CAPI.Annotation.kubernetesVersions] ?? "").split(separator: ",").compactMap { KubeVersion(String($0)) }
                let plan = KubeVersion.upgradePlan(from: current, to: target, known: known)
                if !plan.isEmpty { m["upgradePlan"] = .list(plan.map { .map(["version": .string($0.description)]) }) }
            }
        } else if !machines.isEmpty {
            let counts = ReplicaCounts(machines)
            m["replicas"] = .int(Int64(counts.replicas))
            m["readyReplicas"] = .int(Int64(counts.ready))
            m["availableReplicas"] = .int(Int64(counts.available))
            m["upToDateReplicas"] = .int(Int64(counts.upToDate))
            m["versions"] = MachineState.versions(machines)
        }
        return .map(m)
    }

    /// `status.workers`: desired from deployments and pools, counters from their status.
    private func workersSummary(deployments: [KubeObject], pools: [KubeObject], machines: [KubeObject]) -> Value {
        var desired: Int64 = 0, totals: [String: Int64] = [:]
        for o in deployments + pools {
            desired += o.int("spec", "replicas") ?? 1
            for f in ["replicas", "upToDateReplicas", "readyReplicas", "availableReplicas"] { totals[f, default: 0] += o.int("status", f) ?? 0 }
        }
        var m: ObjectMap = ["desiredReplicas": .int(desired)]
        for f in ["replicas", "upToDateReplicas", "readyReplicas", "availableReplicas"] { m[f] = .int(totals[f] ?? 0) }
        let versions = MachineState.versions(machines)
        if versions.listValue?.isEmpty == false { m["versions"] = versions }
        return .map(m)
    }
}
