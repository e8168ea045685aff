public import CapstanModel

/// A storage backend for the object server: it only stores. Every Kubernetes rule (resourceVersions, field
/// managers, finalizers, garbage collection, watch semantics) lives in `ObjectServer`, shared by all backends.
///
/// Writes run in one transaction each; `afterCommit` runs after the commit and before the next write starts,
/// so the server publishes watch events in commit (resourceVersion) order.
public protocol ObjectStorage: Sendable {
    /// Whether writes are refused (a read-only open).
    var isReadOnly: Bool { get }

    /// Runs `body` against a consistent snapshot.
    func read<T: Sendable>(_ body: @Sendable (any StorageReader) throws -> T) async throws -> T

    /// Runs `body` in one write transaction (all or nothing), then `afterCommit` with its result.
    func write<T: Sendable>(
        _ body: @Sendable (any StorageWriter) throws -> T, afterCommit: @Sendable (T) -> Void
    ) async throws -> T
}

/// Reads inside a storage transaction.
public protocol StorageReader {
    /// The stored object (with its resourceVersion), by version-independent key.
    func object(_ key: ObjectKey) throws -> KubeObject?
    /// Objects of a kind, optionally in one namespace and matching a selector (unsorted).
    func objects(_ kind: GroupKind, namespace: String?, selector: LabelSelector?) throws -> [KubeObject]
    /// Keys of every object in a namespace, of any kind.
    func keys(inNamespace namespace: String) throws -> [ObjectKey]
    /// The key of the object with a uid.
    func key(forUID uid: String) throws -> ObjectKey?
    /// Keys of objects whose `ownerReferences` name `uid`.
    func dependents(ofOwner uid: String) throws -> [ObjectKey]
    /// Keys of objects with an owner reference to a uid no stored object has.
    func orphanedDependents() throws -> [ObjectKey]
    /// Objects whose `metadata.deletionTimestamp` is set.
    func deletingObjects() throws -> [KubeObject]
    /// The last resourceVersion assigned (0 for an empty store).
    func resourceVersion() throws -> Int64
    /// Events at or below this resourceVersion have been discarded.
    func compactedResourceVersion() throws -> Int64
    /// Logged events of a kind with `after < resourceVersion <= through`, in order.
    func events(after: Int64, through: Int64, kind: GroupKind) throws -> [StoredEvent]
}

/// Writes inside a storage transaction.
public protocol StorageWriter: StorageReader {
    /// Inserts or replaces an object (its body carries the new resourceVersion); `previous` is the stored
    /// version it replaces, for index maintenance.
    func put(_ object: KubeObject, previous: KubeObject?) throws
    /// Removes an object.
    func remove(_ object: KubeObject) throws
    /// Appends to the event log.
    func append(_ event: StoredEvent) throws
    /// Records the last assigned resourceVersion.
    func setResourceVersion(_ rv: Int64) throws
    /// Discards events at or below `rv`.
    func compactEvents(through rv: Int64) throws
}

/// One entry of the event log.
public struct StoredEvent: Sendable, Hashable {
    public var resourceVersion: Int64
    public var type: WatchEvent.EventType
    /// The object after the change (for deletions, its last state stamped with the deletion's resourceVersion).
    public var object: KubeObject
    /// The labels before the change (nil for additions), so selector watches can turn a label change into
    /// an added or deleted event.
    public var previousLabels: [String: String]?

    public init(resourceVersion: Int64, type: WatchEvent.EventType, object: KubeObject, previousLabels: [String: String]?) {
        self.resourceVersion = resourceVersion
        self.type = type
        self.object = object
        self.previousLabels = previousLabels
    }
}
