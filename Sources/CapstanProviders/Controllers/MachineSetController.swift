import CapstanCluster
import CapstanModel

/// The MachineSet controller (`capi-machineset`): keeps `spec.replicas` machines, deleting the least useful
/// first (marked for deletion, unhealthy, not ready), remediates machines a MachineHealthCheck marked,
/// propagates the template's labels, annotations and in-place fields to its machines, sets each machine's
/// UpToDate condition, and runs the preflight checks before creating machines.
struct MachineSetController: Reconciler {
    let name = "capi-machineset"
    var primary: KindSelector { .kind(CAPI.Kind.machineSet) }

    var watches: [Watch] {
        [
            Watch.owners(.kind(CAPI.Kind.machine), ownerKind: CAPI.Kind.machineSet),
            // The owning MachineDeployment decides which MachineSet is current (UpToDate of machines).
            Watch(source: .kind(CAPI.Kind.machineDeployment)) { e, cache in
                guard let uid = e.object.uid, e.previous?.body["spec"] != e.object.body["spec"] else { return [] }
                return cache.owned(CAPI.Kind.machineSet.groupKind, by: uid).map(\.key)
            },
            // Preflight checks wait for the control plane.
            Watch(source: .role(.controlPlane)) { e, cache in
                guard let id = e.object.clusterID, Self.controlPlaneGate(e.previous) != Self.controlPlaneGate(e.object) else { return [] }
                return cache.list(CAPI.Kind.machineSet.groupKind, cluster: id).map(\.key)
            },
        ]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var ms = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let cluster = ctx.cluster(ms.clusterID)
        let machines = ctx.cache.owned(CAPI.Kind.machine.groupKind, by: ms.uid ?? "").filter { $0.controllerRef?.uid == ms.uid }
        if ms.isDeleting { return try await reconcileDelete(ms, machines: machines, ctx) }
        if CAPI.isPaused(ms, cluster: cluster) {
            try await ctx.writeStatus(ms, conditions: [Summary.paused(true)])
            return .done
        }
        let clusterName = ms.string("spec", "clusterName") ?? ""
        let owner = ms.controllerRef == nil ? cluster.map(OwnerReference.owner) : nil
        guard let updated = try await ctx.ensureMetadata(ms, finalizer: CAPI.Finalizer.machineSet, cluster: clusterName, owner: owner) else { return .done }
        ms = updated

        let template = ms.body[path: ["spec", "template"]] ?? .map([:])
        let recipe = try self.recipe(ms, template: template, clusterName: clusterName)
        var active = machines.filter { !$0.isDeleting }

        // Remediation requested by a MachineHealthCheck: the owner deletes the machine.
        for m in active where MachineState.needsRemediation(m) && m.annotations[CAPI.Annotation.skipRemediation] == nil {
            try await ctx.client.delete(m)
        }
        active.removeAll { MachineState.needsRemediation($0) && $0.annotations[CAPI.Annotation.skipRemediation] == nil }

        for m in active { try await MachineFactory.repair(m, recipe, ctx) }

        // Scale.
        let desired = Int(ms.int("spec", "replicas") ?? 1)
        var scaling = [Condition(ConditionType.scalingUp, .false, reason: ConditionReason.notScalingUp),
                       Condition(ConditionType.scalingDown, .false, reason: ConditionReason.notScalingDown)]
        if active.count < desired {
            let missing = desired - active.count
            if let failure = try await preflight(ms, template: template, cluster: cluster, ctx) {
                scaling[0] = Condition(ConditionType.scalingUp, .true, reason: ConditionReason.scalingUp,
                                       message: "Scaling up from \(active.count) to \(desired) replicas is blocked because:\n\(failure)")
            } else {
                for _ in 0..<missing { active.append(try await MachineFactory.create(recipe, ctx)) }
                scaling[0] = Condition(ConditionType.scalingUp, .true, reason: ConditionReason.scalingUp, message: "Scaling up from \(active.count - missing) to \(desired) replicas")
            }
        } else if active.count > desired {
            let victims = Self.deletionOrder(active, order: ms.string("spec", "deletion", "order")).prefix(active.count - desired)
            for m in victims { try await ctx.client.delete(m) }
            scaling[1] = Condition(ConditionType.scalingDown, .true, reason: ConditionReason.scalingDown, message: "Scaling down from \(active.count) to \(desired) replicas")
            active.removeAll { m in victims.contains { $0.key == m.key } }
        }

        // In-place propagation and UpToDate.
        let upToDate = isCurrent(ms, ctx)
        var current: [KubeObject] = []
        for machine in active {
            var m = try await propagate(template, to: machine, ms: ms, ctx) ?? machine
            let cond = Condition(ConditionType.upToDate, upToDate, reason: upToDate ? ConditionReason.upToDate : ConditionReason.notUpToDate,
                                 message: upToDate ? "" : "* Machine template is not the MachineDeployment's current template")
            if Conditions.get(m, ConditionType.upToDate).map({ ($0.status, $0.reason) }) ?? (.unknown, "") != (cond.status, cond.reason) {
                m = try await ctx.writeStatus(m, conditions: [cond]) ?? m
            }
            current.append(m)
        }

        let counts = ReplicaCounts(current)
        let selector = (try? LabelSelector(value: ms.body[path: ["spec", "selector"]] ?? .map([:])))?.description ?? ""
        try await ctx.writeStatus(ms, conditions: scaling + [
            Summary.machinesReady(ConditionType.machinesReady, current),
            Summary.machinesUpToDate(ConditionType.machinesUpToDate, current),
            Summary.remediating(machines.filter { !$0.isDeleting }),
            Summary.notDeleting, Summary.paused(false),
        ]) { status in
            counts.write(into: &status)
            status["selector"] = .string(selector)
            status["versions"] = MachineState.versions(current)
        }
        return .done
    }

