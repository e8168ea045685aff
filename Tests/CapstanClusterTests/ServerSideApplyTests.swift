import CapstanCluster
import CapstanModel
import Testing

/// Server-side apply with field managers, on every backend.
@Suite struct ServerSideApplyTests {
    /// A MachineDeployment as Capstan's renderer would apply it.
    static func desired(replicas: Int64 = 3, extraLabels: [String: String] = [:], withStrategy: Bool = true) -> KubeObject {
        var md = Fixtures.object("""
            {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment",
             "metadata":{"name":"md-0","namespace":"fleet","labels":{"cluster.x-k8s.io/cluster-name":"c1"}},
             "spec":{"clusterName":"c1","replicas":\(replicas),
                     "template":{"spec":{"clusterName":"c1","version":"v1.30.0"}}}}
            """)
        for (k, v) in extraLabels { md.body[path: ["metadata", "labels", k]] = .string(v) }
        if withStrategy { md.body[path: ["spec", "rollout"]] = ["strategy": ["type": "RollingUpdate"]] }
        return md
    }

    @Test(arguments: Backend.allCases)
    func applyCreatesAndRecordsManagedFields(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let md = try await t.cluster.apply(Self.desired(), fieldManager: "capstan")
        #expect(md.generation == 1)
        let entry = try #require(md.managedFields.first)
        #expect(md.managedFields.count == 1)
        #expect(entry.manager == "capstan")
        #expect(entry.operation == .apply)
        #expect(entry.apiVersion == "cluster.x-k8s.io/v1beta2")
        #expect(entry.time == "2023-11-14T22:13:20Z")
        #expect(JSON.serialize(entry.fields.fieldsV1) == #"{"f:metadata":{"f:labels":{"f:cluster.x-k8s.io/cluster-name":{}}},"f:spec":{"f:clusterName":{},"f:replicas":{},"f:rollout":{"f:strategy":{"f:type":{}}},"f:template":{"f:spec":{"f:clusterName":{},"f:version":{}}}}}"#)
        let raw = md.body[path: ["metadata", "managedFields"]]?[0]
        #expect(raw?.mapValue?.keys == ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"])
        #expect(raw?["fieldsType"] == "FieldsV1")
    }

