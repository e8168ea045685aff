import CapstanModel
import Crypto

/// The reconcile-time decisions of core/reconcilers/topology/cluster/reconcile_state.go that change what is
/// applied: template rotation, pending creates/upgrades, deletions of removed topologies, apply order.
struct ReconcilePlanner {
    let scope: RenderScope
    var desired: DesiredState
    let placeholderUID: Bool
    var objects: [DesiredObject] = []
    var deletions: [PlannedDeletion] = []

    init(scope: RenderScope, desired: DesiredState, placeholderUID: Bool) {
        self.scope = scope
        self.desired = desired
        self.placeholderUID = placeholderUID
    }

    mutating func plan(key: ObjectKey) -> ClusterRender {
        let cpPending = scope.tracker.controlPlane.isPendingUpgrade
        add(desired.infrastructureCluster, .infrastructureCluster)
        if let hc = desired.controlPlaneHealthCheck { add(hc, .controlPlaneMachineHealthCheck) }
        planControlPlane(pending: cpPending)
        add(desired.cluster, .cluster)
        planMachineDeployments()
        planMachinePools()
        planHealthCheckRemovals()

        var out = ClusterRender(cluster: key)
        out.objects = objects.sorted { a, b in
            (a.applyOrder, a.object.kind, a.object.name) < (b.applyOrder, b.object.kind, b.object.name)
        }
        out.deletions = deletions.sorted { ($0.applyOrder, $0.key) < ($1.applyOrder, $1.key) }
        out.upgrade = summary(cpPending: cpPending)
        return out
    }

    mutating func add(_ o: KubeObject, _ role: ObjectRole, _ hints: [ApplyHint] = []) {
        var h = hints
        if placeholderUID, o.body[path: ["metadata", "ownerReferences"]]?.listValue?.contains(where: { $0["kind"]?.stringValue == "Cluster" }) == true {
            h.append(.placeholderOwnerUID)
        }
        objects.append(DesiredObject(object: o, role: role, hints: h))
    }

    /// Control plane: held entirely while an upgrade is pending; otherwise its machine template rotates
    /// when the spec changed, and the replaced template is deleted after the control plane is updated.
    mutating func planControlPlane(pending: Bool) {
        var cp = desired.controlPlane
        guard var mt = desired.controlPlaneMachineTemplate else {
            add(cp, .controlPlane, pending ? [.pendingUpgrade] : [])
            return
        }
        if pending {
            add(mt, .controlPlaneInfrastructureMachineTemplate, [.pendingUpgrade])
            add(cp, .controlPlane, [.pendingUpgrade])
            return
        }
        var hints: [ApplyHint] = []
        if let current = scope.current.controlPlaneMachineTemplate, Self.specDiffers(desired: mt, live: current) {
            let newName = scope.names.simpleName(prefix: "\(scope.clusterName)-", ["control-plane-machine-template", "rotation", Self.specHash(mt)])
            mt.name = newName
            hints = [.rotated(from: current.name)]
            var ref = cp.body[path: scope.contract.infrastructureRefPath] ?? .map([:])
            ref["name"] = .string(newName)
            cp.body[path: scope.contract.infrastructureRefPath] = ref
            deletions.append(PlannedDeletion(apiVersion: current.apiVersion, key: current.key,
                                             reason: .rotatedControlPlaneTemplate(replacedBy: newName), applyOrder: ObjectRole.controlPlane.applyOrder))
        }
        add(mt, .controlPlaneInfrastructureMachineTemplate, hints)
        add(cp, .controlPlane)
    }

    /// MachineDeployments: pending creates and upgrades are held; existing ones rotate changed templates;
    /// live ones no longer in the topology are deleted (health check first).
    mutating func planMachineDeployments() {
        let tracker = scope.tracker.machineDeployments
        for var md in desired.machineDeployments {
            let t = md.topology.name
            let current = scope.current.machineDeployments[t]
            var hold: [ApplyHint] = []
            if current == nil && tracker.pendingCreate.contains(t) { hold = [.pendingCreate] }
            if let c = current, tracker.pendingUpgrade.contains(c.object.name) { hold = [.pendingUpgrade] }
            var bHints = hold, iHints = hold
            if let c = current, hold.isEmpty, !c.object.isDeleting {
                if let live = c.infrastructure, Self.specDiffers(desired: md.infrastructureTemplate, live: live) {
                    md.infrastructureTemplate.name = rotatedName(t, "infrastructure", md.infrastructureTemplate)
                    md.object.body[path: ["spec", "template", "spec", "infrastructureRef", "name"]] = .string(md.infrastructureTemplate.name)
                    iHints = [.rotated(from: live.name)]
                }
                if let live = c.bootstrap, Self.specDiffers(desired: md.bootstrapTemplate, live: live) {
                    md.bootstrapTemplate.name = rotatedName(t, "bootstrap", md.bootstrapTemplate)
                    md.object.body[path: ["spec", "template", "spec", "bootstrap", "configRef", "name"]] = .string(md.bootstrapTemplate.name)
                    bHints = [.rotated(from: live.name)]
                }
            }
            add(md.infrastructureTemplate, .machineDeploymentInfrastructureTemplate(topology: t), iHints)
            add(md.bootstrapTemplate, .machineDeploymentBootstrapTemplate(topology: t), bHints)
            add(md.object, .machineDeployment(topology: t), hold)
            if let hc = md.healthCheck { add(hc, .machineDeploymentHealthCheck(topology: t), hold == [.pendingCreate] ? hold : []) }
        }
        let wanted = Set(desired.machineDeployments.map(\.topology.name))
        for (t, c) in scope.current.machineDeployments.sorted(by: { $0.key < $1.key }) where !wanted.contains(t) {
            if let hc = c.healthCheck {
                deletions.append(PlannedDeletion(apiVersion: hc.apiVersion, key: hc.key, reason: .removedMachineDeploymentTopology(t), applyOrder: 62))
            }
            if !c.object.isDeleting {
                // After its health check (reconcile_state.go deleteMachineDeployment).
                deletions.append(PlannedDeletion(apiVersion: c.object.apiVersion, key: c.object.key, reason: .removedMachineDeploymentTopology(t), applyOrder: 63))
            }
        }
    }

