public import CapstanModel

/// One object a drift check compares: what the last applied revision asks for (the apply configuration
/// and its field manager), the live object, and what a server-side apply dry run would make of it.
public struct DriftCandidate: Sendable {
    public var key: ObjectKey
    public var cluster: ClusterID?
    /// The apply configuration Capstan sends for the object.
    public var desired: KubeObject
    public var fieldManager: String
    /// The live object (nil: it is missing).
    public var live: KubeObject?
    /// The dry-run result (nil when it was not computed).
    public var dryRun: KubeObject?
}

/// The seam for the drift computation: given the candidates of the last applied revision, say what drifted.
/// `FieldDriftCheck` (below) compares dry-run results with live objects field by field; a richer
/// computation (the plan module's drift report) can be handed to the reconciler instead.
public protocol DriftCheck: Sendable {
    func drift(of candidates: [DriftCandidate]) async throws -> [DriftFindings.Object]
}

/// Drift as the dry run sees it: a missing object, or the fields where applying the configuration again
/// would change the live object (fields Capstan owns that someone else changed).
public struct FieldDriftCheck: DriftCheck {
    public init() {}

    public func drift(of candidates: [DriftCandidate]) async throws -> [DriftFindings.Object] {
        candidates.compactMap { c in
            guard let live = c.live else { return DriftFindings.Object(key: c.key, cluster: c.cluster, details: ["missing: the object does not exist"]) }
            guard let result = c.dryRun else { return nil }
            var paths: [String] = []
            Self.differences(live.body, result.body, path: "", into: &paths)
            return paths.isEmpty ? nil : DriftFindings.Object(key: c.key, cluster: c.cluster, details: paths.sorted())
        }
    }

    /// Paths (`spec.replicas`) where two values differ; metadata Capstan does not own is skipped.
    static func differences(_ a: Value, _ b: Value, path: String, into out: inout [String]) {
        if ["metadata.managedFields", "metadata.resourceVersion", "metadata.generation", "status"].contains(path) { return }
        switch (a, b) {
        case (.map(let x), .map(let y)):
            var keys = x.map(\.key)
            for e in y where x[e.key] == nil { keys.append(e.key) }
            for k in keys {
                let p = path.isEmpty ? k : "\(path).\(k)"
                switch (x[k], y[k]) {
                case (let l?, let r?): differences(l, r, path: p, into: &out)
                case (nil, .some): out.append("\(p): missing")
                case (.some, nil): out.append("\(p): not wanted")
                default: break
                }
            }
        default:
            if a != b { out.append("\(path): \(short(a)) (wants \(short(b)))") }
        }
    }

    static func short(_ v: Value) -> String {
        let s = JSON.serialize(v)
        return s.count > 60 ? String(s.prefix(57)) + "..." : s
    }
}

extension FleetReconciler {
    /// The findings of a drift run: every planned object of the last applied revision is handed to the drift
    /// check (the environment's, else `FieldDriftCheck`) with its live object and dry-run result.
    func driftFindings(_ scope: SyncScope, _ state: RevisionState) async throws -> DriftFindings {
        var candidates: [DriftCandidate] = []
        for p in scope.gitPlans where p.error == nil && state.denied[p.key] == nil {
            candidates.append(DriftCandidate(key: p.key, cluster: nil, desired: p.object, fieldManager: p.manager, live: p.live, dryRun: p.dryRun))
        }
        for plan in scope.clusterPlans.values where plan.problem == nil {
            for p in plan.objects {
                if case .held? = p.change { continue }
                candidates.append(DriftCandidate(key: p.key, cluster: plan.id, desired: p.object, fieldManager: p.manager, live: p.live, dryRun: p.dryRun))
            }
        }
        let check = env.driftCheck ?? FieldDriftCheck()
        let objects = try await check.drift(of: candidates).sorted { $0.key < $1.key }
        env.metrics.drift(objects: objects.count, clusters: Set(objects.compactMap(\.cluster)).count)
        let mode = state.config.drift.mode
        return DriftFindings(revision: state.revision.description, mode: mode, objects: objects, corrected: mode == .correct && !objects.isEmpty)
    }
}
