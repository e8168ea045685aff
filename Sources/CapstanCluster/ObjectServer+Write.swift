public import CapstanModel

extension ObjectServer {
    // MARK: Create, update, status, patch

    public func create(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        try checkManager(fieldManager, apply: false)
        try checkIdentity(obj, allowGenerateName: true)
        if let rv = obj.resourceVersion, !rv.isEmpty {
            throw ClusterError.badRequest("resourceVersion should not be set on objects to be created")
        }
        let uid = uids.next(), suffixes = (0..<8).map { _ in Self.randomSuffix() }
        return try await transact { ctx in
            var obj = obj
            if obj.name.isEmpty {
                let prefix = obj.generateName ?? ""
                guard let free = try suffixes.map({ prefix + $0 }).first(where: {
                    try ctx.txn.object(ObjectKey(group: obj.gvk.group, kind: obj.kind, namespace: obj.namespace, name: $0)) == nil
                }) else { throw ClusterError.alreadyExists(ctx.ref(obj.key)) }
                obj.name = free
            }
            if try ctx.txn.object(obj.key) != nil { throw ClusterError.alreadyExists(ctx.ref(obj.key)) }
            try self.checkNamespace(of: obj, ctx.txn, ref: ctx.ref(obj.key))
            var body = obj.body
            body["status"] = nil  // the status subresource: status is set through updateStatus only
            let skeleton = self.skeleton(for: obj, uid: uid, now: ctx.now)
            let new = KubeObject(self.fieldOwnership.update(live: skeleton.body, new: body, manager: fieldManager, subresource: .main, now: ctx.now))
            try self.validateStored(new, ref: ctx.ref(new.key))
            if try Self.needsCollection(new, ctx.txn) { ctx.gc.dependents.append(new.key) }
            return try ctx.store(new, previous: nil)
        }
    }

    public func update(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        try await replace(obj, fieldManager: fieldManager, subresource: .main)
    }

