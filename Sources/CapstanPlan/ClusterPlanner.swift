import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology

/// Plans one topology Cluster: its object changes, the Git causes, the machine impact and the policy verdicts.
struct ClusterPlanner {
    let key: ObjectKey
    let base: ClusterRender?
    let head: ClusterRender?
    let context: Planner.Context

    /// The plan of a Cluster whose inputs did not change: its base render stands for both sides.
    static func unchanged(key: ObjectKey, render: ClusterRender, context: Planner.Context) -> ClusterPlan {
        let source = context.input.head.object(key)
        var out = ClusterPlan(key: key, status: render.failed ? .failed : .unchanged)
        out.className = source.flatMap { TopologyRefs.classKey(of: $0.object) }.map { "\($0.namespace)/\($0.name)" }
        out.baseVersion = source.flatMap { $0.object.body[path: ["spec", "topology", "version"]]?.stringValue }
        out.headVersion = out.baseVersion
        out.unchangedCount = render.objects.count
        out.diagnostics = render.diagnostics.filter { !isNotLiveNoise($0) }
        if render.failed {
            out.baseFailed = true
            out.baseDiagnostics = render.errors
        }
        return out
    }

    /// Why a removed Cluster is not deleted right away.
    static let deletionHeld = "deletion requires approval: deleting a Cluster destroys its machines and infrastructure"

