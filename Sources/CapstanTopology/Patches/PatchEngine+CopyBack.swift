import CapstanModel

extension PatchEngine {
    /// `updateDesiredState`: patched snapshots back into the desired objects; fields the generator set
    /// explicitly (control-plane version, replicas, machine template, topology labels, cloned-from
    /// annotations) survive as they were before patching.
    func updateDesiredState(_ d: inout DesiredState, _ items: [PatchItem]) {
        let standard = CopyFields.standardPreserved
        // An item no patch touched holds exactly what the desired object was built from: nothing to copy.
        for item in items where item.patched {
            switch item.role {
            case .infrastructureCluster:
                CopyFields.copy(into: &d.infrastructureCluster.body, from: item.object, fields: CopyFields.objectFields, preserving: standard)
            case .controlPlane:
                CopyFields.copy(into: &d.controlPlane.body, from: item.object, fields: CopyFields.objectFields,
                                preserving: ControlPlaneContract.preservedPaths + standard)
            case .controlPlaneMachineTemplate:
                guard var t = d.controlPlaneMachineTemplate else { continue }
                CopyFields.copy(into: &t.body, from: item.object, fields: CopyFields.templateFields, preserving: standard)
                d.controlPlaneMachineTemplate = t
            case .machineDeploymentBootstrap(let i):
                CopyFields.copy(into: &d.machineDeployments[i].bootstrapTemplate.body, from: item.object, fields: CopyFields.templateFields, preserving: standard)
            case .machineDeploymentInfrastructure(let i):
                CopyFields.copy(into: &d.machineDeployments[i].infrastructureTemplate.body, from: item.object, fields: CopyFields.templateFields, preserving: standard)
            case .machinePoolBootstrap(let i):
                CopyFields.copy(into: &d.machinePools[i].bootstrapObject.body, from: item.object, fields: CopyFields.objectFields, preserving: standard)
            case .machinePoolInfrastructure(let i):
                CopyFields.copy(into: &d.machinePools[i].infrastructureObject.body, from: item.object, fields: CopyFields.objectFields, preserving: standard)
            }
        }
    }
}