    /// The MachineSet's machine template as a recipe.
    private func recipe(_ ms: KubeObject, template: Value, clusterName: String) throws -> MachineRecipe {
        let spec = template["spec"] ?? .map([:])
        guard let infra = ContractRef(spec["infrastructureRef"]) else {
            throw MissingTemplate(ref: ContractRef(group: "", kind: "InfrastructureTemplate", name: "spec.template.spec.infrastructureRef"), namespace: ms.namespace)
        }
        let bootstrap: MachineRecipe.Bootstrap
        if let ref = ContractRef(spec[path: ["bootstrap", "configRef"]]) { bootstrap = .template(ref) }
        else { bootstrap = .dataSecret(spec[path: ["bootstrap", "dataSecretName"]]?.stringValue ?? "") }
        var labels = KubeObject(.map(["metadata": template["metadata"] ?? .map([:])])).labels
        labels[CAPI.Label.machineSetName] = MachineTemplate.labelValue(ms.name)
        if let md = ms.owner(kind: "MachineDeployment") { labels[CAPI.Label.machineDeploymentName] = MachineTemplate.labelValue(md.name) }
        let annotations = KubeObject(.map(["metadata": template["metadata"] ?? .map([:])])).annotations
        var fields = ObjectMap()
        if let v = spec["version"] { fields["version"] = v }
        if let f = spec["failureDomain"] { fields["failureDomain"] = f }
        for k in MachineTemplate.inPlaceSpecFields { if let v = spec[k] { fields[k] = v } }
        return MachineRecipe(owner: ms, clusterName: clusterName, labels: labels, annotations: annotations, spec: fields,
                             infrastructureTemplate: infra, bootstrap: bootstrap)
    }

    /// Whether this MachineSet's template is its MachineDeployment's current one (standalone sets always are).
    private func isCurrent(_ ms: KubeObject, _ ctx: ReconcileContext) -> Bool {
        guard let ref = ms.owner(kind: "MachineDeployment"),
              let md = ctx.cache.get(CAPI.Kind.machineDeployment.groupKind, namespace: ms.namespace, name: ref.name)
        else { return true }
        return ms.labels[CAPI.Label.machineTemplateHash] == MachineDeploymentController.currentHash(md, now: ctx.now)
    }

    /// Brings a machine's labels, annotations and in-place spec fields to the template's. Keys this controller
    /// set before and the template no longer has are removed (ownership from managed fields); keys others set
    /// are kept.
    private func propagate(_ template: Value, to m: KubeObject, ms: KubeObject, _ ctx: ReconcileContext) async throws -> KubeObject? {
        let meta = KubeObject(.map(["metadata": template["metadata"] ?? .map([:])]))
        var labels = meta.labels
        labels[CAPI.Label.clusterName] = m.labels[CAPI.Label.clusterName]
        labels[CAPI.Label.machineSetName] = MachineTemplate.labelValue(ms.name)
        if let md = ms.owner(kind: "MachineDeployment") { labels[CAPI.Label.machineDeploymentName] = MachineTemplate.labelValue(md.name) }
        let annotations = meta.annotations
        let spec = template["spec"] ?? .map([:])
        return try await ctx.client.update(m) { o in
            o.labels = OwnedKeys.merge(current: o.labels, desired: labels, owned: OwnedKeys.keys(o, manager: name, field: "labels"))
            o.annotations = OwnedKeys.merge(current: o.annotations, desired: annotations, owned: OwnedKeys.keys(o, manager: name, field: "annotations"))
            for k in MachineTemplate.inPlaceSpecFields where o.body[path: ["spec", k]] != spec[k] {
                o.body[path: ["spec", k]] = spec[k]
            }
        }
    }

