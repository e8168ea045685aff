import CapstanModel

/// The `builtin` variable tree (core/reconcilers/topology/cluster/patches/variables/variables.go), built the
/// way Go marshals the hook types: struct field order, absent optional fields omitted, maps key-sorted.
enum BuiltinVariables {
    /// Paths admission accepts in `valueFrom.variable` (patch_validation.go `builtinVariables`).
    static let admissionPaths: Set<String> = {
        var s: Set<String> = ["builtin", "builtin.cluster", "builtin.cluster.name", "builtin.cluster.namespace", "builtin.cluster.uid",
            "builtin.cluster.metadata.labels", "builtin.cluster.metadata.annotations", "builtin.cluster.topology",
            "builtin.cluster.topology.classRef.name", "builtin.cluster.topology.classRef.namespace", "builtin.cluster.topology.class",
            "builtin.cluster.topology.classNamespace", "builtin.cluster.topology.version", "builtin.cluster.network",
            "builtin.cluster.network.serviceDomain", "builtin.cluster.network.services", "builtin.cluster.network.pods",
            "builtin.controlPlane", "builtin.controlPlane.name", "builtin.controlPlane.replicas", "builtin.controlPlane.version",
            "builtin.controlPlane.metadata.labels", "builtin.controlPlane.metadata.annotations",
            "builtin.controlPlane.machineTemplate.infrastructureRef.name"]
        for w in ["machineDeployment", "machinePool"] {
            for f in ["", ".class", ".name", ".replicas", ".topologyName", ".version", ".metadata.labels", ".metadata.annotations",
                      ".bootstrap.configRef.name", ".infrastructureRef.name"] {
                s.insert("builtin.\(w)\(f)")
            }
        }
        return s
    }()

    /// `cleanupAnnotations`: without kubectl's last-applied and the conversion-data annotation.
    static func cleanAnnotations(_ a: [String: String]?) -> [String: String]? {
        guard var a else { return nil }
        a[CAPI.lastAppliedAnnotation] = nil
        a[CAPI.conversionDataAnnotation] = nil
        return a
    }

    /// `ObjectMeta{labels, annotations}` or nil when the object has neither map.
    static func metadata(_ o: KubeObject) -> Value? {
        let labels = Metadata.stringMap(o.body[path: ["metadata", "labels"]])
        let annotations = Metadata.stringMap(o.body[path: ["metadata", "annotations"]])
        if labels == nil && annotations == nil { return nil }
        var m = ObjectMap()
        if let l = labels, !l.isEmpty { m["labels"] = stringMapValue(l) }
        if let a = cleanAnnotations(annotations), !a.isEmpty { m["annotations"] = stringMapValue(a) }
        return .map(m)
    }

    static func string(_ s: String) -> Value? { s.isEmpty ? nil : .string(s) }

    /// `builtin.cluster` for the desired Cluster.
    static func cluster(_ c: ClusterModel, desired: KubeObject, uid: String?) -> Value {
        var m = ObjectMap()
        m["name"] = string(c.name)
        m["namespace"] = string(c.namespace)
        m["uid"] = uid.flatMap(string)
        m["metadata"] = metadata(desired)
        var topo = ObjectMap()
        topo["version"] = string(c.version)
        topo["classRef"] = .map(["name": .string(c.classRefName), "namespace": .string(c.classRefNamespace)])
        topo["class"] = string(c.classRefName)
        topo["classNamespace"] = string(c.classRefNamespace)
        m["topology"] = .map(topo)
        var network: ObjectMap?
        if !c.serviceDomain.isEmpty { network = ["serviceDomain": .string(c.serviceDomain)] }
        for (key, blocks) in [("services", c.servicesCIDRBlocks), ("pods", c.podsCIDRBlocks)] {
            guard let b = blocks, !b.isNull else { continue }
            var n = network ?? ObjectMap()
            if let l = b.listValue, !l.isEmpty { n[key] = b }
            network = n
        }
        m["network"] = network.map(Value.map)
        return .map(["cluster": .map(m)])
    }

    /// `builtin.controlPlane` for the desired ControlPlane (and its machine template, if any).
    static func controlPlane(_ cp: KubeObject, topologyReplicasSet: Bool, machineTemplate: KubeObject?) -> Value {
        var m = ObjectMap()
        m["version"] = string(cp.body[path: ["spec", "version"]]?.stringValue ?? "")
        m["metadata"] = metadata(cp)
        m["name"] = string(cp.name)
        if topologyReplicasSet, let r = cp.body[path: ["spec", "replicas"]] { m["replicas"] = r }
        if let mt = machineTemplate {
            m["machineTemplate"] = .map(["infrastructureRef": .map(mt.name.isEmpty ? [:] : ["name": .string(mt.name)])])
        }
        return .map(["controlPlane": .map(m)])
    }

    /// `builtin.machineDeployment` / `builtin.machinePool`.
    static func worker(_ section: String, object: KubeObject, className: String, topologyName: String, bootstrap: KubeObject?, infrastructure: KubeObject?) -> Value {
        var m = ObjectMap()
        m["version"] = string(object.body[path: ["spec", "template", "spec", "version"]]?.stringValue ?? "")
        m["metadata"] = metadata(object)
        m["class"] = string(className)
        m["name"] = string(object.name)
        m["topologyName"] = string(topologyName)
        if let r = object.body[path: ["spec", "replicas"]]?.intValue { m["replicas"] = .int(r) }
        if let b = bootstrap { m["bootstrap"] = .map(["configRef": .map(b.name.isEmpty ? [:] : ["name": .string(b.name)])]) }
        if let i = infrastructure { m["infrastructureRef"] = .map(i.name.isEmpty ? [:] : ["name": .string(i.name)]) }
        return .map([section: .map(m)])
    }

    /// `mergeBuiltinVariables`: sections of later values replace earlier ones; order cluster, controlPlane,
    /// machineDeployment, machinePool (the Builtins struct order).
    static func merge(_ values: [Value]) -> Value {
        var sections: [String: Value] = [:]
        for v in values {
            for e in v.mapValue ?? ObjectMap() { sections[e.key] = e.value }
        }
        var out = ObjectMap()
        for k in ["cluster", "controlPlane", "machineDeployment", "machinePool"] { if let s = sections[k] { out[k] = s } }
        return .map(out)
    }
}
