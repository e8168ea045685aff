import CapstanModel

/// The in-memory backend: the same object server over dictionaries, for tests and the `capstan` dry paths.
/// A write transaction buffers its changes and applies them only when the body returns, so a failed write
/// leaves nothing behind.
public final class MemoryStorage: ObjectStorage {
    struct State {
        var objects: [ObjectKey: KubeObject] = [:]
        /// kind → label key → label value → keys: the label index list queries use.
        var labels: [GroupKind: [String: [String: Set<ObjectKey>]]] = [:]
        var byKind: [GroupKind: Set<ObjectKey>] = [:]
        var byUID: [String: ObjectKey] = [:]
        /// owner uid → dependents.
        var dependents: [String: Set<ObjectKey>] = [:]
        var events: [StoredEvent] = []
        var eventsHead = 0
        var resourceVersion: Int64 = 0
        var compacted: Int64 = 0
    }

    /// Holds the state by reference so a transaction reads it in place and a commit mutates it without
    /// copying the dictionaries.
    final class Box {
        var state = State()
    }

    private let box = Locked(Box())

    public init() {}

    public var isReadOnly: Bool { false }

    public func read<T: Sendable>(_ body: @Sendable (any StorageReader) throws -> T) async throws -> T {
        try box.withLock { b in
            try body(MemoryTransaction(box: b))
        }
    }

    public func write<T: Sendable>(
        _ body: @Sendable (any StorageWriter) throws -> T, afterCommit: @Sendable (T) -> Void
    ) async throws -> T {
        try box.withLock { b in
            let txn = MemoryTransaction(box: b)
            let result = try body(txn)
            txn.commit()
            afterCommit(result)
            return result
        }
    }
}

/// A transaction over `MemoryStorage.State`: reads see the snapshot plus this transaction's own writes.
final class MemoryTransaction: StorageWriter {
    private let box: MemoryStorage.Box
    private var base: MemoryStorage.State { _read { yield box.state } }
    private var changed: [ObjectKey: (new: KubeObject?, previous: KubeObject?)] = [:]
    private var newEvents: [StoredEvent] = []
    private var rv: Int64?
    private var compactThrough: Int64?

    init(box: MemoryStorage.Box) { self.box = box }

    func object(_ key: ObjectKey) throws -> KubeObject? {
        if let c = changed[key] { return c.new }
        return base.objects[key]
    }

    func objects(_ kind: GroupKind, namespace: String?, selector: LabelSelector?) throws -> [KubeObject] {
        var candidates: Set<ObjectKey>
        if let req = selector?.indexableRequirement, req.op == .equals || req.op == .in || req.op == .exists {
            let byValue = base.labels[kind]?[req.key] ?? [:]
            candidates = []
            if req.op == .exists {
                for keys in byValue.values { candidates.formUnion(keys) }
            } else {
                for v in req.values { candidates.formUnion(byValue[v] ?? []) }
            }
        } else {
            candidates = base.byKind[kind] ?? []
        }
        for (key, c) in changed where key.groupKind == kind {
            if c.new != nil { candidates.insert(key) } else { candidates.remove(key) }
        }
        var out: [KubeObject] = []
        for key in candidates {
            if let namespace, key.namespace != namespace { continue }
            guard let obj = try object(key) else { continue }
            if let selector, !selector.matches(obj) { continue }
            out.append(obj)
        }
        return out
    }

    func keys(inNamespace namespace: String) throws -> [ObjectKey] {
        var keys = Set(base.objects.keys.filter { $0.namespace == namespace })
        for (key, c) in changed where key.namespace == namespace {
            if c.new != nil { keys.insert(key) } else { keys.remove(key) }
        }
        return Array(keys)
    }

    func key(forUID uid: String) throws -> ObjectKey? {
        for (key, c) in changed {
            if c.new?.uid == uid { return key }
            if c.previous?.uid == uid, c.new == nil { return nil }
        }
        return base.byUID[uid]
    }

    func dependents(ofOwner uid: String) throws -> [ObjectKey] {
        var keys = base.dependents[uid] ?? []
        for (key, c) in changed {
            if c.new?.ownerReferences.contains(where: { $0.uid == uid }) == true { keys.insert(key) } else { keys.remove(key) }
        }
        return Array(keys)
    }

