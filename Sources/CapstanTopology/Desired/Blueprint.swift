import CapstanModel

/// A ClusterClass with its templates fetched (core/reconcilers/topology/cluster/blueprint.go). Templates
/// come from the fleet, or from the live state when Git does not carry them, always from the
/// ClusterClass namespace and at the apiVersion the class names.
struct Blueprint: Sendable {
    var infrastructureClusterTemplate: KubeObject
    var controlPlaneTemplate: KubeObject
    var controlPlaneMachineTemplate: KubeObject?
    var machineDeploymentBootstrap: [String: KubeObject] = [:]
    var machineDeploymentInfrastructure: [String: KubeObject] = [:]
    var machinePoolBootstrap: [String: KubeObject] = [:]
    var machinePoolInfrastructure: [String: KubeObject] = [:]

    static func load(_ cc: ClusterClassModel, fleet: FleetIndex, live: any LiveState) throws(TopologyError) -> Blueprint {
        let ccName = "ClusterClass \(cc.namespace)/\(cc.name)"
        func fetch(_ ref: TemplateRef?, _ what: String, _ pointer: [String], _ suffix: String = "") throws(TopologyError) -> KubeObject {
            do {
                return try fetchTemplate(ref, namespace: cc.namespace, fleet: fleet, live: live)
            } catch {
                throw TopologyError("failed to get \(what) for \(ccName)\(suffix): \(error.message)", origin: error.origin ?? .clusterClass(pointer))
            }
        }
        var bp = Blueprint(
            infrastructureClusterTemplate: try fetch(cc.infrastructure, "infrastructure cluster template", ["spec", "infrastructure"]),
            controlPlaneTemplate: try fetch(cc.controlPlane, "control plane template", ["spec", "controlPlane"]))
        if cc.hasControlPlaneInfrastructureMachine {
            bp.controlPlaneMachineTemplate = try fetch(cc.controlPlaneMachineInfrastructure, "control plane's machine template", ["spec", "controlPlane", "machineInfrastructure"])
        }
        for md in cc.machineDeploymentClasses {
            let p = ["spec", "workers", "machineDeployments", String(md.index)]
            let suffix = ", MachineDeployment class \(GoQuote.quote(md.className))"
            bp.machineDeploymentInfrastructure[md.className] = try fetch(md.infrastructure, "infrastructure machine template", p, suffix)
            bp.machineDeploymentBootstrap[md.className] = try fetch(md.bootstrap, "bootstrap config template", p, suffix)
        }
        for mp in cc.machinePoolClasses {
            let p = ["spec", "workers", "machinePools", String(mp.index)]
            let suffix = ", MachinePool class \(GoQuote.quote(mp.className))"
            bp.machinePoolInfrastructure[mp.className] = try fetch(mp.infrastructure, "InfrastructureMachinePoolTemplate", p, suffix)
            bp.machinePoolBootstrap[mp.className] = try fetch(mp.bootstrap, "bootstrap config", p, suffix)
        }
        return bp
    }

    static func fetchTemplate(_ ref: TemplateRef?, namespace: String, fleet: FleetIndex, live: any LiveState) throws(TopologyError) -> KubeObject {
        guard let ref, ref.isDefined else { throw TopologyError("reference is not set") }
        let gvk = ref.gvk
        let key = ObjectKey(group: gvk.group, kind: gvk.kind, namespace: namespace, name: ref.name)
        let found = fleet.source(key)?.object ?? live.object(key)
        guard let obj = found else {
            throw TopologyError("failed to retrieve \(ref.kind) \(namespace)/\(ref.name): not found in the fleet or the live state")
        }
        if obj.apiVersion != ref.apiVersion {
            throw TopologyError("failed to retrieve \(ref.kind) \(namespace)/\(ref.name): the ClusterClass references apiVersion \(ref.apiVersion) but the object is at \(obj.apiVersion) (a renderer cannot convert provider types; update the reference)",
                                origin: .object(key, ["apiVersion"]))
        }
        return obj
    }
}
