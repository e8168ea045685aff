import CapstanFleet
import CapstanModel
import CapstanPolicy

extension FleetReconciler {
    /// Step 3: validate. Lint-level problems came with the snapshot; here every changed Git object (topology
    /// Clusters included) is admitted by the policies (the fleet's own ValidatingAdmissionPolicies, those of
    /// the configured policy directories and of `--policies`), as an UPDATE from the previous revision's
    /// document or a CREATE. A Deny holds the object (and a denied Cluster's whole topology); a Warn is
    /// reported only. Verdicts of unchanged objects come from the cache.
    func validate(_ scope: inout SyncScope) async throws {
        guard var state = scope.state, !scope.changedPaths.isEmpty else { return }
        var denied: [ObjectKey: [String]] = [:]
        var verdicts: [ObjectKey: (hash: String, verdicts: [PolicyVerdict])] = [:]
        let engine = state.policies
        for (n, o) in (state.gitObjects + Array(state.clusters.values)).enumerated() {
            if n % 64 == 63 { await Task.yield() }  // a large fleet's admission must not hold a pool thread for long
            let hash = state.hashes[o.key] ?? ""
            let vs: [PolicyVerdict]
            if let cached = gitVerdicts[o.key], cached.hash == hash {
                vs = cached.verdicts
            } else if let old = previousObjects[o.key] {
                vs = engine.evaluate(.update(o.object, from: old, at: o.location)).verdicts
            } else {
                vs = engine.evaluate(.create(o.object, at: o.location)).verdicts
            }
            verdicts[o.key] = (hash, vs)
            let denials = vs.filter(\.denies)
            if !denials.isEmpty {
                denied[o.key] = denials.map(Self.denialLine)
                for v in denials { env.metrics.policyDenials(policy: v.policy, count: 1) }
            }
        }
        gitVerdicts = verdicts
        state.denied = denied
        for (key, lines) in denied.sorted(by: { $0.key < $1.key }) {
            state.problems.append(Diagnostic(.error, at: state.snapshot.object(key)?.location, object: key.description,
                                             message: "denied, not applied: " + lines.joined(separator: "; ")))
        }
        for (key, entry) in verdicts.sorted(by: { $0.key < $1.key }) {
            let warnings = entry.verdicts.filter { !$0.denies && $0.actions.contains(.warn) }
            let id = ClusterID(namespace: key.namespace, name: key.name)
            if state.clusters[id]?.key == key {
                records[id, default: ClusterRecord(id: id)].policyWarnings = warnings.map(\.description)
                continue
            }
            for v in warnings {
                state.problems.append(Diagnostic(.warning, at: v.location, object: key.description, message: "policy \(v.policy): \(v.message)"))
            }
        }
        previousObjects = Dictionary(state.snapshot.objects.map { ($0.key, $0.object) }, uniquingKeysWith: { a, _ in a })
        self.state = state
        scope.state = state
    }

    /// `policy P (binding B): message`: a denial as status reports show it (the location is the object's).
    static func denialLine(_ v: PolicyVerdict) -> String {
        "policy \(v.policy)\(v.binding.map { " (binding \($0))" } ?? ""): \(v.message)"
    }
}
