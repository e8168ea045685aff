import CapstanCluster
import CapstanModel

/// What a MachineSet or KubeadmControlPlane needs to create a machine.
struct MachineRecipe: Sendable {
    /// How the machine gets its bootstrap data.
    enum Bootstrap: Sendable {
        /// Clone a bootstrap config template (`KubeadmConfigTemplate`).
        case template(ContractRef)
        /// Create a bootstrap config with this body (the KubeadmControlPlane's `kubeadmConfigSpec`).
        case config(GroupVersionKind, spec: Value)
        /// A data secret given directly.
        case dataSecret(String)
    }

    var owner: KubeObject
    var clusterName: String
    var labels: [String: String]
    var annotations: [String: String]
    /// Machine spec fields other than the references (version, failureDomain, in-place fields).
    var spec: ObjectMap
    var infrastructureTemplate: ContractRef
    var bootstrap: Bootstrap
}

/// A missing template (a user error the owner reports in its conditions).
struct MissingTemplate: Error, CustomStringConvertible {
    var ref: ContractRef
    var namespace: String
    var description: String { "\(ref.kind) \(namespace)/\(ref.name) not found" }
}

/// Creates machines with their bootstrap config and infrastructure machine.
///
/// The Machine is created first, referring to clones named after it; the clones follow with the Machine as
/// controller owner. A crash in between leaves a Machine whose clones are missing, which `repair` recreates
/// on the owner's next reconcile — never an orphaned clone, never a duplicate machine (machine names are
/// unique and the owner counts machines from the store after a restart).
enum MachineFactory {
    static func create(_ recipe: MachineRecipe, _ ctx: ReconcileContext) async throws -> KubeObject {
        let ns = recipe.owner.namespace
        let infraTemplate = try await template(recipe.infrastructureTemplate, namespace: ns, ctx)
        var bootstrapTemplate: KubeObject?
        if case .template(let ref) = recipe.bootstrap { bootstrapTemplate = try await template(ref, namespace: ns, ctx) }

        var attempts = 0
        while true {
            attempts += 1
            let name = ctx.names.next(prefix: recipe.owner.name + "-")
            if ctx.cache.get(CAPI.Kind.machine.groupKind, namespace: ns, name: name) != nil { continue }
            let machine = build(recipe, name: name, infraTemplate: infraTemplate)
            let created: KubeObject
            do {
                created = try await ctx.client.create(machine)
            } catch ClusterError.alreadyExists where attempts < 10 {
                continue
            }
            try await createClones(for: created, recipe, infraTemplate: infraTemplate, bootstrapTemplate: bootstrapTemplate, ctx)
            return created
        }
    }

    /// Recreates the bootstrap config or infrastructure machine of a never-provisioned machine when missing
    /// (a crash between creating the Machine and its clones).
    static func repair(_ machine: KubeObject, _ recipe: MachineRecipe, _ ctx: ReconcileContext) async throws {
        guard !machine.isDeleting, !MachineState.provisioned(machine) else { return }
        let ns = machine.namespace
        var missingInfra = false, missingBootstrap = false
        if let ref = ContractRef(machine.body[path: ["spec", "infrastructureRef"]]) {
            let found = try await ctx.referenced(ref, namespace: ns, role: .infrastructureMachine)
            missingInfra = found == nil
        }
        if let ref = ContractRef(machine.body[path: ["spec", "bootstrap", "configRef"]]) {
            let found = try await ctx.referenced(ref, namespace: ns, role: .bootstrapConfig)
            missingBootstrap = found == nil
        }
        guard missingInfra || missingBootstrap else { return }
        var r = recipe
        if !missingBootstrap { r.bootstrap = .dataSecret("") }
        let infraTemplate = missingInfra ? try await template(recipe.infrastructureTemplate, namespace: ns, ctx) : nil
        var bootstrapTemplate: KubeObject?
        if missingBootstrap, case .template(let ref) = recipe.bootstrap { bootstrapTemplate = try await template(ref, namespace: ns, ctx) }
        try await createClones(for: machine, r, infraTemplate: infraTemplate, bootstrapTemplate: bootstrapTemplate, ctx)
    }