    public func updateStatus(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject {
        try await replace(obj, fieldManager: fieldManager, subresource: .status)
    }

    func replace(_ obj: KubeObject, fieldManager: String, subresource: Subresource) async throws -> KubeObject {
        try checkManager(fieldManager, apply: false)
        try checkIdentity(obj, allowGenerateName: false)
        return try await transact { ctx in
            let key = obj.key
            guard let live = try ctx.txn.object(key) else { throw ClusterError.notFound(ctx.ref(key)) }
            try Self.checkPreconditions(uid: obj.uid, resourceVersion: obj.resourceVersion, live: live, ref: ctx.ref(key))
            let body = self.fieldOwnership.update(live: live.body, new: obj.body, manager: fieldManager, subresource: subresource, now: ctx.now)
            guard let new = try self.prepareChange(live: live, new: KubeObject(body), ref: ctx.ref(key)) else { return live }
            return try self.commitChange(&ctx, live: live, new: new)
        }
    }

    public func patch(
        _ gvk: GroupVersionKind, namespace: String, name: String, patch: Patch, fieldManager: String,
        subresource: Subresource
    ) async throws -> KubeObject {
        try checkManager(fieldManager, apply: false)
        let key = ObjectKey(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
        return try await transact { ctx in
            guard let live = try ctx.txn.object(key) else { throw ClusterError.notFound(ctx.ref(key)) }
            var patched: KubeObject
            switch patch {
            case .merge(let doc):
                guard case .map = doc else { throw ClusterError.badRequest("a JSON merge patch must be an object") }
                patched = KubeObject(JSONMergePatch.apply(doc, to: live.body))
            case .json(let doc):
                do {
                    patched = KubeObject(try JSONPatch(doc).apply(to: live.body))
                } catch let e as JSONPatch.DecodeError {
                    throw ClusterError.badRequest("invalid JSON patch: \(e.message)")
                } catch {
                    throw ClusterError.invalid(ctx.ref(key), [FieldError(.invalid, field: "patch", detail: "\(error)")])
                }
            }
            if patched.key != key || patched.uid != live.uid {
                throw ClusterError.invalid(ctx.ref(key), [FieldError(.invalid, field: "metadata", detail: "name, namespace, kind and uid are immutable")])
            }
            try Self.checkPreconditions(uid: nil, resourceVersion: patched.resourceVersion, live: live, ref: ctx.ref(key))
            let body = self.fieldOwnership.update(live: live.body, new: patched.body, manager: fieldManager, subresource: subresource, now: ctx.now)
            guard let new = try self.prepareChange(live: live, new: KubeObject(body), ref: ctx.ref(key)) else { return live }
            return try self.commitChange(&ctx, live: live, new: new)
        }
    }

    // MARK: Apply

    public func apply(_ obj: KubeObject, fieldManager: String, options: ApplyOptions) async throws -> KubeObject {
        try checkManager(fieldManager, apply: true)
        try checkIdentity(obj, allowGenerateName: false)
        let uid = uids.next()
        let ref = kinds.withLock { $0.ref(obj.key) }
        if options.dryRun {
            let now = clock.now()
            return try await read { r in
                try self.planApply(obj, fieldManager: fieldManager, options: options, reader: r, uid: uid, now: now, ref: ref).object
            }
        }
        return try await transact { ctx in
            let plan = try self.planApply(obj, fieldManager: fieldManager, options: options, reader: ctx.txn, uid: uid, now: ctx.now, ref: ref)
            switch plan {
            case .create(let new):
                if try Self.needsCollection(new, ctx.txn) { ctx.gc.dependents.append(new.key) }
                return try ctx.store(new, previous: nil)
            case .update(let live, let new): return try self.commitChange(&ctx, live: live, new: new)
            case .unchanged(let live): return live
            }
        }
    }

    /// What an apply would do.
    enum ApplyPlan {
        case create(KubeObject)
        case update(live: KubeObject, new: KubeObject)
        case unchanged(KubeObject)

        var object: KubeObject {
            switch self {
            case .create(let o), .unchanged(let o), .update(_, let o): o
            }
        }
    }

    func planApply(
        _ obj: KubeObject, fieldManager: String, options: ApplyOptions, reader: any StorageReader, uid: String, now: Timestamp,
        ref: ResourceRef
    ) throws -> ApplyPlan {
        let key = obj.key
        let live = try reader.object(key)
        do {
            guard let live else {
                if let rv = obj.resourceVersion, !rv.isEmpty { throw ClusterError.conflict(ref, .staleResourceVersion) }
                if options.subresource == .status { throw ClusterError.notFound(ref) }
                try checkNamespace(of: obj, reader, ref: ref)
                let skeleton = skeleton(for: obj, uid: uid, now: now)
                let new = KubeObject(try fieldOwnership.apply(live: skeleton.body, config: obj.body, manager: fieldManager,
                                                            subresource: options.subresource, force: options.force, now: now))
                try validateStored(new, ref: ref)
                return .create(new)
            }
            try Self.checkPreconditions(uid: obj.uid, resourceVersion: obj.resourceVersion, live: live, ref: ref)
            let body = try fieldOwnership.apply(live: live.body, config: obj.body, manager: fieldManager,
                                              subresource: options.subresource, force: options.force, now: now)
            guard let new = try prepareChange(live: live, new: KubeObject(body), ref: ref) else { return .unchanged(live) }
            return .update(live: live, new: new)
        } catch let c as FieldManager.Conflicts {
            throw ClusterError.conflict(ref, .fieldManagers(c.conflicts))
        }
    }

    // MARK: Shared steps

    static let foregroundFinalizer = "foregroundDeletion"

    func checkManager(_ manager: String, apply: Bool) throws {
        if manager.isEmpty {
            throw ClusterError.badRequest("fieldManager: Required value: is required\(apply ? " for apply requests" : "")")
        }
        if manager.utf8.count > 128 {
            throw ClusterError.badRequest("fieldManager: Too long: may not be longer than 128 characters")
        }
    }

    func checkIdentity(_ obj: KubeObject, allowGenerateName: Bool) throws {
        let info = kinds.withLock { $0.info(obj.key.groupKind) }
        let errs = ObjectValidation.identity(obj, info: info, allowGenerateName: allowGenerateName)
        if !errs.isEmpty { throw ClusterError.invalid(kinds.withLock { $0.ref(obj.key) }, errs) }
    }

    func validateStored(_ obj: KubeObject, previous: KubeObject? = nil, ref: ResourceRef) throws {
        let errs = ObjectValidation.metadata(obj, previous: previous)
        if !errs.isEmpty { throw ClusterError.invalid(ref, errs) }
    }

    /// The server-set part of a new object: type, name, namespace, uid, generation 1, creation time.
    func skeleton(for obj: KubeObject, uid: String, now: Timestamp) -> KubeObject {
        var meta: ObjectMap = ["name": .string(obj.name)]
        if !obj.namespace.isEmpty { meta["namespace"] = .string(obj.namespace) }
        meta["uid"] = .string(uid)
        meta["generation"] = .int(1)
        meta["creationTimestamp"] = .string(now.description)
        return KubeObject(.map(["apiVersion": .string(obj.apiVersion), "kind": .string(obj.kind), "metadata": .map(meta)]))
    }

    /// A new object's namespace must not be terminating (and must exist with `requireNamespaces`).
    func checkNamespace(of obj: KubeObject, _ reader: any StorageReader, ref: ResourceRef) throws {
        guard !obj.namespace.isEmpty else { return }
        let nsKey = ObjectKey(group: "", kind: "Namespace", namespace: "", name: obj.namespace)
        guard let ns = try reader.object(nsKey) else {
            if options.requireNamespaces {
                throw ClusterError.notFound(ResourceRef(group: "", kind: "Namespace", resource: "namespaces", namespace: "", name: obj.namespace))
            }
            return
        }
        if ns.isDeleting {
            throw ClusterError.forbidden("\(ref.resourceDescription) \"\(ref.name)\" is forbidden: unable to create new content in namespace \(obj.namespace) because it is being terminated")
        }
    }

    /// Optimistic concurrency: a set resourceVersion must be the stored one; a set uid must match.
    static func checkPreconditions(uid: String?, resourceVersion: String?, live: KubeObject, ref: ResourceRef) throws {
        if let uid, !uid.isEmpty, uid != live.uid {
            throw ClusterError.conflict(ref, .precondition("Precondition failed: UID in precondition: \(uid), UID in object meta: \(live.uid ?? "")"))
        }
        if let rv = resourceVersion, !rv.isEmpty, rv != live.resourceVersion {
            throw ClusterError.conflict(ref, .staleResourceVersion)
        }
    }

    /// Validates a changed object and bumps `generation` on spec changes; nil when nothing changed.
    func prepareChange(live: KubeObject, new: KubeObject, ref: ResourceRef) throws -> KubeObject? {
        var new = new
        new.resourceVersion = live.resourceVersion
        if new.body == live.body { return nil }
        if live.isDeleting {
            let added = new.finalizers.filter { !live.finalizers.contains($0) }
            if !added.isEmpty {
                let list = added.map { JSON.serialize(.string($0)) }.joined(separator: ", ")
                throw ClusterError.invalid(ref, [FieldError(.forbidden, field: "metadata.finalizers",
                    detail: "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}")])
            }
        }
        try validateStored(new, previous: live, ref: ref)
        if ObjectValidation.specChanged(live, new) { new.generation = (live.generation ?? 0) + 1 }
        return new
    }

    /// Stores a change, or removes the object when it is deleting and its last finalizer is gone. Owner
    /// reference changes queue the object for garbage collection (a new owner may already be gone).
    func commitChange(_ ctx: inout WriteContext, live: KubeObject, new: KubeObject) throws -> KubeObject {
        if new.isDeleting && new.finalizers.isEmpty { return try ctx.erase(new, stored: live) }
        if new.ownerReferences != live.ownerReferences, try Self.needsCollection(new, ctx.txn) { ctx.gc.dependents.append(new.key) }
        if new.isDeleting && new.finalizers.contains(Self.foregroundFinalizer) { ctx.gc.foreground.append(new.key) }
        return try ctx.store(new, previous: live)
    }

    /// Whether an object names an owner that does not exist (Kubernetes collects such dependents, including
    /// ones created that way). Checked inside the writing transaction: an index lookup per owner, not a
    /// transaction. An owner deleting in the foreground is handled when it goes away.
    static func needsCollection(_ obj: KubeObject, _ reader: any StorageReader) throws -> Bool {
        try obj.ownerReferences.contains { try reader.key(forUID: $0.uid) == nil }
    }

    static func randomSuffix() -> String {
        // Kubernetes' name generator alphabet: no vowels, no ambiguous characters.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}