    /// Control-plane facts the preflight checks read (initialized, version), to notice when they change.
    static func controlPlaneGate(_ cp: KubeObject?) -> String {
        guard let cp else { return "" }
        return "\(cp.bool("status", "initialization", "controlPlaneInitialized") ?? false)|\(cp.string("status", "version") ?? "")|\(cp.string("spec", "version") ?? "")"
    }

    /// Cluster API's MachineSet preflight checks: the control plane must be initialized and not upgrading
    /// (ControlPlaneIsStable), and new machines may not run a newer minor than it (KubernetesVersionSkew).
    /// Returns the failure message, or nil when machines may be created.
    private func preflight(_ ms: KubeObject, template: Value, cluster: KubeObject?, _ ctx: ReconcileContext) async throws -> String? {
        let skip = Set((ms.annotations[CAPI.Annotation.skipPreflightChecks] ?? "").split(separator: ",").map { $0.split(separator: " ").joined() })
        if skip.contains("All") { return nil }
        guard let cluster, let ref = ContractRef(cluster.body[path: ["spec", "controlPlaneRef"]]) else { return nil }
        guard let cp = try await ctx.referenced(ref, namespace: cluster.namespace, role: .controlPlane) else { return nil }
        var failures: [String] = []
        let cpVersion = cp.string("status", "version").flatMap(KubeVersion.init)
        if !skip.contains("ControlPlaneIsStable") {
            if cp.bool("status", "initialization", "controlPlaneInitialized") != true {
                failures.append("* \(ref.kind) \(ref.name) is not yet initialized")
            } else if let spec = cp.string("spec", "version"), let status = cp.string("status", "version"), spec != status {
                failures.append("* \(ref.kind) \(ref.name) is upgrading (to \(spec))")
            }
        }
        if !skip.contains("KubernetesVersionSkew"), let v = template[path: ["spec", "version"]]?.stringValue.flatMap(KubeVersion.init),
           let cpVersion, v.minor > cpVersion.minor {
            failures.append("* Machine version \(v) is newer than \(ref.kind) version \(cpVersion)")
        }
        return failures.isEmpty ? nil : failures.joined(separator: "\n")
    }

    /// Machines in deletion order: marked for deletion, then unhealthy or marked for remediation, then not
    /// ready, then by `spec.deletion.order` (Oldest, Newest; Random is taken as name order to stay reproducible).
    static func deletionOrder(_ machines: [KubeObject], order: String?) -> [KubeObject] {
        func priority(_ m: KubeObject) -> Int {
            if m.annotations[CAPI.Annotation.deleteMachine] != nil { return 3 }
            if MachineState.needsRemediation(m) || Conditions.isFalse(m, ConditionType.healthCheckSucceeded) { return 2 }
            if !MachineState.isReady(m) { return 1 }
            return 0
        }
        return machines.sorted { a, b in
            let pa = priority(a), pb = priority(b)
            if pa != pb { return pa > pb }
            let ca = a.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "", cb = b.body[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
            switch order {
            case "Newest": if ca != cb { return ca > cb }
            case "Oldest": if ca != cb { return ca < cb }
            default: break
            }
            return a.name < b.name
        }
    }

    private func reconcileDelete(_ ms: KubeObject, machines: [KubeObject], _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard ms.finalizers.contains(CAPI.Finalizer.machineSet) else { return .done }
        for m in machines where !m.isDeleting { try await ctx.client.delete(m) }
        let remaining = ctx.cache.owned(CAPI.Kind.machine.groupKind, by: ms.uid ?? "")
        if !remaining.isEmpty {
            try await ctx.writeStatus(ms, conditions: [Condition(ConditionType.deleting, .true, reason: ConditionReason.deleting,
                                                                 message: "* Deleting \(remaining.count) Machine\(remaining.count == 1 ? "" : "s")")])
            return .done
        }
        try await ctx.removeFinalizer(ms, CAPI.Finalizer.machineSet)
        return .done
    }
}

/// Keys of a string map (labels, annotations) a manager owns, read from `metadata.managedFields`, and the
/// merge that removes what it owned and no longer wants while keeping everyone else's keys.
enum OwnedKeys {
    static func keys(_ obj: KubeObject, manager: String, field: String) -> Set<String> {
        var out = Set<String>()
        for entry in obj.body[path: ["metadata", "managedFields"]]?.listValue ?? [] where entry["manager"]?.stringValue == manager {
            for e in entry[path: ["fieldsV1", "f:metadata", "f:\(field)"]]?.mapValue ?? [:] where e.key.hasPrefix("f:") {
                out.insert(String(e.key.dropFirst(2)))
            }
        }
        return out
    }

    static func merge(current: [String: String], desired: [String: String], owned: Set<String>) -> [String: String] {
        var out = current
        for k in owned where desired[k] == nil { out[k] = nil }
        for (k, v) in desired { out[k] = v }
        return out
    }
}
