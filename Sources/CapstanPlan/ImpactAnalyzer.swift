import CapstanDiff
import CapstanModel
import CapstanTopology

/// Translates a Cluster's object changes into Cluster API consequences: which machines are replaced
/// (rollouts), added or removed (scaling), changed in place, and how a version change is sequenced.
///
/// Rollout triggers follow upstream: a MachineDeployment replaces its Machines when
/// `spec.template.spec.version`, `.bootstrap`, `.infrastructureRef` or `.failureDomain` change
/// (mdutil `MachineTemplateUpToDate`; labels, annotations, `minReadySeconds`, `readinessGates`, `taints`
/// and the deletion timeouts are propagated in place); a KubeadmControlPlane replaces its Machines when the
/// version, the KubeadmConfig spec or the infrastructure template changes, or `rollout.after` passes
/// (controlplane/kubeadm `UpToDate`; machine template metadata and timeouts are in place). With a
/// ClusterClass, a changed template spec rotates the template to a new name, which changes the reference.
struct ImpactAnalyzer {
    let base: ClusterRender?
    let head: ClusterRender?
    /// The Cluster as written in Git (head, else base), for annotations and worker order.
    let cluster: KubeObject?
    let diff: ObjectDiff

    func analyze() -> Impact {
        var impact = Impact()
        if head == nil, let base {
            impact.deletion = DeletionImpact(
                requiresApproval: true,
                reason: "deleting a Cluster deletes its machines and infrastructure; Capstan holds it until the deletion is approved",
                machines: machineTotal(base))
            return impact
        }
        impact.controlPlane = controlPlane()
        impact.workers = workers()
        impact.upgrade = upgrade()
        return impact
    }

    func machineTotal(_ r: ClusterRender) -> Int {
        r.objects.filter { if case .controlPlane = $0.role { return true }; if case .machineDeployment = $0.role { return true }; if case .machinePool = $0.role { return true }; return false }
            .compactMap { Self.replicas($0.object) }.reduce(0, +)
    }

    // MARK: Control plane

    func controlPlane() -> ControlPlaneImpact? {
        let old = object(base, .controlPlane), new = object(head, .controlPlane)
        guard let n = new ?? old else { return nil }
        var cp = ControlPlaneImpact(kind: n.object.kind, name: n.object.name)
        cp.replicas = new.flatMap { Self.replicas($0.object) }
        guard let new else { return nil }
        guard let old else {
            if let r = cp.replicas { cp.scale = Scale(from: 0, to: r) }
            return cp
        }
        let o = Normalizer.normalize(old.object), h = Normalizer.normalize(new.object)
        let strategy = Self.controlPlaneStrategy(h)
        var reasons: [String] = []
        var replaceCount = 1
        let ov = Self.string(o, ["spec", "version"]), nv = Self.string(h, ["spec", "version"])
        if ov != nv {
            let plan = head?.upgrade.controlPlaneUpgradePlan ?? []
            if plan.count > 1 {
                replaceCount = plan.count
                reasons.append("version \(ov ?? "?") → \(plan.last!) in \(plan.count) steps (\(plan.joined(separator: ", "))); this pass sets \(nv ?? "?")")
            } else {
                reasons.append("version \(ov ?? "?") → \(nv ?? "?")")
            }
        }
        let refPaths = [["spec", "machineTemplate", "spec", "infrastructureRef", "name"], ["spec", "machineTemplate", "infrastructureRef", "name"]]
        if let path = refPaths.first(where: { h.body[path: $0] != nil || o.body[path: $0] != nil }),
           let on = o.body[path: path]?.stringValue, let nn = h.body[path: path]?.stringValue, on != nn {
            reasons.append("machine template rotated: \(on) → \(nn)" + templateSummary(.controlPlaneInfrastructureMachineTemplate))
        }
        if n.object.kind == "KubeadmControlPlane" {
            let kc = diff.changes(old: o.body[path: ["spec", "kubeadmConfigSpec"]] ?? .null, new: h.body[path: ["spec", "kubeadmConfigSpec"]] ?? .null, apiVersion: h.apiVersion)
            if !kc.isEmpty { reasons.append("kubeadmConfigSpec changed (\(Self.pathList(kc, prefix: "spec.kubeadmConfigSpec")))") }
            for p in [["spec", "rollout", "after"], ["spec", "rolloutAfter"]] where o.body[path: p] != h.body[path: p] {
                reasons.append("\(p.joined(separator: ".")) set to \(FieldChange.short(h.body[path: p]))")
            }
        } else {
            let rest = diff.changes(old: o.body["spec"] ?? .null, new: h.body["spec"] ?? .null, apiVersion: h.apiVersion)
                .filter { !["version", "replicas", "machineTemplate"].contains($0.path.leadingFields.first ?? "") }
            if !rest.isEmpty { cp.inPlace.append("spec changed (\(Self.pathList(rest, prefix: "spec"))); the \(n.object.kind) provider decides whether machines are replaced") }
        }
        for prefix in [["spec", "machineTemplate", "metadata"], ["spec", "machineTemplate", "spec", "deletion"], ["spec", "machineTemplate", "spec", "readinessGates"],
                       ["spec", "machineTemplate", "nodeDrainTimeout"], ["spec", "machineTemplate", "nodeVolumeDetachTimeout"], ["spec", "machineTemplate", "nodeDeletionTimeout"]] {
            let c = diff.changes(old: o.body[path: prefix] ?? .null, new: h.body[path: prefix] ?? .null, apiVersion: h.apiVersion)
            if !c.isEmpty { cp.inPlace.append("\(prefix.joined(separator: ".")) (\(Self.pathList(c, prefix: prefix.joined(separator: "."))))") }
        }
        let or = Self.replicas(o), nr = Self.replicas(h)
        if let or, let nr, or != nr { cp.scale = Scale(from: or, to: nr) }
        if new.hints.contains(.pendingUpgrade), let target = headClusterVersion, nv != target {
            cp.held = "upgrade to \(target) waits: the control plane is busy (provisioning, upgrading, or waiting for workers)"
        }
        if !reasons.isEmpty {
            let machines = cp.replicas.map { $0 * replaceCount }
            cp.rollout = Rollout(machines: machines, steps: cp.replicas.flatMap { strategy.steps(replicas: $0) }.map { $0 * replaceCount },
                                 strategy: strategy, reasons: reasons)
        }
        return cp.rollout == nil && cp.scale == nil && cp.inPlace.isEmpty && cp.held == nil ? nil : cp
    }

