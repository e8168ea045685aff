import CapstanModel

extension DesiredStateGenerator {
    /// `computeCluster`: the Cluster from Git with topology labels, refs to the desired InfrastructureCluster
    /// and ControlPlane, and the upgrade-step annotation while an upgrade plan is in progress.
    func computeCluster(infrastructureCluster: KubeObject, controlPlane: KubeObject) throws(TopologyError) -> KubeObject {
        var c = s.cluster.object
        c.body["status"] = nil
        var labels = c.labels
        labels[CAPI.clusterNameLabel] = s.clusterName
        labels[CAPI.topologyOwnedLabel] = ""
        c.labels = labels
        c.body[path: ["spec", "infrastructureRef"]] = contractRef(infrastructureCluster)
        c.body[path: ["spec", "controlPlaneRef"]] = contractRef(controlPlane)
        var annotations = c.annotations
        let t = s.tracker
        if !t.controlPlane.upgradePlan.isEmpty || !t.machineDeployments.upgradePlan.isEmpty || !t.machinePools.upgradePlan.isEmpty {
            annotations[CAPI.upgradeStepAnnotation] = controlPlane.body[path: ["spec", "version"]]?.stringValue ?? ""
        } else {
            annotations[CAPI.upgradeStepAnnotation] = nil
        }
        c.annotations = annotations
        return c
    }

    /// `ObjToContractVersionedObjectReference`: `{apiGroup, kind, name}`.
    func contractRef(_ o: KubeObject) -> Value {
        .map(["apiGroup": .string(o.gvk.group), "kind": .string(o.kind), "name": .string(o.name)])
    }

    /// The control plane health check is enabled iff the class has machine infrastructure, a health check
    /// is defined in the class or the topology, and the topology does not set `enabled: false`.
    var isControlPlaneHealthCheckEnabled: Bool {
        guard s.classModel.hasControlPlaneInfrastructureMachine else { return false }
        let topo = s.cluster.controlPlane.healthCheck
        guard s.classModel.controlPlaneHealthCheck.isDefined || topo.isDefined else { return false }
        return topo.enabled ?? true
    }

    /// The topology health check as a whole when defined, else the class one.
    var controlPlaneHealthCheck: HealthCheck {
        s.cluster.controlPlane.healthCheck.isDefined ? s.cluster.controlPlane.healthCheck : s.classModel.controlPlaneHealthCheck
    }

    /// `computeMachineHealthCheck` followed by the MachineHealthCheck defaulting webhook. Remediation keeps
    /// only `triggerIf` and `templateRef` (`maxInFlight` belongs to the MachineDeployment).
    func machineHealthCheck(target: KubeObject, selector: [String: String], checks: Value?, remediation: Value?) -> KubeObject {
        var checksMap = checks?.mapValue ?? ObjectMap()
        if checksMap["nodeStartupTimeoutSeconds"] == nil {
            var reordered = ObjectMap()
            reordered["nodeStartupTimeoutSeconds"] = .int(CAPI.defaultNodeStartupTimeoutSeconds)
            for e in checksMap { reordered[e.key] = e.value }
            checksMap = reordered
        }
        var rem = ObjectMap()
        if let t = remediation?.member("triggerIf"), !t.isZeroStruct { rem["triggerIf"] = t }
        if let t = remediation?.member("templateRef"), !t.isZeroStruct { rem["templateRef"] = t }
        var spec = ObjectMap()
        spec["clusterName"] = .string(s.clusterName)
        spec["selector"] = .map(["matchLabels": stringMapValue(selector) ?? .map([:])])
        spec["checks"] = .map(checksMap)
        if !rem.isEmpty { spec["remediation"] = .map(rem) }
        let meta: ObjectMap = [
            "name": .string(target.name),
            "namespace": .string(target.namespace),
            "labels": stringMapValue([CAPI.clusterNameLabel: s.clusterName, CAPI.topologyOwnedLabel: ""])!,
            "ownerReferences": .list([s.ownerReference]),
        ]
        return KubeObject(.map(["apiVersion": .string(CAPI.apiVersion), "kind": "MachineHealthCheck", "metadata": .map(meta), "spec": .map(spec)]))
    }
}
