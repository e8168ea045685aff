import CapstanModel

extension TopologyRenderer {
    /// `DefaultAndValidateVariables` (core/webhooks/admission/cluster.go): defaults the Cluster-wide list and
    /// every non-empty override list, validates them, and returns the Cluster as the defaulting webhook
    /// would store it (variables defaulted, version prefixed with `v`).
    func defaultAndValidateVariables(_ c: ClusterModel, _ ctx: ClassContext, reporter: DiagnosticReporter, warnings: inout [String]) throws(TopologyError) -> ClusterModel {
        let vars = ctx.variables
        var errs: [FieldError] = []
        var body = c.object.body
        let topo = FieldPath("spec", "topology")

        func apply(_ values: [ClusterVariable], create: Bool, _ path: FieldPath, _ pointer: [String]) -> [ClusterVariable] {
            let (defaulted, e) = vars.defaulted(values, create: create, path: path)
            errs += e
            if !e.isEmpty { return values }
            if create || !values.isEmpty { Self.set(&body, pointer, defaulted.isEmpty ? nil : .list(defaulted.map(\.json))) }
            return defaulted
        }
        let clusterVars = apply(c.variables, create: true, topo.child("variables"), ["spec", "topology", "variables"])
        var cpOverrides = c.controlPlane.overrides
        if !cpOverrides.isEmpty {
            cpOverrides = apply(cpOverrides, create: false, topo.child("controlPlane", "variables", "overrides"),
                                ["spec", "topology", "controlPlane", "variables", "overrides"])
        }
        var mdOverrides: [[ClusterVariable]] = []
        for md in c.machineDeployments {
            let p = topo.child("workers", "machineDeployments").key(md.name).child("variables", "overrides")
            mdOverrides.append(md.overrides.isEmpty ? [] : apply(md.overrides, create: false, p,
                                                                  ["spec", "topology", "workers", "machineDeployments", String(md.index), "variables", "overrides"]))
        }
        var mpOverrides: [[ClusterVariable]] = []
        for mp in c.machinePools {
            let p = topo.child("workers", "machinePools").key(mp.name).child("variables", "overrides")
            mpOverrides.append(mp.overrides.isEmpty ? [] : apply(mp.overrides, create: false, p,
                                                                  ["spec", "topology", "workers", "machinePools", String(mp.index), "variables", "overrides"]))
        }

        errs += vars.validate(clusterVars, required: true, path: topo.child("variables"))
        if !cpOverrides.isEmpty {
            errs += vars.validate(cpOverrides, required: false, path: topo.child("controlPlane", "variables", "overrides"))
        }
        for (md, overrides) in zip(c.machineDeployments, mdOverrides) where !overrides.isEmpty {
            errs += vars.validate(overrides, required: false, path: topo.child("workers", "machineDeployments").key(md.name).child("variables", "overrides"))
        }
        for (mp, overrides) in zip(c.machinePools, mpOverrides) where !overrides.isEmpty {
            errs += vars.validate(overrides, required: false, path: topo.child("workers", "machinePools").key(mp.name).child("variables", "overrides"))
        }
        if !errs.isEmpty { throw reporter.invalidCluster(errs) }
        body[path: ["spec", "topology", "version"]] = .string(c.version)
        return ClusterModel(KubeObject(body))
    }

    /// Sets a value at a JSON pointer path whose numeric tokens index into lists.
    static func set(_ v: inout Value, _ tokens: [String], _ newValue: Value?) {
        guard let first = tokens.first else {
            v = newValue ?? .null
            return
        }
        if case .list(var l) = v, let i = Int(first), l.indices.contains(i) {
            v = .null
            set(&l[i], Array(tokens.dropFirst()), newValue)
            v = .list(l)
            return
        }
        if tokens.count == 1 {
            v[first] = newValue
            return
        }
        var child = v[first] ?? .map([:])
        set(&child, Array(tokens.dropFirst()), newValue)
        v[first] = child
    }
}
