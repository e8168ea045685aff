public import CapstanCluster
public import CapstanDiff
public import CapstanFleet
public import CapstanModel
import CapstanTopology

/// Drift between a fleet revision and the management cluster, per topology Cluster — the library API the
/// daemon calls periodically (report mode, or correct mode) and `capstan drift` runs once.
///
/// Desired state comes from the one renderer, rendered against the live objects (so names, upgrade holds and
/// owner uids are the real ones). Then `DriftDetector` compares: fields Capstan sets whose live value differs,
/// objects Capstan wants that are missing, and objects Capstan applied that the fleet no longer wants.
/// Templates a live MachineSet still references are not reported (Cluster API deletes rotated templates
/// once no MachineSet uses them), nor anything of a Cluster that does not render.
public struct DriftCheck: Sendable {
    public var detector: DriftDetector

    public init(detector: DriftDetector = DriftDetector()) { self.detector = detector }

    /// The outcome of one check.
    public struct Result: Sendable {
        /// One report per topology Cluster (and one for other fleet objects), fleet-level first.
        public var reports: [DriftReport]
        /// What Capstan applies, by identity (used to correct).
        public var intended: [IntendedObject]
        /// Problems that stopped the whole comparison (the fleet does not load).
        public var problems: [Diagnostic]

        /// No drift anywhere and nothing stopped the comparison.
        public var isClean: Bool { problems.isEmpty && reports.allSatisfy(\.isClean) }
    }

    /// Compares `fleet` with `live` (every object of the management cluster that matters: the fleet's kinds,
    /// the rendered kinds, MachineSets and Machines). Pure.
    public func check(fleet: FleetSnapshot, live: [KubeObject]) -> Result {
        let loadErrors = fleet.diagnostics.filter { $0.severity == .error }
        // A fleet that does not load would make everything it failed to read look undesired.
        guard loadErrors.isEmpty else { return Result(reports: [], intended: [], problems: loadErrors) }
        let renderer = TopologyRenderer(fleet: FleetIndex(snapshot: fleet), live: LiveObjectIndex(live))
        let render = Planner.renderFleet(renderer)
        var intended: [IntendedObject] = []
        for so in render.passthrough {
            intended.append(IntendedObject(object: so.object, manager: FieldManagers.git, location: so.location))
        }
        var retained = Self.referencedByMachineSets(live)
        var failed: [ObjectKey: [Diagnostic]] = [:]
        for c in render.clusters {
            let location = fleet.object(c.cluster)?.location
            if c.failed {
                failed[c.cluster] = c.errors
                for o in live where o.namespace == c.cluster.namespace && o.labels["cluster.x-k8s.io/cluster-name"] == c.cluster.name { retained.insert(o.key) }
                if let l = live.first(where: { $0.key == c.cluster }) { retained.insert(l.key) }
                continue
            }
            for d in c.objects {
                intended.append(IntendedObject(object: d.object, manager: FieldManagers.manager(rendered: d.role != .cluster), cluster: c.cluster,
                                               mayBeAbsent: d.hints.contains(.pendingCreate), location: location))
            }
        }
        var reports = detector.detect(intended: intended, live: live, retained: retained)
        for (key, errors) in failed.sorted(by: { $0.key < $1.key }) {
            if let i = reports.firstIndex(where: { $0.cluster == key }) {
                reports[i].diagnostics += errors
            } else {
                reports.append(DriftReport(cluster: key, diagnostics: errors))
            }
        }
        reports.sort { a, b in
            switch (a.cluster, b.cluster) {
            case (nil, _): return b.cluster != nil
            case (_, nil): return false
            case (let x?, let y?): return x < y
            }
        }
        return Result(reports: reports, intended: intended, problems: [])
    }

    /// Reads the live objects of `kinds` from `cluster`, checks, and in correct mode re-applies every drifted or
    /// missing object with its Capstan field manager (server-side apply, `force`), recording the outcome per
    /// object. Objects the fleet no longer wants are reported, never deleted (pruning is the daemon's, with
    /// its safety checks).
    public func run(fleet: FleetSnapshot, cluster: any ManagementCluster, kinds: [GroupVersionKind], correct: Bool) async throws -> Result {
        let live = try await Self.readLive(cluster, kinds: kinds)
        var result = check(fleet: fleet, live: live)
        guard correct else { return result }
        var byKey: [ObjectKey: IntendedObject] = [:]
        for i in result.intended { byKey[i.object.key] = i }
        // Re-apply in apply order: the intended list is already ordered (fleet objects, then Clusters in apply order).
        let order = Dictionary(result.intended.enumerated().map { ($0.element.object.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var targets: [(report: Int, object: Int)] = []
        for (r, report) in result.reports.enumerated() {
            for (o, drift) in report.objects.enumerated() where drift.state != .notDesired { targets.append((r, o)) }
        }
        targets.sort { order[result.reports[$0.report].objects[$0.object].key] ?? 0 < order[result.reports[$1.report].objects[$1.object].key] ?? 0 }
        for t in targets {
            let drift = result.reports[t.report].objects[t.object]
            guard let item = byKey[drift.key] else { continue }
            do {
                var body = Normalizer.normalize(item.object)
                if let live = try await cluster.get(body.gvk, namespace: body.namespace, name: body.name) {
                    body = Normalizer.resolvePlaceholderOwners(body, from: live)
                }
                _ = try await cluster.apply(body, fieldManager: drift.manager, force: true)
                result.reports[t.report].objects[t.object].corrected = true
            } catch {
                result.reports[t.report].objects[t.object].corrected = false
                result.reports[t.report].objects[t.object].error = "\(error)"
            }
        }
        return result
    }

    /// Every object of `kinds` (all namespaces).
    public static func readLive(_ cluster: any ManagementCluster, kinds: [GroupVersionKind]) async throws -> [KubeObject] {
        var out: [KubeObject] = []
        var seen = Set<GroupKind>()
        for gvk in kinds where seen.insert(gvk.groupKind).inserted {
            out += try await cluster.list(gvk).items
        }
        return out
    }

    /// Templates live MachineSets reference (infrastructure and bootstrap), which must outlive a rotation.
    static func referencedByMachineSets(_ live: [KubeObject]) -> Set<ObjectKey> {
        var out = Set<ObjectKey>()
        for ms in live where ms.key.group == "cluster.x-k8s.io" && ms.kind == "MachineSet" {
            for path in [["spec", "template", "spec", "infrastructureRef"], ["spec", "template", "spec", "bootstrap", "configRef"]] {
                guard let ref = ms.body[path: path], let kind = ref["kind"]?.stringValue, let name = ref["name"]?.stringValue else { continue }
                let group = ref["apiGroup"]?.stringValue ?? GroupVersionKind(apiVersion: ref["apiVersion"]?.stringValue ?? "", kind: kind).group
                out.insert(ObjectKey(group: group, kind: kind, namespace: ms.namespace, name: name))
            }
        }
        return out
    }
}
