import CapstanCluster
import CapstanModel

extension KubeadmControlPlaneController {
    /// Writes the KubeadmControlPlane status: replica counters, `version` (the lowest machine version, so a
    /// chained upgrade shows each step), `versions`, initialization, selector and the v1beta2 conditions.
    func writeStatus(
        _ kcp: KubeObject, cluster: KubeObject, obs: Observation, desired: Int, configHash: String, template: ContractRef?, _ ctx: ReconcileContext
    ) async throws {
        let active = obs.machines.filter { !$0.isDeleting }
        let counts = ReplicaCounts(active)
        let ready = active.filter(MachineState.isReady)
        let quorum = active.isEmpty ? 1 : active.count / 2 + 1
        let available = obs.initialized && ready.count >= quorum
        let lowest = active.compactMap { KubeVersion(MachineState.effectiveVersion($0)) }.min()
        let notUpToDate = active.filter { !Conditions.isTrue($0, ConditionType.upToDate) }
        let inPlace = active.filter { $0.annotations[CAPI.Annotation.updateInProgress] != nil }

        var rolling = ""
        if !notUpToDate.isEmpty || !inPlace.isEmpty {
            let remaining = obs.plan.map(\.description)
            rolling = remaining.count > 1
                ? "Rolling out \(obs.step) (upgrade to \(obs.target) through \(remaining.dropLast().joined(separator: ", ")))"
                : "Rolling out \(notUpToDate.count) not up-to-date replicas"
        }
        let etcdMessage = ready.count == active.count ? "" : "* \(active.count - ready.count) of \(active.count) etcd members not healthy"
        var conditions = [
            Condition(ConditionType.available, available, reason: available ? ConditionReason.available : ConditionReason.notAvailable,
                      message: available ? "" : (obs.initialized ? "* \(ready.count) of \(active.count) control plane machines ready, \(quorum) required for etcd quorum" : "Control plane not yet initialized")),
            Condition(ConditionType.initialized, obs.initialized, reason: obs.initialized ? ConditionReason.initialized : ConditionReason.notInitialized,
                      message: obs.initialized ? "" : obs.waiting),
            Condition(ConditionType.certificatesAvailable, .true, reason: ConditionReason.available),
            Condition(ConditionType.etcdClusterHealthy, active.isEmpty ? .unknown : Condition.Status(ready.count == active.count),
                      reason: active.isEmpty ? "HealthUnknown" : (ready.count == active.count ? ConditionReason.healthy : ConditionReason.notHealthy), message: etcdMessage),
            Condition(ConditionType.controlPlaneComponentsHealthy, active.isEmpty ? .unknown : Condition.Status(ready.count == active.count),
                      reason: active.isEmpty ? "HealthUnknown" : (ready.count == active.count ? ConditionReason.healthy : ConditionReason.notHealthy), message: etcdMessage),
            Summary.machinesReady(ConditionType.machinesReady, active),
            Summary.machinesUpToDate(ConditionType.machinesUpToDate, active),
            Condition(ConditionType.rollingOut, !rolling.isEmpty, reason: rolling.isEmpty ? ConditionReason.notRollingOut : ConditionReason.rollingOut, message: rolling),
            Condition(ConditionType.scalingUp, active.count < desired || !obs.scaling.up.isEmpty,
                      reason: active.count < desired || !obs.scaling.up.isEmpty ? ConditionReason.scalingUp : ConditionReason.notScalingUp,
                      message: obs.scaling.up.isEmpty ? (active.count < desired ? "Scaling up from \(active.count) to \(desired) replicas\(obs.waiting.isEmpty ? "" : "; \(obs.waiting)")" : "") : obs.scaling.up),
            Condition(ConditionType.scalingDown, active.count > desired || !obs.scaling.down.isEmpty,
                      reason: active.count > desired || !obs.scaling.down.isEmpty ? ConditionReason.scalingDown : ConditionReason.notScalingDown,
                      message: obs.scaling.down),
            Summary.remediating(active), Summary.notDeleting, Summary.paused(false),
        ]
        if desired == 0 && active.isEmpty { conditions[5] = Condition(ConditionType.machinesReady, .true, reason: ConditionReason.noReplicas) }
        let selector = "\(CAPI.Label.clusterName)=\(cluster.name),\(CAPI.Label.controlPlaneName)=\(MachineTemplate.labelValue(kcp.name))"
        try await ctx.writeStatus(kcp, conditions: conditions) { status in
            status["replicas"] = .int(Int64(obs.machines.count))
            status["readyReplicas"] = .int(Int64(counts.ready))
            status["availableReplicas"] = .int(Int64(counts.available))
            status["upToDateReplicas"] = .int(Int64(counts.upToDate))
            status["selector"] = .string(selector)
            if let lowest { status["version"] = .string(lowest.description) }
            status["versions"] = MachineState.versions(active)
            var initialization = status["initialization"]?.mapValue ?? [:]
            if obs.initialized { initialization["controlPlaneInitialized"] = true }
            status["initialization"] = initialization.isEmpty ? nil : .map(initialization)
        }
    }
}
