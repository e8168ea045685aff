import CapstanCluster
import CapstanModel

/// A controller's writes to the management cluster: every request carries the controller's field manager,
/// results are written through to the informer cache (so the next reconcile sees its own writes before the
/// watch delivers them), and read-modify-write helpers retry on resourceVersion conflicts with a fresh read,
/// as Cluster API's patch helper does.
struct ControllerClient: Sendable {
    let cluster: any ManagementCluster
    let fieldManager: String
    let manager: ControllerManager
    /// The writing controller's index (for the manager's own-write bookkeeping).
    let controller: Int

    private var cache: ObjectCache { manager.cache }

    /// Reads an object from the management cluster (not the cache), refreshing the cache for watched kinds.
    func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject? {
        let obj = try await cluster.get(gvk, namespace: namespace, name: name)
        if manager.isWatched(gvk.groupKind) {
            let key = ObjectKey(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
            if let obj { cache.upsert(obj) } else { cache.remove(key, resourceVersion: nil) }
        }
        return obj
    }

    /// Creates an object.
    func create(_ obj: KubeObject) async throws -> KubeObject {
        manager.countWrite(controller: controller)
        let created = try await cluster.create(obj, fieldManager: fieldManager)
        remember(created)
        return created
    }

    /// Creates an object unless one with its name exists; returns the stored object and whether it was created.
    func createIfAbsent(_ obj: KubeObject) async throws -> (object: KubeObject, created: Bool) {
        do {
            return (try await create(obj), true)
        } catch ClusterError.alreadyExists {
            guard let existing = try await get(obj.gvk, namespace: obj.namespace, name: obj.name) else {
                throw ClusterError.conflict(ResourceRef(group: obj.gvk.group, kind: obj.kind, resource: "", namespace: obj.namespace, name: obj.name),
                                            .precondition("\(obj.key) was deleted while being created; retrying"))
            }
            return (existing, false)
        }
    }

    /// Changes an object's spec and metadata with `change` applied to the freshest copy; skips the write when
    /// nothing changes. Returns the stored object, or nil when it no longer exists.
    @discardableResult
    func update(_ obj: KubeObject, _ change: (inout KubeObject) throws -> Void) async throws -> KubeObject? {
        try await readModifyWrite(obj, change) { try await cluster.update($0, fieldManager: fieldManager) }
    }

    /// Changes an object's status (the status subresource) with `change` applied to the freshest copy.
    @discardableResult
    func updateStatus(_ obj: KubeObject, _ change: (inout Value) throws -> Void) async throws -> KubeObject? {
        try await readModifyWrite(obj, { o in
            var status = o.status ?? .map([:])
            try change(&status)
            o.status = status
        }) { try await cluster.updateStatus($0, fieldManager: fieldManager) }
    }

    /// Deletes an object (a missing object is fine) and refreshes the cache with what remains of it.
    func delete(_ obj: KubeObject) async throws {
        if obj.isDeleting { return }
        manager.countWrite(controller: controller)
        do {
            try await cluster.delete(obj.gvk, namespace: obj.namespace, name: obj.name,
                                     options: DeleteOptions(preconditionUID: obj.uid))
        } catch ClusterError.notFound {
        } catch ClusterError.conflict(_, .precondition) {
            // Replaced by a new object with the same name: not ours to delete.
        }
        _ = try await get(obj.gvk, namespace: obj.namespace, name: obj.name)
    }

    /// Deletes by reference (a missing object is fine).
    func delete(_ ref: ContractRef, namespace: String) async throws {
        manager.countWrite(controller: controller)
        do {
            try await cluster.delete(ref.gvk, namespace: namespace, name: ref.name)
        } catch ClusterError.notFound {}
        _ = try await get(ref.gvk, namespace: namespace, name: ref.name)
    }

    private func remember(_ obj: KubeObject) {
        if manager.isWatched(obj.key.groupKind) { cache.upsert(obj) }
        manager.noteOwnWrite(controller: controller, obj)
    }

    private func readModifyWrite(
        _ obj: KubeObject, _ change: (inout KubeObject) throws -> Void, write: (KubeObject) async throws -> KubeObject
    ) async throws -> KubeObject? {
        var current = obj
        for _ in 0..<5 {
            var next = current
            try change(&next)
            if next == current { return current }
            do {
                manager.countWrite(controller: controller)
                let stored = try await write(next)
                remember(stored)
                return stored
            } catch ClusterError.conflict(_, .staleResourceVersion) {
                guard let fresh = try await get(obj.gvk, namespace: obj.namespace, name: obj.name), fresh.uid == obj.uid else { return nil }
                current = fresh
            } catch ClusterError.notFound {
                if manager.isWatched(obj.key.groupKind) { cache.remove(obj.key, resourceVersion: nil) }
                return nil
            }
        }
        throw ClusterError.conflict(ResourceRef(group: obj.gvk.group, kind: obj.kind, resource: "", namespace: obj.namespace, name: obj.name),
                                    .staleResourceVersion)
    }
}

/// What a reconcile sees: the cache, a client writing as this controller, the clock and the configuration.
struct ReconcileContext: Sendable {
    let cache: ObjectCache
    let client: ControllerClient
    let clock: any ControllerClock
    let config: ProviderConfiguration
    let names: NameGenerator
    let manager: ControllerManager

    /// The current instant.
    var now: Moment { clock.currentMoment() }

    /// Starts watching a kind discovered through a contract reference, as a member of `role`.
    func track(_ gvk: GroupVersionKind, as role: KindRole) { manager.track(gvk, as: role) }

    /// The cluster an object belongs to, from the cache.
    func cluster(_ id: ClusterID?) -> KubeObject? {
        guard let id else { return nil }
        return cache.get(CAPI.Kind.cluster.groupKind, namespace: id.namespace, name: id.name)
    }
}