    // MARK: Workers

    func workers() -> [WorkerImpact] {
        var out: [WorkerImpact] = []
        let order = workerOrder()
        for (kind, isPool) in [("MachineDeployment", false), ("MachinePool", true)] {
            let b = Dictionary(uniqueKeysWithValues: (base?.objects ?? []).compactMap { d in Self.workerTopology(d.role, pool: isPool).map { ($0, d) } })
            let h = Dictionary(uniqueKeysWithValues: (head?.objects ?? []).compactMap { d in Self.workerTopology(d.role, pool: isPool).map { ($0, d) } })
            let names = Set(b.keys).union(h.keys).sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
            for t in names {
                if let w = worker(kind: kind, topology: t, old: b[t], new: h[t], pool: isPool) { out.append(w) }
            }
        }
        return out
    }

    func worker(kind: String, topology t: String, old: DesiredObject?, new: DesiredObject?, pool: Bool) -> WorkerImpact? {
        switch (old, new) {
        case (nil, nil):
            return nil
        case (nil, let n?):
            var w = WorkerImpact(kind: kind, topology: t, name: n.object.name, action: .create)
            w.createdMachines = Self.replicas(n.object) ?? 0
            if n.hints.contains(.pendingCreate) {
                w.action = .held
                w.held = "created once the control plane is stable (no upgrade or provisioning in progress)"
            }
            return w
        case (let o?, nil):
            var w = WorkerImpact(kind: kind, topology: t, name: o.object.name, action: .delete)
            w.deletedMachines = Self.replicas(o.object) ?? 0
            return w
        case (let old?, let new?):
            let o = Normalizer.normalize(old.object), h = Normalizer.normalize(new.object)
            var w = WorkerImpact(kind: kind, topology: t, name: h.name, action: .none)
            var reasons: [String] = []
            let ov = Self.string(o, ["spec", "template", "spec", "version"]), nv = Self.string(h, ["spec", "template", "spec", "version"])
            if ov != nv { reasons.append("version \(ov ?? "?") → \(nv ?? "?")") }
            let infraPath = ["spec", "template", "spec", "infrastructureRef", "name"]
            if let a = Self.string(o, infraPath), let b = Self.string(h, infraPath), a != b {
                let side: ObjectRole = pool ? .machinePoolInfrastructure(topology: t) : .machineDeploymentInfrastructureTemplate(topology: t)
                reasons.append("infrastructure template rotated: \(a) → \(b)" + templateSummary(side))
            }
            let bootPath = ["spec", "template", "spec", "bootstrap"]
            if let a = o.body[path: bootPath], let b = h.body[path: bootPath], !ObjectDiffEquality.equal(a, b) {
                let an = a[path: ["configRef", "name"]]?.stringValue ?? "?", bn = b[path: ["configRef", "name"]]?.stringValue ?? "?"
                let side: ObjectRole = pool ? .machinePoolBootstrapConfig(topology: t) : .machineDeploymentBootstrapTemplate(topology: t)
                reasons.append((an != bn ? "bootstrap template rotated: \(an) → \(bn)" : "bootstrap changed") + templateSummary(side))
            }
            let fd = ["spec", "template", "spec", "failureDomain"]
            if o.body[path: fd] != h.body[path: fd] { reasons.append("failure domain \(FieldChange.short(o.body[path: fd])) → \(FieldChange.short(h.body[path: fd]))") }
            // Template objects updated under the same name (live templates already differ): they rotate when applied.
            for side in pool ? [ObjectRole.machinePoolInfrastructure(topology: t), .machinePoolBootstrapConfig(topology: t)]
                             : [.machineDeploymentInfrastructureTemplate(topology: t), .machineDeploymentBootstrapTemplate(topology: t)] {
                if let a = object(base, side), let b = object(head, side), a.object.name == b.object.name, !pool,
                   !diff.changes(old: Normalizer.normalize(a.object).spec ?? .null, new: Normalizer.normalize(b.object).spec ?? .null, apiVersion: b.object.apiVersion).isEmpty {
                    reasons.append("\(side == .machineDeploymentInfrastructureTemplate(topology: t) ? "infrastructure" : "bootstrap") template spec changed; it rotates to a new name when applied" + templateSummary(side))
                }
            }
            let strategy = Self.workerStrategy(h, pool: pool)
            let replicas = Self.replicas(h)
            let or = Self.replicas(o)
            if let or, let replicas, or != replicas { w.scale = Scale(from: or, to: replicas) }
            if !reasons.isEmpty {
                w.rollout = Rollout(machines: replicas, steps: pool ? nil : replicas.flatMap { strategy.steps(replicas: $0) }, strategy: strategy, reasons: reasons)
            }
            let inPlacePrefixes = [["spec", "template", "metadata"], ["spec", "template", "spec", "minReadySeconds"], ["spec", "template", "spec", "readinessGates"],
                                   ["spec", "template", "spec", "deletion"], ["spec", "template", "spec", "taints"], ["spec", "template", "spec", "nodeDrainTimeout"],
                                   ["spec", "template", "spec", "nodeVolumeDetachTimeout"], ["spec", "template", "spec", "nodeDeletionTimeout"],
                                   ["spec", "rollout"], ["spec", "strategy"], ["spec", "remediation"], ["spec", "deletion"], ["spec", "minReadySeconds"], ["metadata", "labels"], ["metadata", "annotations"]]
            for prefix in inPlacePrefixes {
                let c = diff.changes(old: o.body[path: prefix] ?? .null, new: h.body[path: prefix] ?? .null, apiVersion: h.apiVersion)
                if !c.isEmpty { w.inPlace.append(Self.pathList(c, prefix: prefix.joined(separator: "."))) }
            }
            if !pool, let a = object(base, .machineDeploymentHealthCheck(topology: t)), let b = object(head, .machineDeploymentHealthCheck(topology: t)) {
                let c = diff.changes(old: Normalizer.normalize(a.object), new: Normalizer.normalize(b.object))
                if !c.isEmpty { w.inPlace.append("MachineHealthCheck \(Self.pathList(c, prefix: ""))") }
            } else if !pool, (object(base, .machineDeploymentHealthCheck(topology: t)) == nil) != (object(head, .machineDeploymentHealthCheck(topology: t)) == nil) {
                w.inPlace.append(object(head, .machineDeploymentHealthCheck(topology: t)) == nil ? "MachineHealthCheck removed" : "MachineHealthCheck added")
            }
            if new.hints.contains(.pendingUpgrade), let target = headClusterVersion, nv != target {
                w.action = .held
                w.held = deferredReason(t) ?? "upgrade to \(target) waits for its turn (the control plane upgrades first, then workers in order)"
                let steps = max(1, (head?.upgrade.workersUpgradePlan ?? []).count)
                w.rollout = Rollout(machines: replicas.map { $0 * steps }, steps: pool ? nil : replicas.flatMap { strategy.steps(replicas: $0) }.map { $0 * steps },
                                    strategy: strategy, reasons: ["version \(nv ?? "?") → \(target) after the control plane" + (steps > 1 ? " in \(steps) steps" : "")])
            } else if w.rollout != nil {
                w.action = .rollout
            } else if w.scale != nil {
                w.action = .scale
            } else if !w.inPlace.isEmpty {
                w.action = .inPlace
            }
            return w.action == .none ? nil : w
        }
    }