    @Test(arguments: Backend.allCases)
    func fieldsOwnedByOthersSurviveAndConflictsNeedForce(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.apply(Self.desired(), fieldManager: "capstan")
        // An autoscaler takes replicas (forced, as a controller would), and a person adds a label with kubectl.
        let scale = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"md-0","namespace":"fleet"},"spec":{"replicas":5}}"#)
        let scaled = try await t.cluster.apply(scale, fieldManager: "autoscaler", force: true)
        #expect(scaled.spec?["replicas"] == 5)
        #expect(scaled.managers(owning: FieldPath(fields: "spec", "replicas")) == ["autoscaler"])
        var edited = scaled
        edited.body[path: ["metadata", "labels", "owner"]] = "ops"
        edited.body[path: ["spec", "paused"]] = true
        _ = try await t.cluster.update(edited, fieldManager: "kubectl-edit")

        // Capstan re-applies with its old replicas: conflict, listing manager and field the Kubernetes way.
        let err = await clusterError { _ = try await t.cluster.apply(Self.desired(replicas: 3), fieldManager: "capstan") }
        #expect(err?.caseName == "conflict")
        #expect(err?.description == #"Apply failed with 1 conflict: conflict with "autoscaler": .spec.replicas"#)
        guard case .conflict(_, .fieldManagers(let conflicts))? = err else { Issue.record("expected field-manager conflicts"); return }
        #expect(conflicts == [FieldConflict(manager: "\"autoscaler\"", path: ".spec.replicas")])

        // Applying without the contested field: the label and `paused` another manager set stay.
        var withoutReplicas = Self.desired()
        withoutReplicas.body[path: ["spec", "replicas"]] = nil
        let kept = try await t.cluster.apply(withoutReplicas, fieldManager: "capstan")
        #expect(kept.spec?["replicas"] == 5, "capstan no longer owns replicas; the autoscaler does")
        #expect(kept.labels["owner"] == "ops")
        #expect(kept.spec?["paused"] == true)

        // Forced apply takes ownership from the autoscaler.
        let forced = try await t.cluster.apply(Self.desired(replicas: 3), fieldManager: "capstan", force: true)
        #expect(forced.spec?["replicas"] == 3)
        #expect(forced.managers(owning: FieldPath(fields: "spec", "replicas")) == ["capstan"])
        #expect(forced.fieldsOwned(by: "autoscaler").isEmpty)
        #expect(!forced.managedFields.contains { $0.manager == "autoscaler" }, "a manager left with no fields is dropped")
        #expect(forced.labels["owner"] == "ops")
    }

    @Test(arguments: Backend.allCases)
    func droppedFieldsAreRemovedOnlyWhenOwned(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.apply(Self.desired(extraLabels: ["tier": "gold"]), fieldManager: "capstan")
        // Someone else also sets `tier` to the same value: shared ownership, no conflict.
        let shared = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"md-0","namespace":"fleet","labels":{"tier":"gold","extra":"x"}}}"#)
        let s = try await t.cluster.apply(shared, fieldManager: "labeler")
        #expect(s.managers(owning: FieldPath([.field("metadata"), .field("labels"), .field("tier")])) == ["capstan", "labeler"])

        // Capstan drops `tier` (shared: kept) and the rollout strategy (owned by capstan alone: removed).
        let next = try await t.cluster.apply(Self.desired(withStrategy: false), fieldManager: "capstan")
        #expect(next.labels["tier"] == "gold")
        #expect(next.labels["extra"] == "x")
        #expect(next.spec?["rollout"] == nil, "a map left empty by pruning goes too")
        #expect(next.generation == 2)

        // Labeler drops everything it set: `tier` is now owned by nobody and goes; `extra` too.
        let gone = try await t.cluster.apply(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"md-0","namespace":"fleet"}}"#), fieldManager: "labeler")
        #expect(gone.labels == ["cluster.x-k8s.io/cluster-name": "c1"])

        // A field another manager wrote with an ordinary update is not removed by an apply that omits it.
        var raw = gone
        raw.body[path: ["spec", "minReadySeconds"]] = 10
        _ = try await t.cluster.update(raw, fieldManager: "legacy")
        let again = try await t.cluster.apply(Self.desired(withStrategy: false), fieldManager: "capstan")
        #expect(again.spec?["minReadySeconds"] == 10)
    }

    @Test(arguments: Backend.allCases)
    func dryRunPersistsNothing(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let preview = try await t.cluster.dryRunApply(Self.desired(), fieldManager: "capstan")
        #expect(preview.spec?["replicas"] == 3)
        #expect(preview.resourceVersion == nil)
        #expect(try await t.cluster.get(Fixtures.mdGVK, namespace: "fleet", name: "md-0") == nil)
        let live = try await t.cluster.apply(Self.desired(), fieldManager: "capstan")
        let changed = try await t.cluster.dryRunApply(Self.desired(replicas: 4), fieldManager: "capstan")
        #expect(changed.spec?["replicas"] == 4)
        #expect(changed.generation == 2)
        #expect(changed.resourceVersion == live.resourceVersion)
        let stored = try await t.cluster.get(Fixtures.mdGVK, namespace: "fleet", name: "md-0")
        #expect(stored == live)
        let same = try await t.cluster.apply(Self.desired(), fieldManager: "capstan")
        #expect(same.resourceVersion == live.resourceVersion, "re-applying the same intent is a no-op")
    }

    @Test(arguments: Backend.allCases)
    func applyToStatusAndApplyPreconditions(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.apply(Self.desired(), fieldManager: "capstan")
        let status = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"md-0","namespace":"fleet"},"spec":{"replicas":99},"status":{"replicas":3}}"#)
        let s = try await t.cluster.apply(status, fieldManager: "md-controller", options: ApplyOptions(subresource: .status))
        #expect(s.status?["replicas"] == 3)
        #expect(s.spec?["replicas"] == 3, "a status apply ignores spec")
        #expect(s.fieldsOwned(by: "md-controller").paths.map(\.description) == [".status.replicas"])
        var stale = Self.desired(replicas: 7)
        stale.resourceVersion = "1"
        let err = await clusterError { _ = try await t.cluster.apply(stale, fieldManager: "capstan") }
        #expect(err?.caseName == "conflict")
        let noManager = await clusterError { _ = try await t.cluster.apply(Self.desired(), fieldManager: "") }
        #expect(noManager?.description == "fieldManager: Required value: is required for apply requests")
    }
}
