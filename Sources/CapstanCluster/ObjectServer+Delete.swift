public import CapstanModel

extension ObjectServer {
    public func delete(_ gvk: GroupVersionKind, namespace: String, name: String, options: DeleteOptions) async throws {
        let key = ObjectKey(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
        if options.propagation == .orphan, let uid = try await read({ try $0.object(key) })?.uid {
            // Dependents lose their reference first, so nothing collects them once the owner is gone.
            try await orphanDependents(ofOwner: uid)
        }
        try await transact { ctx in
            guard let live = try ctx.txn.object(key) else { throw ClusterError.notFound(ctx.ref(key)) }
            let ref = ctx.ref(key)
            if let uid = options.preconditionUID, uid != live.uid {
                throw ClusterError.conflict(ref, .precondition("Precondition failed: UID in precondition: \(uid), UID in object meta: \(live.uid ?? "")"))
            }
            if let rv = options.preconditionResourceVersion, rv != live.resourceVersion {
                throw ClusterError.conflict(ref, .precondition("Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(live.resourceVersion ?? "")"))
            }
            try self.markOrErase(&ctx, live, propagation: options.propagation)
        }
    }

    /// Deletes one object inside a transaction (for users and for the garbage collector): objects with
    /// finalizers get `deletionTimestamp` (and `generation` + 1), others are removed. Foreground propagation
    /// adds the `foregroundDeletion` finalizer; a Namespace turns `Terminating` and its content is deleted.
    func markOrErase(_ ctx: inout WriteContext, _ live: KubeObject, propagation: PropagationPolicy) throws {
        var obj = live
        if live.kind == "Namespace" && live.gvk.group.isEmpty {
            ctx.gc.namespaces.insert(live.name)
            guard !live.isDeleting else { return }
            obj.status = .map(["phase": "Terminating"])
        } else if propagation == .foreground && !obj.finalizers.contains(Self.foregroundFinalizer) {
            obj.finalizers.append(Self.foregroundFinalizer)
            ctx.gc.foreground.append(obj.key)
        }
        if live.isDeleting {
            if obj != live { _ = try ctx.store(obj, previous: live) }
            return
        }
        if obj.finalizers.isEmpty && obj.kind != "Namespace" {
            _ = try ctx.erase(obj, stored: live)
            return
        }
        obj.body[path: ["metadata", "deletionTimestamp"]] = .string(ctx.now.description)
        obj.body[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(0)
        obj.generation = (live.generation ?? 0) + 1
        obj.body = TrackedView.compose(base: obj.body, view: TrackedView.view(of: obj.body, .main), .main)
        _ = try ctx.store(obj, previous: live)
    }

    // MARK: Garbage collection

    /// Runs garbage collection to a fixed point: dependents of removed owners, foreground deletions and
    /// terminating namespaces. Each step is its own transaction, as the Kubernetes garbage collector's are;
    /// a crash between steps is finished by `recover()`.
    func collectGarbage(_ initial: GCWork) async throws {
        var work = initial
        while !work.isEmpty {
            var next = GCWork()
            for obj in work.removed {
                let owners = obj.ownerReferences.map(\.uid), uid = obj.uid ?? ""
                let (dependents, ownerKeys) = try await read { r in
                    (try r.dependents(ofOwner: uid), try owners.compactMap { try r.key(forUID: $0) })
                }
                next.dependents += dependents
                next.foreground += ownerKeys
                if !obj.namespace.isEmpty { next.namespaces.insert(obj.namespace) }
            }
            for key in Set(work.dependents) { next.merge(try await attemptToDelete(key)) }
            for key in Set(work.foreground) { next.merge(try await processForegroundDeletion(key)) }
            for ns in work.namespaces { next.merge(try await processNamespace(ns)) }
            work = next
        }
    }

    /// Deletes a dependent whose owners are all gone or deleting in the foreground (in the foreground if any
    /// waits for it); a dependent that still has a live owner only loses its references to the others.
    func attemptToDelete(_ key: ObjectKey) async throws -> GCWork {
        try await transactOnly { ctx in
            guard let obj = try ctx.txn.object(key), !obj.ownerReferences.isEmpty else { return }
            var solid: Set<String> = [], waiting: [ObjectKey] = [], dangling = false
            for ref in obj.ownerReferences {
                guard let ownerKey = try ctx.txn.key(forUID: ref.uid), let owner = try ctx.txn.object(ownerKey) else {
                    dangling = true
                    continue
                }
                if owner.isDeleting && owner.finalizers.contains(Self.foregroundFinalizer) { waiting.append(ownerKey) } else { solid.insert(ref.uid) }
            }
            guard dangling || !waiting.isEmpty else { return }
            if !solid.isEmpty {
                var new = obj
                new.ownerReferences = obj.ownerReferences.filter { solid.contains($0.uid) }
                _ = try ctx.store(new, previous: obj)
                ctx.gc.foreground += waiting
            } else if !obj.isDeleting {
                try self.markOrErase(&ctx, obj, propagation: waiting.isEmpty ? .background : .foreground)
            }
        }.gc
    }

    /// For an owner deleting in the foreground: deletes its dependents, and once none with
    /// `blockOwnerDeletion: true` remain, drops the `foregroundDeletion` finalizer (removing the owner if it was
    /// the last one).
    func processForegroundDeletion(_ key: ObjectKey) async throws -> GCWork {
        guard let owner = try await read({ try $0.object(key) }), owner.isDeleting,
              owner.finalizers.contains(Self.foregroundFinalizer), let uid = owner.uid
        else { return GCWork() }
        var work = GCWork()
        let dependents = try await read { try $0.dependents(ofOwner: uid) }
        for dep in dependents { work.merge(try await attemptToDelete(dep)) }
        work.merge(try await transactOnly { ctx in
            guard var owner = try ctx.txn.object(key), owner.uid == uid, owner.finalizers.contains(Self.foregroundFinalizer) else { return }
            for dep in try ctx.txn.dependents(ofOwner: uid) {
                guard let d = try ctx.txn.object(dep) else { continue }
                if d.ownerReferences.contains(where: { $0.uid == uid && $0.blockOwnerDeletion == true }) { return }
            }
            let live = owner
            owner.finalizers.removeAll { $0 == Self.foregroundFinalizer }
            owner.body = TrackedView.compose(base: owner.body, view: TrackedView.view(of: owner.body, .main), .main)
            _ = try self.commitChange(&ctx, live: live, new: owner)
        }.gc)
        return work
    }

    /// For a terminating namespace: deletes what is in it, and removes it once empty.
    func processNamespace(_ name: String) async throws -> GCWork {
        let nsKey = ObjectKey(group: "", kind: "Namespace", namespace: "", name: name)
        guard let ns = try await read({ try $0.object(nsKey) }), ns.isDeleting else { return GCWork() }
        var work = GCWork()
        for key in try await read({ try $0.keys(inNamespace: name) }) {
            work.merge(try await transactOnly { ctx in
                guard let obj = try ctx.txn.object(key), !obj.isDeleting else { return }
                try self.markOrErase(&ctx, obj, propagation: .background)
            }.gc)
        }
        work.merge(try await transactOnly { ctx in
            guard let ns = try ctx.txn.object(nsKey), ns.isDeleting, ns.finalizers.isEmpty,
                  try ctx.txn.keys(inNamespace: name).isEmpty
            else { return }
            _ = try ctx.erase(ns, stored: ns)
        }.gc)
        return work
    }

    /// Removes owner references to `uid` from its dependents (orphan propagation).
    func orphanDependents(ofOwner uid: String) async throws {
        for dep in try await read({ try $0.dependents(ofOwner: uid) }) {
            _ = try await transactOnly { ctx in
                guard let obj = try ctx.txn.object(dep) else { return }
                var new = obj
                new.ownerReferences = obj.ownerReferences.filter { $0.uid != uid }
                if new != obj { _ = try ctx.store(new, previous: obj) }
            }
        }
    }
}