    // MARK: Upgrades

    var headClusterVersion: String? {
        object(head, .cluster).flatMap { Self.string($0.object, ["spec", "topology", "version"]) }
    }

    func upgrade() -> UpgradeImpact? {
        guard let head else { return nil }
        let cpOld = object(base, .controlPlane).flatMap { Self.string($0.object, ["spec", "version"]) }
        guard let to = headClusterVersion, let from = cpOld ?? object(base, .cluster).flatMap({ Self.string($0.object, ["spec", "topology", "version"]) }), from != to else {
            return nil
        }
        var cpSteps = head.upgrade.controlPlaneUpgradePlan
        if cpSteps.isEmpty { cpSteps = [to] }
        let existing = Set((base?.objects ?? []).compactMap { d -> String? in
            switch d.role {
            case .machineDeployment(let t), .machinePool(let t): return t
            default: return nil
            }
        })
        let order = workerOrder().filter(existing.contains)
        var deferred: [String: String] = [:]
        for t in order { if let r = deferredReason(t) { deferred[t] = r } }
        let concurrency = cluster.flatMap { Int($0.annotations["topology.cluster.x-k8s.io/upgrade-concurrency"] ?? "") }.map { max(1, $0) } ?? 1
        return UpgradeImpact(from: from, to: to, controlPlaneSteps: cpSteps, workerSteps: head.upgrade.workersUpgradePlan, workerOrder: order,
                             concurrency: concurrency, deferred: deferred, controlPlaneReplicas: object(head, .controlPlane).flatMap { Self.replicas($0.object) })
    }

