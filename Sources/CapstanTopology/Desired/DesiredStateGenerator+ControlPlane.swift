import CapstanModel

extension DesiredStateGenerator {
    /// `computeInfrastructureCluster`: template → object, no extra metadata; live name wins.
    func computeInfrastructureCluster() throws(TopologyError) -> KubeObject {
        let cc = s.classModel
        let template = s.blueprint.infrastructureClusterTemplate
        var name = try templateName(s.context.infrastructureNaming, kind: String(template.kind.dropLast(CAPI.templateSuffix.count)),
                                    extra: [:], parts: ["infrastructure-cluster"], origin: .clusterClass(["spec", "infrastructure", "naming", "template"]))
        let current = liveClusterRefName("infrastructureRef")
        if !current.isEmpty { name = current }
        var obj = TemplateClone.toObject(template: template, clonedFromName: cc.infrastructure?.name ?? template.name,
                                         namespace: s.namespace, clusterName: s.clusterName, name: name)
        if let shim = shimOwnerReference(s.current.infrastructureCluster) { obj.body[path: ["metadata", "ownerReferences"]] = .list([shim]) }
        return obj
    }

    /// `computeControlPlaneInfrastructureMachineTemplate`: template → template, prefix `<cluster>-`.
    func computeControlPlaneMachineTemplate() throws(TopologyError) -> KubeObject {
        guard let template = s.blueprint.controlPlaneMachineTemplate else { throw TopologyError("control plane machine template is not set") }
        var name = s.names.simpleName(prefix: "\(s.clusterName)-", ["control-plane-machine-template"])
        if let cp = s.current.controlPlane, let ref = s.contract.infrastructureRef(in: cp), !ref.name.isEmpty { name = ref.name }
        return TemplateClone.toTemplate(template: template, clonedFromName: s.classModel.controlPlaneMachineInfrastructure?.name ?? template.name,
                                        namespace: s.namespace, clusterName: s.clusterName, name: name, ownerReference: s.ownerReference)
    }

    /// `computeControlPlane`: metadata, machine template ref and metadata, replicas, rollout, gates, taints,
    /// timeouts (per contract), then the version.
    mutating func computeControlPlane(machineTemplate: KubeObject?) throws(TopologyError) -> KubeObject {
        let cc = s.classModel
        let topo = s.cluster.controlPlane
        let template = s.blueprint.controlPlaneTemplate
        var labels = mergeMaps(topo.metadata.labels, cc.controlPlaneMetadata.labels) ?? [:]
        labels[CAPI.clusterNameLabel] = s.clusterName
        labels[CAPI.topologyOwnedLabel] = ""
        let annotations = mergeMaps(topo.metadata.annotations, cc.controlPlaneMetadata.annotations)
        var name: String
        do {
            name = try templateName(s.context.controlPlaneNaming, kind: String(template.kind.dropLast(CAPI.templateSuffix.count)),
                                    extra: [:], parts: ["control-plane"], origin: .clusterClass(["spec", "controlPlane", "naming", "template"]))
        } catch {
            throw error.wrapped("failed to compute ControlPlane")
        }
        let current = liveClusterRefName("controlPlaneRef")
        if !current.isEmpty { name = current }
        var cp = TemplateClone.toObject(template: template, clonedFromName: cc.controlPlane?.name ?? template.name, namespace: s.namespace,
                                        clusterName: s.clusterName, name: name, labels: labels, annotations: annotations)
        if let shim = shimOwnerReference(s.current.controlPlane) { cp.body[path: ["metadata", "ownerReferences"]] = .list([shim]) }
        let contract = s.contract
        if let mt = machineTemplate {
            setMachineTemplateRef(&cp, mt, contract)
            var meta = cp.body[path: ControlPlaneContract.machineTemplateMetadataPath] ?? .map([:])
            meta["labels"] = stringMapValue(mergeMaps(labels, Metadata.stringMap(meta["labels"])))
            meta["annotations"] = stringMapValue(mergeMaps(annotations, Metadata.stringMap(meta["annotations"])))
            cp.body[path: ControlPlaneContract.machineTemplateMetadataPath] = meta
        }
        if let r = topo.replicas { cp.body[path: ["spec", "replicas"]] = .int(r) }
        if let after = topo.rolloutAfter { cp.body[path: ["spec", "rollout", "after"]] = .string(after) }
        if let gates = topo.readinessGates ?? cc.controlPlaneReadinessGates { cp.body[path: contract.readinessGatesPath] = gates }
        if let taints = topo.taints ?? cc.controlPlaneTaints { cp.body[path: contract.taintsPath] = taints }
        for key in DeletionTimeouts.keys {
            guard let secs = topo.deletion.seconds[key] ?? cc.controlPlaneDeletion.seconds[key] else { continue }
            cp.body[path: contract.timeoutPath(key)] = contract == .v1beta1 ? .string(GoDuration.format(seconds: secs)) : .int(secs)
        }
        let version: String
        do {
            version = try computeControlPlaneVersion()
        } catch {
            throw error.wrapped("failed to compute version of ControlPlane").wrapped("failed to compute ControlPlane")
        }
        cp.body[path: ["spec", "version"]] = .string(version)
        return cp
    }

    /// Points the control plane at its machine template: `{apiGroup, kind, name}` (v1beta2) or an
    /// ObjectReference keeping a live apiVersion of the same group and kind (v1beta1).
    func setMachineTemplateRef(_ cp: inout KubeObject, _ mt: KubeObject, _ contract: ControlPlaneContract) {
        let gvk = mt.gvk
        switch contract {
        case .v1beta2:
            cp.body[path: contract.infrastructureRefPath] = .map(["apiGroup": .string(gvk.group), "kind": .string(gvk.kind), "name": .string(mt.name)])
        case .v1beta1:
            var apiVersion = mt.apiVersion
            if let live = s.current.controlPlane, let ref = live.body[path: contract.infrastructureRefPath],
               let liveAPIVersion = ref["apiVersion"]?.stringValue,
               GroupVersionKind(apiVersion: liveAPIVersion, kind: gvk.kind).group == gvk.group, ref["kind"]?.stringValue == gvk.kind {
                apiVersion = liveAPIVersion
            }
            cp.body[path: contract.infrastructureRefPath] = .map([
                "apiVersion": .string(apiVersion), "kind": .string(gvk.kind), "name": .string(mt.name), "namespace": .string(mt.namespace),
            ])
        }
    }
}