    private static func template(_ ref: ContractRef, namespace: String, _ ctx: ReconcileContext) async throws -> KubeObject {
        guard let t = try await ctx.client.get(ref.gvk, namespace: namespace, name: ref.name) else {
            throw MissingTemplate(ref: ref, namespace: namespace)
        }
        return t
    }

    /// The kind a template produces (`DockerMachineTemplate` → `DockerMachine`).
    static func clonedKind(_ templateKind: String) -> String {
        templateKind.hasSuffix("Template") ? String(templateKind.dropLast("Template".count)) : templateKind
    }

    private static func build(_ r: MachineRecipe, name: String, infraTemplate: KubeObject) -> KubeObject {
        var m = KubeObject(apiVersion: CAPI.Kind.machine.apiVersion, kind: "Machine", namespace: r.owner.namespace, name: name)
        var labels = r.labels
        labels[CAPI.Label.clusterName] = r.clusterName
        m.labels = labels
        m.annotations = r.annotations
        m.ownerReferences = [.controller(r.owner)]
        var spec = ObjectMap()
        spec["clusterName"] = .string(r.clusterName)
        switch r.bootstrap {
        case .template(let ref):
            spec["bootstrap"] = .map(["configRef": ContractRef(group: ref.group, kind: clonedKind(ref.kind), name: name).value])
        case .config(let gvk, _):
            spec["bootstrap"] = .map(["configRef": ContractRef(group: gvk.group, kind: gvk.kind, name: name).value])
        case .dataSecret(let secret):
            spec["bootstrap"] = .map(["dataSecretName": .string(secret)])
        }
        spec["infrastructureRef"] = ContractRef(group: infraTemplate.gvk.group, kind: clonedKind(infraTemplate.kind), name: name).value
        for e in r.spec { spec[e.key] = e.value }
        m.spec = .map(spec)
        return m
    }

    private static func createClones(
        for machine: KubeObject, _ r: MachineRecipe, infraTemplate: KubeObject?, bootstrapTemplate: KubeObject?, _ ctx: ReconcileContext
    ) async throws {
        switch r.bootstrap {
        case .template:
            if let bootstrapTemplate { _ = try await ctx.client.createIfAbsent(clone(bootstrapTemplate, for: machine, clusterName: r.clusterName)) }
        case .config(let gvk, let spec):
            var config = KubeObject(apiVersion: gvk.apiVersion, kind: gvk.kind, namespace: machine.namespace, name: machine.name)
            config.labels = [CAPI.Label.clusterName: r.clusterName]
            config.ownerReferences = [.controller(machine)]
            config.spec = spec
            _ = try await ctx.client.createIfAbsent(config)
        case .dataSecret:
            break
        }
        if let infraTemplate {
            let clone = clone(infraTemplate, for: machine, clusterName: r.clusterName)
            ctx.track(clone.gvk, as: .infrastructureMachine)
            _ = try await ctx.client.createIfAbsent(clone)
        }
    }

    /// An object cloned from a template's `spec.template` for a machine (`cloned-from-*` annotations, the
    /// cluster-name label, the Machine as controller owner).
    static func clone(_ template: KubeObject, for machine: KubeObject, clusterName: String) -> KubeObject {
        var obj = KubeObject(apiVersion: template.apiVersion, kind: clonedKind(template.kind), namespace: machine.namespace, name: machine.name)
        var labels = KubeObject(.map(["metadata": template.body[path: ["spec", "template", "metadata"]] ?? .map([:])])).labels
        labels[CAPI.Label.clusterName] = clusterName
        var annotations = KubeObject(.map(["metadata": template.body[path: ["spec", "template", "metadata"]] ?? .map([:])])).annotations
        annotations[CAPI.Annotation.clonedFromName] = template.name
        annotations[CAPI.Annotation.clonedFromGroupKind] = template.key.groupKind.description
        obj.labels = labels
        obj.annotations = annotations
        obj.ownerReferences = [.controller(machine)]
        obj.spec = template.body[path: ["spec", "template", "spec"]] ?? .map([:])
        return obj
    }
}
