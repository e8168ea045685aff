import CapstanModel

/// One template copy the patches work on (a `GeneratePatchesRequestItem`), with its holder and variables.
struct PatchItem: Sendable {
    enum Role: Sendable, Equatable {
        case infrastructureCluster, controlPlane, controlPlaneMachineTemplate
        case machineDeploymentBootstrap(Int), machineDeploymentInfrastructure(Int)
        case machinePoolBootstrap(Int), machinePoolInfrastructure(Int)

        /// Items whose variables are the same (same holder variables).
        enum VariableGroup: Hashable { case infrastructure, controlPlane, machineDeployment(Int), machinePool(Int) }

        var variableGroup: VariableGroup {
            switch self {
            case .infrastructureCluster: .infrastructure
            case .controlPlane, .controlPlaneMachineTemplate: .controlPlane
            case .machineDeploymentBootstrap(let i), .machineDeploymentInfrastructure(let i): .machineDeployment(i)
            case .machinePoolBootstrap(let i), .machinePoolInfrastructure(let i): .machinePool(i)
            }
        }
    }

    var role: Role
    var holderKind: String
    var holderFieldPath: String
    var object: Value
    /// Item-specific variables (overrides and the holder's `builtin` section); after `prepare`, the
    /// effective variables (global merged with the item's).
    var variables: ObjectMap
    var workerClass: String?
    /// Template input for `variables` (`calculateTemplateData`: numbers become float64 in the conversion),
    /// prepared once for items some templated patch selects; every inline patch sees the same variables.
    var preparedData: TemplateData?
    /// Whether any patch document was applied (an unpatched item copies back nothing new).
    var patched = false
    var templateData: TemplateData { preparedData ?? TemplateData(json: variables.isEmpty ? .map([:]) : .map(variables)) }

    var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    var kind: String { object["kind"]?.stringValue ?? "" }
}

/// The inline patch engine (core/reconcilers/topology/cluster/patches/engine.go `Apply`): template copies,
/// per-patch generation and application, then copy-back into the desired objects.
struct PatchEngine {
    let scope: RenderScope

    func apply(_ d: inout DesiredState) throws(TopologyError) {
        let patches = scope.context.patches
        guard !patches.isEmpty else { return }
        var items = createRequest(d)
        let global = globalVariables(d)
        // Every patch here is inline, so every patch sees the same variables: merge them once per item.
        let templated = patches.filter { $0.enabledIf != nil || $0.templates.contains { !$0.isEmpty } }
        var shared: [PatchItem.Role.VariableGroup: TemplateData] = [:]
        for i in items.indices {
            items[i].variables = Self.merge(global, items[i].variables)
            let item = items[i]
            if templated.contains(where: { ($0.patch.definitions ?? []).contains { matches($0.selector, item) } }) {
                // Items of one holder group (a control plane and its machine template, the two templates of a
                // MachineDeployment) have identical variables and share one conversion.
                let data = shared[item.role.variableGroup] ?? TemplateData(json: .map(item.variables))
                shared[item.role.variableGroup] = data
                items[i].preparedData = data
            }
        }
        for compiled in patches {
            let docs: [(Int, JSONPatch)]
            do {
                docs = try generate(compiled, items: items)
            } catch {
                throw error.wrapped("failed to generate patches for patch \(GoQuote.quote(compiled.patch.name))")
            }
            for (i, doc) in docs where !doc.operations.isEmpty {
                do {
                    let patched = try doc.apply(to: items[i].object, options: .evanphx)
                    CopyFields.copy(into: &items[i].object, from: patched, fields: CopyFields.patchedSnapshotFields)
                    items[i].patched = true
                } catch {
                    throw TopologyError("failed to apply patches for patch \(GoQuote.quote(compiled.patch.name)): failed to apply patch: error applying json patch (RFC6902): \(error.message)",
                                        origin: .clusterClass(["spec", "patches", String(compiled.patch.index)]))
                }
            }
        }
        updateDesiredState(&d, items)
    }

    /// `cleanupUnstructured`: no managed fields, no last-applied/conversion-data annotations, no empty map.
    static func cleaned(_ template: KubeObject) -> Value {
        var o = template.body
        o[path: ["metadata", "managedFields"]] = nil
        if var a = Metadata.stringMap(o[path: ["metadata", "annotations"]]) {
            a[CAPI.lastAppliedAnnotation] = nil
            a[CAPI.conversionDataAnnotation] = nil
            o[path: ["metadata", "annotations"]] = a.isEmpty ? nil : stringMapValue(a)
        }
        return o
    }

