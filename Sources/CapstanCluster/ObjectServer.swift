public import CapstanModel

/// The object-server logic every storage backend shares: it turns `ManagementCluster` requests into storage
/// transactions with Kubernetes semantics (resourceVersions, generation, status subresource, field managers,
/// finalizers, owner-reference garbage collection, namespaces, watch). Backends (`MemoryStorage`, the SQLite
/// store) only keep objects, indexes and the event log.
public final class ObjectServer: ManagementCluster {
    /// Tunables.
    public struct Options: Sendable {
        /// Events kept for watches resuming from an older resourceVersion.
        public var eventRetention: Int64 = 20_000
        /// Compaction runs every this many resourceVersions.
        public var compactionInterval: Int64 = 1_000
        /// Events a watch may buffer before it is closed with `watchClosed`.
        public var watchBufferLimit = 1_000_000
        /// Refuse objects in namespaces that do not exist (Kubernetes' NamespaceLifecycle); off by default so
        /// the embedded cluster accepts a fleet without Namespace objects.
        public var requireNamespaces = false
        /// Kinds beyond the built-in table (CRDs stored in the cluster are learned automatically).
        public var extraKinds: [KindInfo] = []
        /// List and map merge semantics.
        public var mergeRules: MergeRules = .kubernetes

        public init() {}
    }

    let storage: any ObjectStorage
    let clock: any WallClock
    let uids: any UIDGenerator
    let options: Options
    let hub: WatchHub
    let kinds: Locked<KindRegistry>
    let fieldOwnership: FieldManager

    /// A server over `storage`; learns the stored CRDs and the current resourceVersion.
    public init(
        storage: any ObjectStorage, clock: any WallClock, uids: any UIDGenerator = RandomUIDGenerator(),
        options: Options = Options()
    ) async throws {
        self.storage = storage
        self.clock = clock
        self.uids = uids
        self.options = options
        fieldOwnership = FieldManager(rules: options.mergeRules)
        let crdKind = GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition")
        let (rv, crds) = try await Self.mapErrors {
            try await storage.read { r in (try r.resourceVersion(), try r.objects(crdKind, namespace: nil, selector: nil)) }
        }
        var registry = KindRegistry(extra: options.extraKinds)
        for crd in crds { if let info = KindInfo(customResourceDefinition: crd) { registry.register(info) } }
        kinds = Locked(registry)
        hub = WatchHub(published: rv)
    }

    /// The kind table in use (built-in, extra and learned from CRDs).
    public var kindRegistry: KindRegistry { kinds.withLock { $0 } }

    /// Finishes garbage collection a crash interrupted: dependents of vanished owners, foreground deletions
    /// and terminating namespaces. Stores call this when they open for writing.
    public func recover() async throws {
        let (orphans, deleting) = try await read { r in (try r.orphanedDependents(), try r.deletingObjects()) }
        var work = GCWork()
        work.dependents += orphans
        for obj in deleting {
            if obj.finalizers.contains(Self.foregroundFinalizer) { work.foreground.append(obj.key) }
            if obj.kind == "Namespace", obj.gvk.group.isEmpty { work.namespaces.insert(obj.name) }
        }
        try await collectGarbage(work)
    }

    // MARK: Reads

    public func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject? {
        let key = ObjectKey(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
        return try await read { try $0.object(key) }
    }

    public func list(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?) async throws -> ObjectList {
        let (items, rv) = try await read { r in
            (try r.objects(gvk.groupKind, namespace: namespace, selector: selector), try r.resourceVersion())
        }
        return ObjectList(items: Self.sortedByNamespaceAndName(items), resourceVersion: String(rv))
    }

    /// Objects in (namespace, name) order; the keys are read once per object, not per comparison.
    static func sortedByNamespaceAndName(_ items: [KubeObject]) -> [KubeObject] {
        items.map { (key: $0.key, object: $0) }
            .sorted { ($0.key.namespace, $0.key.name) < ($1.key.namespace, $1.key.name) }
            .map(\.object)
    }

    // MARK: Transactions

    /// Runs a read transaction, mapping backend errors to `ClusterError.storage`.
    func read<T: Sendable>(_ body: @Sendable @escaping (any StorageReader) throws -> T) async throws -> T {
        try await Self.mapErrors { try await self.storage.read(body) }
    }

    /// Runs one write transaction through a `WriteContext`, then the garbage collection it calls for.
    func transact<T: Sendable>(_ body: @Sendable @escaping (inout WriteContext) throws -> T) async throws -> T {
        let outcome = try await transactOnly(body)
        if !outcome.gc.isEmpty { try await collectGarbage(outcome.gc) }
        return outcome.value
    }

    /// Runs one write transaction; publishes its events after the commit; returns the value and the
    /// garbage-collection work without running it.
    func transactOnly<T: Sendable>(_ body: @Sendable @escaping (inout WriteContext) throws -> T) async throws -> TransactionOutcome<T> {
        if storage.isReadOnly {
            throw ClusterError.forbidden("the store is open read-only; writes go through the process that owns the state directory")
        }
        let options = self.options, clock = self.clock, kinds = self.kinds
        let outcome = try await Self.mapErrors {
            try await self.storage.write({ txn in
                var ctx = WriteContext(txn: txn, now: clock.now(), kinds: kinds)
                let value = try body(&ctx)
                if let first = ctx.events.first?.resourceVersion, let last = ctx.events.last?.resourceVersion, options.eventRetention > 0 {
                    let interval = max(1, options.compactionInterval)
                    if last / interval != (first - 1) / interval, last > options.eventRetention {
                        try txn.compactEvents(through: last - options.eventRetention)
                    }
                }
                return TransactionOutcome(value: value, events: ctx.events, gc: ctx.gc)
            }, afterCommit: { [hub] outcome in hub.publish(outcome.events) })
        }
        for e in outcome.events where e.object.kind == "CustomResourceDefinition" && e.type != .deleted {
            if let info = KindInfo(customResourceDefinition: e.object) { kinds.withLock { $0.register(info) } }
        }
        return outcome
    }

    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as ClusterError {
            throw e
        } catch {
            throw ClusterError.storage("storage error: \(error)")
        }
    }
}

/// A transaction's result, its events and the garbage-collection work it created.
struct TransactionOutcome<T: Sendable>: Sendable {
    var value: T
    var events: [StoredEvent]
    var gc: GCWork
}

