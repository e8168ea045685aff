import CapstanModel

/// One write transaction as the object server sees it: assigns resourceVersions, stores objects, logs events
/// and collects garbage-collection work for after the commit.
struct WriteContext {
    let txn: any StorageWriter
    let now: Timestamp
    let kinds: Locked<KindRegistry>
    private(set) var events: [StoredEvent] = []
    var gc = GCWork()

    init(txn: any StorageWriter, now: Timestamp, kinds: Locked<KindRegistry>) {
        self.txn = txn
        self.now = now
        self.kinds = kinds
    }

    func ref(_ key: ObjectKey) -> ResourceRef { kinds.withLock { $0.ref(key) } }

    func kindInfo(_ gk: GroupKind) -> KindInfo? { kinds.withLock { $0.info(gk) } }

    private mutating func nextResourceVersion() throws -> Int64 {
        let rv = try txn.resourceVersion() + 1
        try txn.setResourceVersion(rv)
        return rv
    }

    /// `obj` with a new resourceVersion, kept in its place among the metadata fields.
    static func stamped(_ obj: KubeObject, _ rv: Int64) -> KubeObject {
        var obj = obj
        guard case .map(var meta)? = obj.body["metadata"] else { return obj }
        let present = meta.contains("resourceVersion")
        meta["resourceVersion"] = .string(String(rv))
        obj.body["metadata"] = .map(present ? meta : TrackedView.ordered(meta))
        return obj
    }

    /// Stores a new or changed object under a fresh resourceVersion and logs the event; returns it as stored.
    mutating func store(_ object: KubeObject, previous: KubeObject?) throws -> KubeObject {
        let rv = try nextResourceVersion()
        let obj = Self.stamped(object, rv)
        try txn.put(obj, previous: previous)
        try log(StoredEvent(resourceVersion: rv, type: previous == nil ? .added : .modified, object: obj, previousLabels: previous?.labels))
        return obj
    }

    private mutating func log(_ event: StoredEvent) throws {
        try txn.append(event)
        events.append(event)
    }

    /// Removes an object for good, logs `DELETED` (with the deletion's resourceVersion) and queues its
    /// dependents, waiting owners and namespace for garbage collection.
    /// `object` is its last state (what watchers see); `stored` the version in storage, whose indexes go.
    mutating func erase(_ object: KubeObject, stored: KubeObject) throws -> KubeObject {
        let rv = try nextResourceVersion()
        let obj = Self.stamped(object, rv)
        try txn.remove(stored)
        try log(StoredEvent(resourceVersion: rv, type: .deleted, object: obj, previousLabels: stored.labels))
        gc.removed.append(obj)
        return obj
    }
}

/// Garbage-collection work created by writes, run after their commit.
struct GCWork: Sendable {
    /// Objects gone for good: their dependents, waiting owners and namespaces are re-examined.
    var removed: [KubeObject] = []
    /// Dependents to re-examine (their owners changed or vanished).
    var dependents: [ObjectKey] = []
    /// Owners deleting in the foreground: delete their dependents, drop the finalizer once none block.
    var foreground: [ObjectKey] = []
    /// Terminating namespaces: delete their content, remove them once empty.
    var namespaces: Set<String> = []

    var isEmpty: Bool { removed.isEmpty && dependents.isEmpty && foreground.isEmpty && namespaces.isEmpty }

    mutating func merge(_ other: GCWork) {
        removed += other.removed
        dependents += other.dependents
        foreground += other.foreground
        namespaces.formUnion(other.namespaces)
    }
}
