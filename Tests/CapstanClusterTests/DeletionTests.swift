import CapstanCluster
import CapstanModel
import Testing

/// Finalizers, owner-reference garbage collection and namespace deletion, on every backend.
@Suite struct DeletionTests {
    static func object(_ kind: String, _ name: String, owners: [OwnerReference] = [], finalizers: [String] = []) -> KubeObject {
        var o = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: kind, namespace: "fleet", name: name)
        o.ownerReferences = owners
        o.finalizers = finalizers
        o.spec = ["clusterName": "c1"]
        return o
    }

    static func exists(_ t: TestCluster, _ kind: String, _ name: String) async throws -> Bool {
        try await t.cluster.get(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: kind), namespace: "fleet", name: name) != nil
    }

    @Test(arguments: Backend.allCases)
    func finalizersBlockDeletionUntilRemoved(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Self.object("Machine", "m1", finalizers: ["machine.cluster.x-k8s.io"]), fieldManager: "test")
        t.clock.advance(seconds: 60)
        try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: "m1")
        var m = try #require(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1"))
        #expect(m.deletionTimestamp == "2023-11-14T22:14:20Z")
        #expect(m.generation == 2, "marking for deletion bumps generation")
        #expect(m.body[path: ["metadata", "deletionGracePeriodSeconds"]] == 0)
        try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: "m1")  // idempotent
        #expect(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1")?.resourceVersion == m.resourceVersion)

        var added = m
        added.finalizers.append("late.example.com/x")
        let err = await clusterError { _ = try await t.cluster.update(added, fieldManager: "test") }
        #expect(err?.description == #"Machine.cluster.x-k8s.io "m1" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"late.example.com/x"}"#)

        m.finalizers = []
        let last = try await t.cluster.update(m, fieldManager: "machine-controller")
        #expect(last.deletionTimestamp != nil)
        #expect(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1") == nil, "removing the last finalizer completes the delete")
    }

    @Test(arguments: Backend.allCases)
    func cascadingDeletionIsTransitive(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let cluster = try await t.cluster.create(Self.object("Cluster", "c1"), fieldManager: "test")
        let md = try await t.cluster.create(Self.object("MachineDeployment", "md", owners: [Fixtures.owner(cluster)]), fieldManager: "test")
        let ms = try await t.cluster.create(Self.object("MachineSet", "ms", owners: [Fixtures.owner(md, controller: true)]), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m1", owners: [Fixtures.owner(ms, controller: true)]), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m2", owners: [Fixtures.owner(ms, controller: true)], finalizers: ["machine.cluster.x-k8s.io"]), fieldManager: "test")
        // Shared ownership: this one also belongs to a Cluster that stays.
        let other = try await t.cluster.create(Self.object("Cluster", "c2"), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "shared", owners: [Fixtures.owner(ms), Fixtures.owner(other)]), fieldManager: "test")

        try await t.cluster.delete(Fixtures.clusterGVK, namespace: "fleet", name: "c1")
        #expect(try await !Self.exists(t, "Cluster", "c1"))
        #expect(try await !Self.exists(t, "MachineDeployment", "md"))
        #expect(try await !Self.exists(t, "MachineSet", "ms"))
        #expect(try await !Self.exists(t, "Machine", "m1"))
        let m2 = try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m2")
        #expect(m2?.isDeleting == true, "a dependent with finalizers is marked, not removed")
        let shared = try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "shared")
        #expect(shared?.ownerReferences.map(\.name) == ["c2"], "a dependent with a live owner survives and loses the dangling reference")
    }

    @Test(arguments: Backend.allCases)
    func foregroundDeletionWaitsForBlockingDependents(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let md = try await t.cluster.create(Self.object("MachineDeployment", "md"), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m1", owners: [Fixtures.owner(md, block: true)], finalizers: ["machine.cluster.x-k8s.io"]), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m2", owners: [Fixtures.owner(md)]), fieldManager: "test")
        try await t.cluster.delete(Fixtures.mdGVK, namespace: "fleet", name: "md", options: DeleteOptions(propagation: .foreground))
        let owner = try #require(try await t.cluster.get(Fixtures.mdGVK, namespace: "fleet", name: "md"))
        #expect(owner.finalizers == ["foregroundDeletion"])
        #expect(owner.isDeleting)
        #expect(try await !Self.exists(t, "Machine", "m2"))
        var m1 = try #require(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1"))
        #expect(m1.isDeleting)
        #expect(m1.finalizers == ["machine.cluster.x-k8s.io"], "its own foregroundDeletion finalizer went at once: it has no dependents")
        #expect(try await Self.exists(t, "MachineDeployment", "md"), "a blocking dependent keeps the owner")
        m1.finalizers = []
        _ = try await t.cluster.update(m1, fieldManager: "machine-controller")
        #expect(try await !Self.exists(t, "Machine", "m1"))
        #expect(try await !Self.exists(t, "MachineDeployment", "md"), "the owner goes once no blocking dependent remains")
    }

    @Test(arguments: Backend.allCases)
    func orphanPropagationKeepsDependents(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let md = try await t.cluster.create(Self.object("MachineDeployment", "md"), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m1", owners: [Fixtures.owner(md)]), fieldManager: "test")
        try await t.cluster.delete(Fixtures.mdGVK, namespace: "fleet", name: "md", options: DeleteOptions(propagation: .orphan))
        #expect(try await !Self.exists(t, "MachineDeployment", "md"))
        let m1 = try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1")
        #expect(m1 != nil)
        #expect(m1?.ownerReferences.isEmpty == true)
    }

    @Test(arguments: Backend.allCases)
    func deletingANamespaceDeletesItsContent(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let nsGVK = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
        _ = try await t.cluster.create(KubeObject(apiVersion: "v1", kind: "Namespace", name: "fleet"), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m1"), fieldManager: "test")
        _ = try await t.cluster.create(Self.object("Machine", "m2", finalizers: ["machine.cluster.x-k8s.io"]), fieldManager: "test")
        _ = try await t.cluster.create(Fixtures.configMap("other", namespace: "elsewhere"), fieldManager: "test")
        try await t.cluster.delete(nsGVK, namespace: "", name: "fleet")
        let ns = try #require(try await t.cluster.get(nsGVK, namespace: "", name: "fleet"))
        #expect(ns.status?["phase"] == "Terminating")
        #expect(try await !Self.exists(t, "Machine", "m1"))
        let err = await clusterError { _ = try await t.cluster.create(Self.object("Machine", "m3"), fieldManager: "test") }
        #expect(err?.description == "machines.cluster.x-k8s.io \"m3\" is forbidden: unable to create new content in namespace fleet because it is being terminated")
        var m2 = try #require(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m2"))
        m2.finalizers = []
        _ = try await t.cluster.update(m2, fieldManager: "machine-controller")
        #expect(try await t.cluster.get(nsGVK, namespace: "", name: "fleet") == nil, "the namespace goes once empty")
        #expect(try await t.cluster.get(Fixtures.configMapGVK, namespace: "elsewhere", name: "other") != nil)
    }

    @Test(arguments: Backend.allCases)
    func dependentsOfMissingOwnersAreCollected(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let ghost = OwnerReference(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Cluster", name: "gone", uid: "no-such-uid")
        _ = try await t.cluster.create(Self.object("Machine", "m1", owners: [ghost]), fieldManager: "test")
        #expect(try await !Self.exists(t, "Machine", "m1"), "Kubernetes collects dependents whose owners do not exist")
    }
}
