import CapstanModel

extension DesiredStateGenerator {
    mutating func computeMachinePools() throws(TopologyError) -> [DesiredState.MachinePool] {
        var out: [DesiredState.MachinePool] = []
        for topo in s.cluster.machinePools {
            do {
                out.append(try computeMachinePool(topo))
            } catch {
                throw error.wrapped("failed to compute MachinePool for topology \(GoQuote.quote(topo.name))")
            }
        }
        return out
    }

    /// `computeMachinePool`: bootstrap and infrastructure *objects* (template → object, owned by the Cluster),
    /// version, class-or-topology fields and metadata. MachinePools get no health check.
    mutating func computeMachinePool(_ topo: MachinePoolTopology) throws(TopologyError) -> DesiredState.MachinePool {
        let cc = s.classModel
        guard let cls = cc.machinePoolClass(named: topo.className),
              let bootstrap = s.blueprint.machinePoolBootstrap[topo.className],
              let infra = s.blueprint.machinePoolInfrastructure[topo.className] else {
            throw TopologyError("MachinePool class \(topo.className) not found in ClusterClass \(cc.namespace)/\(cc.name)",
                                origin: .cluster(["spec", "topology", "workers", "machinePools", String(topo.index), "class"]))
        }
        let current = s.current.machinePools[topo.name]
        let prefix = "\(s.clusterName)-\(topo.name)-"
        let poolLabel = [CAPI.poolNameLabel: topo.name]
        var bootstrapName = s.names.simpleName(prefix: prefix, ["machine-pool", topo.name, "bootstrap"])
        if let b = current?.bootstrap { bootstrapName = b.name }
        let bootstrapObject = TemplateClone.toObject(template: bootstrap, clonedFromName: bootstrap.name, namespace: s.namespace, clusterName: s.clusterName,
                                                     name: bootstrapName, labels: poolLabel, ownerReference: s.ownerReference)
        var infraName = s.names.simpleName(prefix: prefix, ["machine-pool", topo.name, "infrastructure"])
        if let i = current?.infrastructure { infraName = i.name }
        let infraObject = TemplateClone.toObject(template: infra, clonedFromName: infra.name, namespace: s.namespace, clusterName: s.clusterName,
                                                 name: infraName, labels: poolLabel, ownerReference: s.ownerReference)
        let deferred = Self.isDeferred(annotations: topo.annotations, name: topo.name, earlier: s.cluster.machinePools.map { ($0.name, $0.annotations) })
        var tracker = s.tracker.machinePools
        let version = try workerVersion(&tracker, topologyName: topo.name, current: current, deferred: deferred, kind: "MachinePool")
        s.tracker.machinePools = tracker

        var name = try templateName(s.context.machinePoolNaming[topo.className], kind: "MachinePool",
                                    extra: ["machinePool": .map(["topologyName": .string(topo.name)])], parts: ["machine-pool", topo.name],
                                    origin: .clusterClass(["spec", "workers", "machinePools", String(cls.index), "naming", "template"]))
        if let c = current { name = c.object.name }
        var annotations = mergeMaps(topo.metadata.annotations, cls.metadata.annotations)
        annotations?[CAPI.holdUpgradeSequenceAnnotation] = nil
        annotations?[CAPI.deferUpgradeAnnotation] = nil
        var labels = mergeMaps(topo.metadata.labels, cls.metadata.labels) ?? [:]
        labels[CAPI.clusterNameLabel] = s.clusterName
        labels[CAPI.topologyOwnedLabel] = ""
        labels[CAPI.poolNameLabel] = topo.name

        var machineSpec = ObjectMap()
        machineSpec["clusterName"] = .string(s.clusterName)
        machineSpec["bootstrap"] = .map(["configRef": contractRef(bootstrapObject)])
        machineSpec["infrastructureRef"] = contractRef(infraObject)
        machineSpec["version"] = .string(version)
        if let m = topo.minReadySeconds ?? cls.minReadySeconds { machineSpec["minReadySeconds"] = m }
        let deletion = deletionSeconds(topo.deletion, cls.deletion)
        if !deletion.isEmpty { machineSpec["deletion"] = .map(deletion) }
        if let t = topo.taints ?? cls.taints, !(t.listValue?.isEmpty ?? false) { machineSpec["taints"] = t }
        var templateMeta = ObjectMap()
        templateMeta["labels"] = stringMapValue(labels)
        if let a = annotations, !a.isEmpty { templateMeta["annotations"] = stringMapValue(a) }

        var spec = ObjectMap()
        spec["clusterName"] = .string(s.clusterName)
        if let r = topo.replicas { spec["replicas"] = .int(r) }
        spec["template"] = .map(["metadata": .map(templateMeta), "spec": .map(machineSpec)])
        if let f = topo.failureDomains ?? cls.failureDomains, !(f.listValue?.isEmpty ?? false) { spec["failureDomains"] = f }
        var meta = ObjectMap()
        meta["name"] = .string(name)
        meta["namespace"] = .string(s.namespace)
        meta["labels"] = stringMapValue(labels)
        if let a = annotations, !a.isEmpty { meta["annotations"] = stringMapValue(a) }
        let mp = KubeObject(.map(["apiVersion": .string(CAPI.apiVersion), "kind": "MachinePool", "metadata": .map(meta), "spec": .map(spec)]))
        return DesiredState.MachinePool(topology: topo, object: mp, bootstrapObject: bootstrapObject, infrastructureObject: infraObject)
    }
}