    func plan() -> ClusterPlan {
        let headSource = context.input.head.object(key), baseSource = context.input.base.object(key)
        var out = ClusterPlan(key: key, status: .unchanged)
        out.diagnostics = (head?.diagnostics ?? []).filter { !Self.isNotLiveNoise($0) }
        out.baseDiagnostics = (base?.errors ?? [])
        out.baseFailed = base?.failed ?? false
        let gitCluster = (headSource ?? baseSource)?.object
        out.className = gitCluster.flatMap(TopologyRefs.classKey).map { "\($0.namespace)/\($0.name)" }
        out.baseVersion = baseSource.flatMap { $0.object.body[path: ["spec", "topology", "version"]]?.stringValue }
        out.headVersion = headSource.flatMap { $0.object.body[path: ["spec", "topology", "version"]]?.stringValue }

        let attribution = self.attribution(headSource: headSource, baseSource: baseSource)
        if let head, head.failed {
            out.status = .failed
            out.causes = attribution.clusterCauses + attribution.classCauses + attribution.templateCauses.keys.sorted().flatMap { attribution.templateCauses[$0]! }
            return out
        }
        let baseObjects = (base?.failed ?? true) ? [] : base!.objects
        let headObjects = head?.objects ?? []
        out.status = head == nil ? .removed : (base == nil ? .added : .unchanged)

        let clusterLocation = (headSource ?? baseSource)?.location
        var baseByKey: [ObjectKey: DesiredObject] = [:]
        for d in baseObjects { baseByKey[d.object.key] = d }
        var seen = Set<ObjectKey>()
        var objects: [ObjectPlan] = []
        var unchanged = 0
        for d in headObjects where seen.insert(d.object.key).inserted {
            let old = baseByKey[d.object.key]
            var change = ChangeSet.change(old: old?.object, new: d.object, diff: context.diff)
            var notes: [String] = []
            if let reason = heldReason(d, change: change) {
                change.change = .held(reason)
            }
            for h in d.hints {
                if case .rotated(let from) = h { notes.append("template rotated from \(from) (its spec changed)") }
            }
            if !change.change.isChange { unchanged += 1; continue }
            objects.append(objectPlan(change, role: d.role, notes: notes, attribution: attribution, gitCluster: d.role == .cluster ? (headSource, baseSource) : nil, derivedFrom: clusterLocation))
        }
        let deletions = Dictionary((head?.deletions ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let rotatedFrom = Dictionary(headObjects.flatMap { d in d.hints.compactMap { h -> (String, String)? in
            if case .rotated(let from) = h { return (from, d.object.name) }
            return nil
        } }, uniquingKeysWith: { a, _ in a })
        for d in baseObjects where !seen.contains(d.object.key) {
            seen.insert(d.object.key)
            var change = ChangeSet.change(old: d.object, new: nil, diff: context.diff)
            var notes: [String] = []
            if head == nil {
                change.change = .held(d.role == .cluster ? Self.deletionHeld : "deleted with the Cluster (owner references) once its deletion is approved")
            } else if let planned = deletions[d.object.key] {
                notes.append(planned.reason.description)
            } else if let newName = rotatedFrom[d.object.name] {
                change.change = .held("replaced by \(newName); kept while MachineSets use it (Cluster API deletes it after the rollout)")
            }
            objects.append(objectPlan(change, role: d.role, notes: notes, attribution: attribution, gitCluster: d.role == .cluster ? (headSource, baseSource) : nil, derivedFrom: clusterLocation))
        }
        out.objects = objects
        out.unchangedCount = unchanged
        if out.status == .unchanged && !objects.isEmpty { out.status = .changed }
        if out.status != .unchanged {
            var causes: [Cause] = []
            for c in attribution.clusterCauses + objects.flatMap(\.causes) where !causes.contains(c) { causes.append(c) }
            out.causes = causes
        }
        out.impact = ImpactAnalyzer(base: (base?.failed ?? true) ? nil : base, head: head, cluster: (headSource ?? baseSource)?.object, diff: context.diff).analyze()
        return out
    }

    /// Why a rendered object's change waits: the renderer holds creates while the control plane is not stable
    /// and updates while an upgrade waits for its turn.
    func heldReason(_ d: DesiredObject, change: ObjectChange) -> String? {
        if d.hints.contains(.pendingCreate), change.change == .create {
            return "created once the control plane is stable (no upgrade or provisioning in progress)"
        }
        guard d.hints.contains(.pendingUpgrade) else { return nil }
        let target = head?.objects.first { $0.role == .cluster }?.object.body[path: ["spec", "topology", "version"]]?.stringValue
        let versionPath: [String]
        switch d.role {
        case .controlPlane: versionPath = ["spec", "version"]
        case .machineDeployment, .machinePool: versionPath = ["spec", "template", "spec", "version"]
        default: return nil
        }
        guard let target, let current = d.object.body[path: versionPath]?.stringValue, current != target else { return nil }
        if case .controlPlane = d.role { return "upgrade to \(target) waits: the control plane is busy (provisioning, upgrading, or waiting for workers)" }
        if let t = d.role.topologyName, let reason = ImpactAnalyzer.deferredReason(t, cluster: (context.input.head.object(key) ?? context.input.base.object(key))?.object) {
            return "upgrade \(current) → \(target) " + reason
        }
        return "upgrade \(current) → \(target) waits for its turn: the control plane upgrades first, then workers in order"
    }

    func objectPlan(_ change: ObjectChange, role: ObjectRole, notes: [String], attribution: Attribution,
                    gitCluster: (FleetObject?, FleetObject?)?, derivedFrom: SourceLocation?) -> ObjectPlan {
        var p = ObjectPlan(change: change, role: role.description, notes: notes)
        p.causes = attribution.causes(for: (change.new ?? change.old)!, role: role)
        p.diff = context.hunks.render(change)
        // Policies see the Cluster as written in Git; rendered objects as rendered, located at their Cluster.
        if let (h, b) = gitCluster {
            p.verdicts = PolicyRequests.evaluate(context.engine, new: h?.object, old: b?.object, location: (h ?? b)?.location, derivedFrom: nil, change: change.change)
        } else if let head {
            let rendered = change.new == nil ? nil : head.objects.first { $0.object.key == change.key }?.object
            p.verdicts = PolicyRequests.evaluate(context.engine, new: rendered, old: base?.objects.first { $0.object.key == change.key }?.object,
                                                 location: nil, derivedFrom: derivedFrom, change: change.change)
        }
        return p
    }

    func attribution(headSource: FleetObject?, baseSource: FleetObject?) -> Attribution {
        let sources = context.sources
        let clusterCauses = sources.causes(of: key)
        let gitCluster = (headSource ?? baseSource)?.object
        var classKeys: [ObjectKey] = []
        for c in [headSource, baseSource].compactMap({ $0 }) { if let k = TopologyRefs.classKey(of: c.object), !classKeys.contains(k) { classKeys.append(k) } }
        var classCauses: [Cause] = []
        var templateCauses: [ObjectKey: [Cause]] = [:]
        for k in classKeys {
            classCauses += sources.causes(of: k)
            var templates: [ObjectKey] = []
            for snapshot in [context.input.head, context.input.base] {
                if let cc = snapshot.object(k) { for t in TopologyRefs.templates(of: cc.object) where !templates.contains(t) { templates.append(t) } }
            }
            for t in templates {
                let c = sources.causes(of: t)
                if !c.isEmpty { templateCauses[t] = c }
            }
        }
        return Attribution(clusterKey: key, clusterCauses: clusterCauses, classCauses: classCauses, templateCauses: templateCauses,
                           workerClasses: gitCluster.map(TopologyRefs.workerClasses) ?? [:])
    }

    /// The renderer's "not live yet" warning is expected in a plan (nothing is applied) and not shown.
    static func isNotLiveNoise(_ d: Diagnostic) -> Bool { d.severity == .warning && d.message.contains("is not live yet") }
}

/// Plans the objects that are not rendered from a Cluster: ClusterClasses, templates, Namespaces, CRDs, ...
struct FleetObjectPlanner {
    let context: Planner.Context
    let base: [SourceObject]
    let head: [SourceObject]
    /// Topology Cluster keys (never pass-through, even when a revision does not render them).
    let rendered: Set<ObjectKey>

    func plan() -> [ObjectPlan] {
        let b = base.filter { !rendered.contains($0.object.key) }, h = head.filter { !rendered.contains($0.object.key) }
        let set = ChangeSet.compute(old: b.map(\.object), new: h.map(\.object), diff: context.diff)
        return set.changes.filter { $0.change.isChange }.map { change in
            var p = ObjectPlan(change: change)
            p.causes = context.sources.causes(of: change.key)
            p.diff = context.hunks.render(change)
            let hs = context.input.head.object(change.key), bs = context.input.base.object(change.key)
            p.verdicts = PolicyRequests.evaluate(context.engine, new: hs?.object, old: bs?.object, location: (hs ?? bs)?.location, derivedFrom: nil, change: change.change)
            return p
        }
    }
}

/// Admission requests for a change: CREATE, UPDATE with the base object as `oldObject`, DELETE.
enum PolicyRequests {
    static func evaluate(_ engine: PolicyEngine, new: KubeObject?, old: KubeObject?, location: SourceLocation?, derivedFrom: SourceLocation?,
                         change: Change) -> [PolicyVerdict] {
        let request: AdmissionRequest
        switch (new, old, change) {
        case (_, let o?, .held):
            // A held Cluster deletion is still checked, so deletion protection shows in review.
            guard new == nil else { return [] }
            request = .delete(o, at: location)
        case (let n?, nil, _): request = .create(n, at: location, derivedFrom: derivedFrom)
        case (let n?, let o?, _): request = .update(n, from: o, at: location, derivedFrom: derivedFrom)
        case (nil, let o?, _): request = .delete(o, at: location)
        default: return []
        }
        var verdicts = engine.evaluate(request).verdicts
        let secrets = [new, old].compactMap { $0 }.flatMap(SecretMask.values(of:))
        if !secrets.isEmpty {
            verdicts = verdicts.map { v in
                var v = v
                v.message = SecretMask.scrub(v.message, values: secrets)
                return v
            }
        }
        return verdicts
    }
}
