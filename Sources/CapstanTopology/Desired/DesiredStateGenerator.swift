import CapstanModel

/// Computes the desired state of one Cluster topology (exp/topology/desiredstate/desired_state.go
/// `Generate`), step by step; each step lives in its own `DesiredStateGenerator+*.swift` file.
struct DesiredStateGenerator {
    var s: RenderScope

    mutating func generate() throws(TopologyError) -> DesiredState {
        var d = DesiredState()
        d.infrastructureCluster = try wrap("failed to compute InfrastructureCluster") { () throws(TopologyError) in try computeInfrastructureCluster() }
        if s.classModel.hasControlPlaneInfrastructureMachine {
            d.controlPlaneMachineTemplate = try wrap("failed to compute ControlPlane InfrastructureMachineTemplate") { () throws(TopologyError) in
                try computeControlPlaneMachineTemplate()
            }
        }
        try computeUpgradePlan()
        do {
            s.tracker.machineDeployments.upgrading.formUnion(try s.current.upgradingMachineDeployments(s.live))
        } catch {
            throw error.wrapped("failed to check if any MachineDeployment is upgrading")
        }
        d.controlPlane = try computeControlPlane(machineTemplate: d.controlPlaneMachineTemplate)
        if isControlPlaneHealthCheckEnabled {
            let hc = controlPlaneHealthCheck
            d.controlPlaneHealthCheck = machineHealthCheck(
                target: d.controlPlane, selector: [CAPI.topologyOwnedLabel: "", CAPI.controlPlaneLabel: ""], checks: hc.checks, remediation: hc.remediation)
        }
        d.cluster = try wrap("failed to compute Cluster") { () throws(TopologyError) in
            try computeCluster(infrastructureCluster: d.infrastructureCluster, controlPlane: d.controlPlane)
        }
        if !s.cluster.machineDeployments.isEmpty {
            d.machineDeployments = try wrap("failed to compute MachineDeployments") { () throws(TopologyError) in try computeMachineDeployments() }
        }
        if !s.cluster.machinePools.isEmpty {
            d.machinePools = try wrap("failed to compute MachinePools") { () throws(TopologyError) in try computeMachinePools() }
        }
        return d
    }

    func wrap<T>(_ prefix: String, _ body: () throws(TopologyError) -> T) throws(TopologyError) -> T {
        do { return try body() } catch { throw error.wrapped(prefix) }
    }

    /// Generates a name from a parsed naming template, wrapping failures as upstream does.
    func templateName(_ naming: ClassContext.ParsedNaming?, kind: String, extra: ObjectMap, parts: [String], origin: ErrorOrigin?) throws(TopologyError) -> String {
        guard let naming else { throw TopologyError("failed to generate name for \(kind): no naming template") }
        switch naming {
        case .failure(let e):
            throw TopologyError("failed to generate name for \(kind): \(e.message)", origin: origin)
        case .success(let t):
            do {
                return try s.names.templateName(t, extra: extra, parts)
            } catch {
                throw TopologyError("failed to generate name for \(kind): rendering template: \(error.message)", origin: origin)
            }
        }
    }

    /// A live ref's name (`Cluster.spec.infrastructureRef.name` etc.), empty when unset.
    func liveClusterRefName(_ field: String) -> String {
        s.liveCluster?.body[path: ["spec", field, "name"]]?.stringValue ?? ""
    }

    /// The shim owner reference carried over from a live object (`getOwnerReferenceFrom`).
    func shimOwnerReference(_ live: KubeObject?) -> Value? {
        guard let live else { return nil }
        let shim = "\(s.clusterName)-shim"
        return live.body[path: ["metadata", "ownerReferences"]]?.listValue?.first {
            $0["kind"]?.stringValue == "Secret" && $0["name"]?.stringValue == shim
        }
    }
}
