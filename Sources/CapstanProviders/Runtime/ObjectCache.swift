import CapstanModel

/// A cluster, by namespace and name: the unit most CAPI lookups are scoped to.
public struct ClusterID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public static func < (a: ClusterID, b: ClusterID) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
    public var description: String { "\(namespace)/\(name)" }
}

/// The informers' local copy of the management cluster: every object of the watched kinds, indexed by owner
/// uid and by cluster (the `cluster.x-k8s.io/cluster-name` label), as controller-runtime's cache with field
/// indexes. Results are sorted by name so reconciles are deterministic.
final class ObjectCache: Sendable {
    private struct KindStore {
        var objects: [ObjectKey: KubeObject] = [:]
        var byOwner: [String: Set<ObjectKey>] = [:]
        var byCluster: [ClusterID: Set<ObjectKey>] = [:]
        /// The version last handed to event handlers (the cache itself may be newer: writes go through), so an
        /// event's `previous` is what handlers saw before, not the controller's own write.
        var delivered: [ObjectKey: KubeObject] = [:]
    }

    private let kinds = Guarded([GroupKind: KindStore]())

    /// The cached object, if any.
    func get(_ kind: GroupKind, namespace: String, name: String) -> KubeObject? {
        let key = ObjectKey(group: kind.group, kind: kind.kind, namespace: namespace, name: name)
        return kinds.withLock { $0[kind]?.objects[key] }
    }

    /// Objects of a kind labelled with a cluster's name, in its namespace.
    func list(_ kind: GroupKind, cluster: ClusterID) -> [KubeObject] {
        let items: [KubeObject] = kinds.withLock { k in
            guard let store = k[kind], let keys = store.byCluster[cluster] else { return [] }
            return keys.compactMap { store.objects[$0] }
        }
        return items.sorted { $0.name < $1.name }
    }

    /// Objects of a kind with an owner reference to `uid`.
    func owned(_ kind: GroupKind, by uid: String) -> [KubeObject] {
        let items: [KubeObject] = kinds.withLock { k in
            guard let store = k[kind], let keys = store.byOwner[uid] else { return [] }
            return keys.compactMap { store.objects[$0] }
        }
        return items.sorted { $0.name < $1.name }
    }

    /// Every object of a kind (optionally in one namespace), sorted by namespace and name.
    func all(_ kind: GroupKind, namespace: String? = nil) -> [KubeObject] {
        let items: [KubeObject] = kinds.withLock { k in
            guard let store = k[kind] else { return [] }
            return store.objects.values.filter { namespace == nil || $0.namespace == namespace }
        }
        return items.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// How many objects the cache holds.
    var count: Int { kinds.withLock { $0.values.reduce(0) { $0 + $1.objects.count } } }

    /// Stores `obj` unless the cache already holds the same or a newer resourceVersion of it; returns the
    /// object previously cached when it was replaced (or nil), and whether anything changed.
    @discardableResult
    func upsert(_ obj: KubeObject) -> (previous: KubeObject?, changed: Bool) {
        let obj = slim(obj)
        let key = obj.key
        return kinds.withLock { k in
            var store = k[key.groupKind] ?? KindStore()
            k[key.groupKind] = nil
            defer { k[key.groupKind] = store }
            let old = store.objects[key]
            if let old, Self.isNewer(old, than: obj) || old.resourceVersion == obj.resourceVersion { return (old, false) }
            if let old { Self.unindex(old, key, &store) }
            store.objects[key] = obj
            Self.index(obj, key, &store)
            return (old, true)
        }
    }

    /// Removes an object unless the cache holds a version newer than `resourceVersion`; returns the removed object.
    @discardableResult
    func remove(_ key: ObjectKey, resourceVersion: String?) -> KubeObject? {
        kinds.withLock { k in
            guard var store = k[key.groupKind], let old = store.objects[key] else { return nil }
            if let rv = resourceVersion, let a = Int64(old.resourceVersion ?? ""), let b = Int64(rv), a > b { return nil }
            k[key.groupKind] = nil
            store.objects[key] = nil
            Self.unindex(old, key, &store)
            k[key.groupKind] = store
            return old
        }
    }

    /// Records the version handed to event handlers; returns the one handed before (nil when none, or when
    /// `obj` is gone: pass nil to forget a deleted object).
    func deliver(_ key: ObjectKey, _ obj: KubeObject?) -> KubeObject? {
        kinds.withLock { k in
            var store = k[key.groupKind] ?? KindStore()
            k[key.groupKind] = nil
            defer { k[key.groupKind] = store }
            let old = store.delivered[key]
            // Share the cached instance when it is the same version (objects parsed from a database would
            // otherwise be held twice).
            if let obj, let cached = store.objects[key], cached.resourceVersion == obj.resourceVersion {
                store.delivered[key] = cached
            } else {
                store.delivered[key] = obj.map(slim)
            }
            return old
        }
    }

    /// Kinds whose cached objects keep `metadata.managedFields` (the controllers that propagate template
    /// metadata read which keys they own from it); other kinds drop it, which saves about a third of the
    /// cache's memory.
    static let keepsManagedFields: Set<GroupKind> = [GroupKind(group: CAPI.group, kind: "Machine"), GroupKind(group: CAPI.group, kind: "MachineSet")]

    private func slim(_ obj: KubeObject) -> KubeObject {
        guard !Self.keepsManagedFields.contains(obj.key.groupKind), obj.body[path: ["metadata", "managedFields"]] != nil else { return obj }
        var o = obj
        o.body[path: ["metadata", "managedFields"]] = nil
        return o
    }

    /// Keys of every cached object of a kind.
    func keys(_ kind: GroupKind) -> Set<ObjectKey> {
        kinds.withLock { k in k[kind].map { Set($0.objects.keys) } ?? [] }
    }

    /// Whether `a` carries a strictly newer resourceVersion than `b` (numeric, as the embedded store and etcd
    /// issue them; opaque versions are treated as not newer).
    static func isNewer(_ a: KubeObject, than b: KubeObject) -> Bool {
        guard let x = Int64(a.resourceVersion ?? ""), let y = Int64(b.resourceVersion ?? "") else { return false }
        return x > y
    }

    private static func clusterID(_ obj: KubeObject) -> ClusterID? {
        guard let name = obj.labels[CAPI.Label.clusterName] else { return nil }
        return ClusterID(namespace: obj.namespace, name: name)
    }

    private static func index(_ obj: KubeObject, _ key: ObjectKey, _ s: inout KindStore) {
        for ref in obj.ownerReferences { s.byOwner[ref.uid, default: []].insert(key) }
        if let c = clusterID(obj) { s.byCluster[c, default: []].insert(key) }
    }

    private static func unindex(_ obj: KubeObject, _ key: ObjectKey, _ s: inout KindStore) {
        for ref in obj.ownerReferences {
            s.byOwner[ref.uid]?.remove(key)
            if s.byOwner[ref.uid]?.isEmpty == true { s.byOwner[ref.uid] = nil }
        }
        if let c = clusterID(obj) {
            s.byCluster[c]?.remove(key)
            if s.byCluster[c]?.isEmpty == true { s.byCluster[c] = nil }
        }
    }
}