    /// `createRequest`: one snapshot per holder, with the desired object's metadata synced in.
    func createRequest(_ d: DesiredState) -> [PatchItem] {
        let bp = scope.blueprint
        let toSpecTemplate: [CopyFields.Mapping] = [
            (["metadata", "labels"], ["spec", "template", "metadata", "labels"]),
            (["metadata", "annotations"], ["spec", "template", "metadata", "annotations"]),
        ]
        let toMetadata: [CopyFields.Mapping] = [(["metadata", "labels"], ["metadata", "labels"]), (["metadata", "annotations"], ["metadata", "annotations"])]
        func snapshot(_ template: KubeObject, _ desired: KubeObject, _ fields: [CopyFields.Mapping]) -> Value {
            var t = template.body
            CopyFields.copy(into: &t, from: desired.body, fields: fields)
            return Self.cleaned(KubeObject(t))
        }
        let cpVars = controlPlaneVariables(d)
        var items = [
            PatchItem(role: .infrastructureCluster, holderKind: "Cluster", holderFieldPath: "spec.infrastructureRef",
                      object: snapshot(bp.infrastructureClusterTemplate, d.infrastructureCluster, toSpecTemplate), variables: [:]),
            PatchItem(role: .controlPlane, holderKind: "Cluster", holderFieldPath: "spec.controlPlaneRef",
                      object: snapshot(bp.controlPlaneTemplate, d.controlPlane, toSpecTemplate), variables: cpVars),
        ]
        if let t = bp.controlPlaneMachineTemplate, let desired = d.controlPlaneMachineTemplate {
            items.append(PatchItem(role: .controlPlaneMachineTemplate, holderKind: d.controlPlane.kind, holderFieldPath: scope.contract.holderFieldPath,
                                   object: snapshot(t, desired, toMetadata), variables: cpVars))
        }
        for (i, md) in d.machineDeployments.enumerated() {
            let cls = md.topology.className
            guard let b = bp.machineDeploymentBootstrap[cls], let inf = bp.machineDeploymentInfrastructure[cls] else { continue }
            let vars = workerVariables(md.topology.overrides, BuiltinVariables.worker(
                "machineDeployment", object: md.object, className: cls, topologyName: md.topology.name,
                bootstrap: md.bootstrapTemplate, infrastructure: md.infrastructureTemplate))
            items.append(PatchItem(role: .machineDeploymentBootstrap(i), holderKind: "MachineDeployment", holderFieldPath: "spec.template.spec.bootstrap.configRef",
                                   object: snapshot(b, md.bootstrapTemplate, toMetadata), variables: vars, workerClass: cls))
            items.append(PatchItem(role: .machineDeploymentInfrastructure(i), holderKind: "MachineDeployment", holderFieldPath: "spec.template.spec.infrastructureRef",
                                   object: snapshot(inf, md.infrastructureTemplate, toMetadata), variables: vars, workerClass: cls))
        }
        for (i, mp) in d.machinePools.enumerated() {
            let cls = mp.topology.className
            guard let b = bp.machinePoolBootstrap[cls], let inf = bp.machinePoolInfrastructure[cls] else { continue }
            let vars = workerVariables(mp.topology.overrides, BuiltinVariables.worker(
                "machinePool", object: mp.object, className: cls, topologyName: mp.topology.name,
                bootstrap: mp.bootstrapObject, infrastructure: mp.infrastructureObject))
            items.append(PatchItem(role: .machinePoolBootstrap(i), holderKind: "MachinePool", holderFieldPath: "spec.template.spec.bootstrap.configRef",
                                   object: snapshot(b, mp.bootstrapObject, toSpecTemplate), variables: vars, workerClass: cls))
            items.append(PatchItem(role: .machinePoolInfrastructure(i), holderKind: "MachinePool", holderFieldPath: "spec.template.spec.infrastructureRef",
                                   object: snapshot(inf, mp.infrastructureObject, toSpecTemplate), variables: vars, workerClass: cls))
        }
        return items
    }

    /// Cluster-wide variables that are defined inline, in Cluster order, plus `builtin.cluster`.
    func globalVariables(_ d: DesiredState) -> ObjectMap {
        var m = ObjectMap()
        for v in scope.cluster.variables where v.name != "builtin" && scope.context.variables.definition(v.name) != nil {
            m[v.name] = v.value ?? .null
        }
        m["builtin"] = BuiltinVariables.cluster(scope.cluster, desired: d.cluster, uid: scope.uid)
        return m
    }

    func controlPlaneVariables(_ d: DesiredState) -> ObjectMap {
        workerVariables(scope.cluster.controlPlane.overrides, BuiltinVariables.controlPlane(
            d.controlPlane, topologyReplicasSet: scope.cluster.controlPlane.replicas != nil, machineTemplate: d.controlPlaneMachineTemplate))
    }

    func workerVariables(_ overrides: [ClusterVariable], _ builtin: Value) -> ObjectMap {
        var m = ObjectMap()
        for v in overrides where scope.context.variables.definition(v.name) != nil { m[v.name] = v.value ?? .null }
        m["builtin"] = builtin
        return m
    }
}