    mutating func planMachinePools() {
        let tracker = scope.tracker.machinePools
        for mp in desired.machinePools {
            let t = mp.topology.name
            let current = scope.current.machinePools[t]
            var hold: [ApplyHint] = []
            if current == nil && tracker.pendingCreate.contains(t) { hold = [.pendingCreate] }
            if let c = current, tracker.pendingUpgrade.contains(c.object.name) { hold = [.pendingUpgrade] }
            add(mp.bootstrapObject, .machinePoolBootstrapConfig(topology: t), hold)
            add(mp.infrastructureObject, .machinePoolInfrastructure(topology: t), hold)
            add(mp.object, .machinePool(topology: t), hold)
        }
        let wanted = Set(desired.machinePools.map(\.topology.name))
        for (t, c) in scope.current.machinePools.sorted(by: { $0.key < $1.key }) where !wanted.contains(t) && !c.object.isDeleting {
            deletions.append(PlannedDeletion(apiVersion: c.object.apiVersion, key: c.object.key, reason: .removedMachinePoolTopology(t), applyOrder: 72))
        }
    }

    /// Live health checks the topology no longer wants (for kept control plane / MachineDeployments).
    mutating func planHealthCheckRemovals() {
        if desired.controlPlaneHealthCheck == nil, let live = scope.current.controlPlaneHealthCheck, live.labels[CAPI.topologyOwnedLabel] != nil {
            deletions.append(PlannedDeletion(apiVersion: live.apiVersion, key: live.key, reason: .healthCheckRemoved, applyOrder: 20))
        }
        for md in desired.machineDeployments where md.healthCheck == nil {
            if let live = scope.current.machineDeployments[md.topology.name]?.healthCheck, live.labels[CAPI.topologyOwnedLabel] != nil {
                deletions.append(PlannedDeletion(apiVersion: live.apiVersion, key: live.key, reason: .healthCheckRemoved, applyOrder: 63))
            }
        }
    }

    func rotatedName(_ topology: String, _ side: String, _ template: KubeObject) -> String {
        scope.names.simpleName(prefix: "\(scope.clusterName)-\(topology)-", ["machine-deployment", topology, side, "rotation", Self.specHash(template)])
    }

    func summary(cpPending: Bool) -> UpgradeSummary {
        var u = UpgradeSummary()
        u.controlPlaneVersion = desired.controlPlane.body[path: ["spec", "version"]]?.stringValue
        u.controlPlaneUpgradePlan = scope.tracker.controlPlane.upgradePlan
        u.workersUpgradePlan = scope.tracker.machineDeployments.upgradePlan.isEmpty ? scope.tracker.machinePools.upgradePlan : scope.tracker.machineDeployments.upgradePlan
        u.controlPlanePendingUpgrade = cpPending
        u.controlPlaneStartingUpgrade = scope.tracker.controlPlane.isStartingUpgrade
        let md = scope.tracker.machineDeployments, mp = scope.tracker.machinePools
        u.pendingCreate = (md.pendingCreate.union(mp.pendingCreate)).sorted()
        u.pendingUpgrade = (md.pendingUpgrade.union(mp.pendingUpgrade)).sorted()
        u.upgrading = (md.upgrading.union(mp.upgrading)).sorted()
        return u
    }

    /// True when the desired `spec` is not contained in the live one (maps as subsets, lists exactly), an
    /// offline stand-in for the server-side-apply dry-run comparison (structuredmerge/dryrun.go).
    static func specDiffers(desired: KubeObject, live: KubeObject) -> Bool {
        !isSubset(desired.spec ?? .map([:]), of: live.spec ?? .map([:]))
    }

    static func isSubset(_ a: Value, of b: Value) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)):
            return x.allSatisfy { e in y[e.key].map { isSubset(e.value, of: $0) } ?? false }
        default:
            return a == b
        }
    }

    /// A short stable hash of a template spec (the rotation input for a new name).
    static func specHash(_ o: KubeObject) -> String {
        let digest = SHA256.hash(data: Array(JSON.serialize(o.spec ?? .null, sortKeys: true).utf8))
        return digest.prefix(8).map { String($0, radix: 16) }.joined()
    }
}