    /// Worker topology names in the order the Cluster lists them (MachineDeployments, then MachinePools).
    func workerOrder() -> [String] {
        guard let cluster else { return [] }
        return ["machineDeployments", "machinePools"].flatMap { kind in
            (cluster.body[path: ["spec", "topology", "workers", kind]]?.listValue ?? []).compactMap { $0["name"]?.stringValue }
        }
    }

    /// Why a worker topology does not upgrade (its own defer/hold annotation, or a hold on an earlier one).
    func deferredReason(_ topology: String) -> String? { Self.deferredReason(topology, cluster: cluster) }

    /// Why a worker topology of `cluster` (as written in Git) does not upgrade: its own
    /// `defer-upgrade`/`hold-upgrade-sequence` annotation, or a hold on an earlier topology
    /// (desired_state.go `isMachineDeploymentDeferred`).
    static func deferredReason(_ topology: String, cluster: KubeObject?) -> String? {
        guard let cluster else { return nil }
        let items = ["machineDeployments", "machinePools"].flatMap { cluster.body[path: ["spec", "topology", "workers", $0]]?.listValue ?? [] }
        for item in items {
            let name = item["name"]?.stringValue ?? ""
            let annotations = item[path: ["metadata", "annotations"]]?.mapValue
            if name == topology {
                if annotations?.contains("topology.cluster.x-k8s.io/defer-upgrade") == true { return "deferred: annotation topology.cluster.x-k8s.io/defer-upgrade (upgrades once it is removed)" }
                if annotations?.contains("topology.cluster.x-k8s.io/hold-upgrade-sequence") == true { return "held: annotation topology.cluster.x-k8s.io/hold-upgrade-sequence (it and the topologies after it wait)" }
                return nil
            }
            if annotations?.contains("topology.cluster.x-k8s.io/hold-upgrade-sequence") == true {
                return "held: \(name) earlier in the sequence has topology.cluster.x-k8s.io/hold-upgrade-sequence"
            }
        }
        return nil
    }

