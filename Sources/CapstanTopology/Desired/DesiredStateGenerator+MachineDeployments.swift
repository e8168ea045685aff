import CapstanModel

extension DesiredStateGenerator {
    mutating func computeMachineDeployments() throws(TopologyError) -> [DesiredState.MachineDeployment] {
        var out: [DesiredState.MachineDeployment] = []
        for topo in s.cluster.machineDeployments {
            do {
                out.append(try computeMachineDeployment(topo))
            } catch {
                throw error.wrapped("failed to compute MachineDepoyment for topology \(GoQuote.quote(topo.name))")
            }
        }
        return out
    }

    /// `computeMachineDeployment`: template clones, version, class-or-topology fields, metadata, selector, MHC.
    mutating func computeMachineDeployment(_ topo: MachineDeploymentTopology) throws(TopologyError) -> DesiredState.MachineDeployment {
        let cc = s.classModel
        let origin = ErrorOrigin.cluster(["spec", "topology", "workers", "machineDeployments", String(topo.index), "class"])
        guard let cls = cc.machineDeploymentClass(named: topo.className),
              let bootstrap = s.blueprint.machineDeploymentBootstrap[topo.className],
              let infra = s.blueprint.machineDeploymentInfrastructure[topo.className] else {
            throw TopologyError("MachineDeployment class \(topo.className) not found in ClusterClass \(cc.namespace)/\(cc.name)", origin: origin)
        }
        let current = s.current.machineDeployments[topo.name]
        let prefix = "\(s.clusterName)-\(topo.name)-"
        let extraLabels = [CAPI.deploymentNameLabel: topo.name]
        var bootstrapName = s.names.simpleName(prefix: prefix, ["machine-deployment", topo.name, "bootstrap"])
        if let b = current?.bootstrap { bootstrapName = b.name }
        let bootstrapClone = TemplateClone.toTemplate(template: bootstrap, clonedFromName: bootstrap.name, namespace: s.namespace,
                                                      clusterName: s.clusterName, name: bootstrapName, extraLabels: extraLabels, ownerReference: s.ownerReference)
        var infraName = s.names.simpleName(prefix: prefix, ["machine-deployment", topo.name, "infrastructure"])
        if let i = current?.infrastructure { infraName = i.name }
        let infraClone = TemplateClone.toTemplate(template: infra, clonedFromName: infra.name, namespace: s.namespace,
                                                  clusterName: s.clusterName, name: infraName, extraLabels: extraLabels, ownerReference: s.ownerReference)
        let deferred = Self.isDeferred(annotations: topo.annotations, name: topo.name,
                                       earlier: s.cluster.machineDeployments.map { ($0.name, $0.annotations) })
        var tracker = s.tracker.machineDeployments
        let version = try workerVersion(&tracker, topologyName: topo.name, current: current, deferred: deferred, kind: "MachineDeployment")
        s.tracker.machineDeployments = tracker

        var name = try templateName(s.context.machineDeploymentNaming[topo.className], kind: "MachineDeployment",
                                    extra: ["machineDeployment": .map(["topologyName": .string(topo.name)])],
                                    parts: ["machine-deployment", topo.name],
                                    origin: .clusterClass(["spec", "workers", "machineDeployments", String(cls.index), "naming", "template"]))
        if let c = current { name = c.object.name }
        var annotations = mergeMaps(topo.metadata.annotations, cls.metadata.annotations)
        annotations?[CAPI.holdUpgradeSequenceAnnotation] = nil
        annotations?[CAPI.deferUpgradeAnnotation] = nil
        if annotations?.isEmpty == true { annotations = [:] }
        var labels = mergeMaps(topo.metadata.labels, cls.metadata.labels) ?? [:]
        labels[CAPI.clusterNameLabel] = s.clusterName
        labels[CAPI.topologyOwnedLabel] = ""
        labels[CAPI.deploymentNameLabel] = topo.name
        let selector: [String: String] = [CAPI.clusterNameLabel: s.clusterName, CAPI.topologyOwnedLabel: "", CAPI.deploymentNameLabel: topo.name]

        var machineSpec = ObjectMap()
        machineSpec["clusterName"] = .string(s.clusterName)
        machineSpec["bootstrap"] = .map(["configRef": contractRef(bootstrapClone)])
        machineSpec["infrastructureRef"] = contractRef(infraClone)
        machineSpec["version"] = .string(version)
        let failureDomain = topo.failureDomain.isEmpty ? cls.failureDomain : topo.failureDomain
        if !failureDomain.isEmpty { machineSpec["failureDomain"] = .string(failureDomain) }
        if let m = topo.minReadySeconds ?? cls.minReadySeconds { machineSpec["minReadySeconds"] = m }
        if let g = topo.readinessGates ?? cls.readinessGates, !(g.listValue?.isEmpty ?? false) { machineSpec["readinessGates"] = g }
        let deletion = deletionSeconds(topo.deletion, cls.deletion)
        if !deletion.isEmpty { machineSpec["deletion"] = .map(deletion) }
        if let t = topo.taints ?? cls.taints, !(t.listValue?.isEmpty ?? false) { machineSpec["taints"] = t }

        var template = ObjectMap()
        var templateMeta = ObjectMap()
        templateMeta["labels"] = stringMapValue(labels)
        if let a = annotations, !a.isEmpty { templateMeta["annotations"] = stringMapValue(a) }
        template["metadata"] = .map(templateMeta)
        template["spec"] = .map(machineSpec)

        var spec = ObjectMap()
        spec["clusterName"] = .string(s.clusterName)
        if let r = topo.replicas { spec["replicas"] = .int(r) }
        if let rollout = machineDeploymentRollout(topo, cls) { spec["rollout"] = rollout }
        spec["selector"] = .map(["matchLabels": stringMapValue(selector)!])
        spec["template"] = .map(template)
        if let m = topo.healthCheck.maxInFlight ?? cls.healthCheck.maxInFlight { spec["remediation"] = .map(["maxInFlight": m]) }
        let order = topo.deletionOrder.isEmpty ? cls.deletionOrder : topo.deletionOrder
        if !order.isEmpty { spec["deletion"] = .map(["order": .string(order)]) }

        var meta = ObjectMap()
        meta["name"] = .string(name)
        meta["namespace"] = .string(s.namespace)
        meta["labels"] = stringMapValue(labels)
        if let a = annotations, !a.isEmpty { meta["annotations"] = stringMapValue(a) }
        let md = KubeObject(.map(["apiVersion": .string(CAPI.apiVersion), "kind": "MachineDeployment", "metadata": .map(meta), "spec": .map(spec)]))

        var hc: KubeObject?
        if cls.healthCheck.isDefined || topo.healthCheck.isDefined, topo.healthCheck.enabled ?? true {
            let source = topo.healthCheck.isDefined ? topo.healthCheck : cls.healthCheck
            hc = machineHealthCheck(target: md, selector: [CAPI.topologyOwnedLabel: "", CAPI.deploymentNameLabel: topo.name],
                                    checks: source.checks, remediation: source.remediation)
        }
        return DesiredState.MachineDeployment(topology: topo, object: md, bootstrapTemplate: bootstrapClone, infrastructureTemplate: infraClone, healthCheck: hc)
    }

    /// Each timeout independently: topology value if set, else class value.
    func deletionSeconds(_ topo: DeletionTimeouts, _ cls: DeletionTimeouts) -> ObjectMap {
        var out = ObjectMap()
        for k in DeletionTimeouts.keys { if let v = topo.seconds[k] ?? cls.seconds[k] { out[k] = .int(v) } }
        return out
    }

    /// A non-empty topology `rollout` replaces the class rollout strategy as a whole.
    func machineDeploymentRollout(_ topo: MachineDeploymentTopology, _ cls: MachineDeploymentClass) -> Value? {
        if let r = topo.rollout, !r.isZeroStruct { return r }
        if let r = cls.rollout, !r.isZeroStruct {
            guard let strategy = r.member("strategy"), !strategy.isZeroStruct else { return nil }
            return .map(["strategy": strategy])
        }
        return nil
    }
}