    func orphanedDependents() throws -> [ObjectKey] {
        var out = Set<ObjectKey>()
        for (uid, keys) in base.dependents where try key(forUID: uid) == nil { out.formUnion(keys) }
        return Array(out)
    }

    func deletingObjects() throws -> [KubeObject] {
        base.objects.values.filter(\.isDeleting)
    }

    func resourceVersion() throws -> Int64 { rv ?? base.resourceVersion }

    func compactedResourceVersion() throws -> Int64 { compactThrough ?? base.compacted }

    func events(after: Int64, through: Int64, kind: GroupKind) throws -> [StoredEvent] {
        // Events are in rv order: binary-search the first one after `after`.
        var lo = base.eventsHead, hi = base.events.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if base.events[mid].resourceVersion <= after { lo = mid + 1 } else { hi = mid }
        }
        var out: [StoredEvent] = []
        for e in base.events[lo...] {
            if e.resourceVersion > through { break }
            if e.object.key.groupKind == kind { out.append(e) }
        }
        return out
    }

    func put(_ object: KubeObject, previous: KubeObject?) throws {
        let key = object.key
        changed[key] = (object, changed[key]?.previous ?? base.objects[key])
    }

    func remove(_ object: KubeObject) throws {
        let key = object.key
        changed[key] = (nil, changed[key]?.previous ?? base.objects[key])
    }

    func append(_ event: StoredEvent) throws { newEvents.append(event) }

    func setResourceVersion(_ rv: Int64) throws { self.rv = rv }

    func compactEvents(through rv: Int64) throws { compactThrough = max(rv, compactThrough ?? base.compacted) }

    /// Applies the buffered changes to the storage state.
    func commit() {
        Self.apply(self, to: &box.state)
    }

    private static func apply(_ t: MemoryTransaction, to s: inout MemoryStorage.State) {
        let changed = t.changed, newEvents = t.newEvents, rv = t.rv, compactThrough = t.compactThrough
        for (key, c) in changed {
            let old = s.objects[key]
            if let new = c.new {
                s.objects[key] = new
                if let old { Self.reindex(old: old, new: new, key, &s) } else { Self.index(new, key, &s) }
            } else if let old {
                s.objects[key] = nil
                Self.unindex(old, key, &s)
            }
        }
        s.events.append(contentsOf: newEvents)
        if let rv { s.resourceVersion = rv }
        if let compactThrough, compactThrough > s.compacted {
            s.compacted = compactThrough
            while s.eventsHead < s.events.count, s.events[s.eventsHead].resourceVersion <= compactThrough { s.eventsHead += 1 }
            if s.eventsHead > 4096, s.eventsHead * 2 > s.events.count {
                s.events.removeFirst(s.eventsHead)
                s.eventsHead = 0
            }
        }
    }

    /// Index maintenance for a replaced object: only what changed.
    private static func reindex(old: KubeObject, new: KubeObject, _ key: ObjectKey, _ s: inout MemoryStorage.State) {
        let oldMeta = old.metadata, newMeta = new.metadata
        if oldMeta["labels"] == newMeta["labels"], oldMeta["ownerReferences"] == newMeta["ownerReferences"], old.uid == new.uid { return }
        unindex(old, key, &s)
        index(new, key, &s)
    }

    private static func index(_ obj: KubeObject, _ key: ObjectKey, _ s: inout MemoryStorage.State) {
        s.byKind[key.groupKind, default: []].insert(key)
        if let uid = obj.uid { s.byUID[uid] = key }
        for (k, v) in obj.labels { s.labels[key.groupKind, default: [:]][k, default: [:]][v, default: []].insert(key) }
        for ref in obj.ownerReferences { s.dependents[ref.uid, default: []].insert(key) }
    }

    private static func unindex(_ obj: KubeObject, _ key: ObjectKey, _ s: inout MemoryStorage.State) {
        s.byKind[key.groupKind]?.remove(key)
        if let uid = obj.uid, s.byUID[uid] == key { s.byUID[uid] = nil }
        for (k, v) in obj.labels {
            s.labels[key.groupKind]?[k]?[v]?.remove(key)
            if s.labels[key.groupKind]?[k]?[v]?.isEmpty == true { s.labels[key.groupKind]?[k]?[v] = nil }
        }
        for ref in obj.ownerReferences {
            s.dependents[ref.uid]?.remove(key)
            if s.dependents[ref.uid]?.isEmpty == true { s.dependents[ref.uid] = nil }
        }
    }
}