    // MARK: Helpers

    func object(_ r: ClusterRender?, _ role: ObjectRole) -> DesiredObject? { r?.objects.first { $0.role == role } }

    /// ` (spec.template.spec.extraMounts changed)` for the template behind `role`, when both sides exist.
    func templateSummary(_ role: ObjectRole) -> String {
        guard let a = object(base, role), let b = object(head, role) else { return "" }
        let c = diff.changes(old: Normalizer.normalize(a.object).spec ?? .null, new: Normalizer.normalize(b.object).spec ?? .null, apiVersion: b.object.apiVersion)
        return c.isEmpty ? "" : " (\(Self.pathList(c, prefix: "spec")) changed)"
    }

    static func workerTopology(_ role: ObjectRole, pool: Bool) -> String? {
        switch role {
        case .machineDeployment(let t) where !pool: t
        case .machinePool(let t) where pool: t
        default: nil
        }
    }

    static func replicas(_ o: KubeObject) -> Int? { o.body[path: ["spec", "replicas"]]?.intValue.map { Int($0) } }

    static func string(_ o: KubeObject, _ path: [String]) -> String? { o.body[path: path]?.stringValue }

    /// `a.b, c (+2 more)`, paths relative to `prefix`.
    static func pathList(_ changes: [FieldChange], prefix: String, limit: Int = 3) -> String {
        var seen: [String] = []
        for c in changes {
            var p = c.path.display
            if !prefix.isEmpty && p.isEmpty { p = prefix } else if !prefix.isEmpty { p = prefix + "." + p }
            if !seen.contains(p) { seen.append(p) }
        }
        let shown = seen.prefix(limit).joined(separator: ", ")
        return seen.count > limit ? "\(shown) (+\(seen.count - limit) more)" : shown
    }

    /// MachineDeployment rollout settings (v1beta2 `spec.rollout.strategy`, v1beta1 `spec.strategy`; defaults
    /// RollingUpdate, maxSurge 1, maxUnavailable 0).
    static func workerStrategy(_ o: KubeObject, pool: Bool) -> RolloutStrategy {
        let s = o.body[path: ["spec", "rollout", "strategy"]] ?? o.body[path: ["spec", "strategy"]]
        if s?["type"]?.stringValue == "OnDelete" { return RolloutStrategy(kind: .onDelete, maxSurge: 0, maxUnavailable: 0) }
        let replicas = replicas(o) ?? 0
        let surge = intOrPercent(s?[path: ["rollingUpdate", "maxSurge"]], of: replicas, roundUp: true) ?? 1
        let unavailable = intOrPercent(s?[path: ["rollingUpdate", "maxUnavailable"]], of: replicas, roundUp: false) ?? 0
        return RolloutStrategy(kind: .rollingUpdate, maxSurge: surge, maxUnavailable: unavailable)
    }

    /// KubeadmControlPlane rollout: one machine at a time, surging by `maxSurge` (0 or 1, default 1).
    static func controlPlaneStrategy(_ o: KubeObject) -> RolloutStrategy {
        let s = o.body[path: ["spec", "rollout", "strategy"]] ?? o.body[path: ["spec", "rolloutStrategy"]]
        let surge = intOrPercent(s?[path: ["rollingUpdate", "maxSurge"]], of: replicas(o) ?? 0, roundUp: true) ?? 1
        return RolloutStrategy(kind: .rollingUpdate, maxSurge: min(1, surge), maxUnavailable: surge == 0 ? 1 : 0)
    }

    /// An int-or-string (`1`, `"25%"`) resolved against `total` (Kubernetes rounds surge up, unavailable down).
    static func intOrPercent(_ v: Value?, of total: Int, roundUp: Bool) -> Int? {
        guard let v else { return nil }
        if let i = v.intValue { return Int(i) }
        guard let s = v.stringValue else { return nil }
        if s.hasSuffix("%"), let p = Int(s.dropLast()) {
            let x = p * total
            return roundUp ? (x + 99) / 100 : x / 100
        }
        return Int(s)
    }
}

/// Equality with `null` as absent (shared with CapstanDiff's comparison).
enum ObjectDiffEquality {
    static func equal(_ a: Value, _ b: Value) -> Bool {
        ObjectDiff().changes(old: a, new: b, apiVersion: "").isEmpty
    }
}
