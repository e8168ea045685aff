import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPlan

extension FleetReconciler {
    /// The drift step (drift-check runs only, instead of render → prune): compares the last loaded revision
    /// with the management cluster through the one drift computation, `CapstanPlan.DriftCheck` (the same call
    /// `capstan drift` makes), and in mode `correct` lets it re-apply what drifted or is missing. Objects the
    /// fleet no longer wants are only reported: deleting is pruning's job, with its safety rules.
    func checkDrift(_ scope: inout SyncScope) async throws {
        guard let state = scope.state, state.configValid else { return }
        let mode = state.config.drift.mode
        let kinds = driftKinds(state)
        let result = try await env.drift.run(fleet: state.driftFleet, cluster: env.cluster, kinds: kinds, correct: mode == .correct)
        let findings = DriftFindings(result: result, revision: state.revision.description, mode: mode)
        env.metrics.drift(objects: findings.objectCount, clusters: findings.clusterCount)
        lastDrift = findings
        scope.observe = Set(state.clusters.keys)
    }

    /// The kinds whose live objects the check reads: every kind the embedded server knows, else (another
    /// management cluster) the fleet's kinds and the kinds the topology renders.
    func driftKinds(_ state: RevisionState) -> [GroupVersionKind] {
        if let server = env.cluster as? ObjectServer { return server.kindRegistry.all.map(\.gvk) }
        var kinds = Set(state.driftFleet.objects.map(\.object.gvk))
        for kind in ["Cluster", "MachineDeployment", "MachineSet", "Machine", "MachineHealthCheck", "MachinePool"] {
            kinds.insert(GroupVersionKind(group: Vocabulary.capiGroup, version: "v1beta2", kind: kind))
        }
        kinds.insert(GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmControlPlane"))
        return kinds.sorted { ($0.group, $0.kind) < ($1.group, $1.kind) }
    }
}

extension RevisionState {
    /// The fleet as the drift check sees it: what this revision applies (Git objects not denied by a policy,
    /// topology Clusters not asked to be deleted), so nothing held back on purpose shows up as missing.
    var driftFleet: FleetSnapshot {
        let objects = (gitObjects + clusters.values.sorted { $0.key < $1.key }).filter { denied[$0.key] == nil }
        return FleetSnapshot(objects: objects, diagnostics: [], files: snapshot.files)
    }
}
