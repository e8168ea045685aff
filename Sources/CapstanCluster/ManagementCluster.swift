public import CapstanModel

/// The management cluster as Capstan and its embedded controllers see it: a Kubernetes-style object API.
///
/// Every implementation keeps Kubernetes semantics so that the embedded store and a real API server are
/// interchangeable: a global `resourceVersion` per write with optimistic concurrency, `generation` bumped on
/// spec changes, a status subresource, server-side apply with field managers, finalizers and owner-reference
/// garbage collection, and watches resumable from a resourceVersion. Methods throw `ClusterError`.
public protocol ManagementCluster: Sendable {
    /// The object, or nil when it does not exist.
    func get(_ gvk: GroupVersionKind, namespace: String, name: String) async throws -> KubeObject?

    /// Objects of a kind (in one namespace, or all when `namespace` is nil) matching `selector`, with the
    /// resourceVersion the list is consistent with (a watch from it misses nothing).
    func list(_ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?) async throws -> ObjectList

    /// Creates an object (`metadata.generateName` is honoured); records `Update` managed fields for `fieldManager`.
    func create(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject

    /// Replaces an object's spec and metadata; status is kept. A set `resourceVersion` must be current.
    func update(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject

    /// Replaces an object's status only (the status subresource). A set `resourceVersion` must be current.
    func updateStatus(_ obj: KubeObject, fieldManager: String) async throws -> KubeObject

    /// Server-side apply of a partial object (creates it when absent); `options.dryRun` returns the result
    /// without persisting it.
    func apply(_ obj: KubeObject, fieldManager: String, options: ApplyOptions) async throws -> KubeObject

    /// Applies a JSON merge patch or JSON patch (to the main resource or the status subresource).
    func patch(
        _ gvk: GroupVersionKind, namespace: String, name: String, patch: Patch, fieldManager: String,
        subresource: Subresource
    ) async throws -> KubeObject

    /// Deletes an object: marks it (`deletionTimestamp`) while finalizers remain, removes it otherwise;
    /// dependents are garbage-collected according to `options.propagation`.
    func delete(_ gvk: GroupVersionKind, namespace: String, name: String, options: DeleteOptions) async throws

    /// Events for a kind after `fromResourceVersion` (exclusive), in order; with nil, one `added` event per
    /// existing object first. Throws `ClusterError.gone` when that resourceVersion was compacted away.
    func watch(
        _ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?, fromResourceVersion: String?
    ) async throws -> WatchStream
}

extension ManagementCluster {
    /// Server-side apply, persisted.
    public func apply(_ obj: KubeObject, fieldManager: String, force: Bool = false) async throws -> KubeObject {
        try await apply(obj, fieldManager: fieldManager, options: ApplyOptions(force: force))
    }

    /// Server-side apply that persists nothing and returns the object as it would be stored.
    public func dryRunApply(_ obj: KubeObject, fieldManager: String, force: Bool = false) async throws -> KubeObject {
        try await apply(obj, fieldManager: fieldManager, options: ApplyOptions(force: force, dryRun: true))
    }

    /// Deletes with background propagation and no preconditions.
    public func delete(_ gvk: GroupVersionKind, namespace: String, name: String) async throws {
        try await delete(gvk, namespace: namespace, name: name, options: DeleteOptions())
    }

    /// Every object of a kind, in every namespace.
    public func list(_ gvk: GroupVersionKind) async throws -> ObjectList {
        try await list(gvk, namespace: nil, selector: nil)
    }
}

/// A list result: the items (sorted by namespace, then name) and the resourceVersion they are consistent with.
public struct ObjectList: Sendable, Hashable {
    public var items: [KubeObject]
    public var resourceVersion: String

    public init(items: [KubeObject], resourceVersion: String) {
        self.items = items
        self.resourceVersion = resourceVersion
    }
}

/// Which part of an object a write addresses.
public enum Subresource: String, Sendable, Hashable {
    /// Everything except `status`.
    case main = ""
    /// Only `status`.
    case status
}

/// Options for server-side apply.
public struct ApplyOptions: Sendable, Hashable {
    /// Take ownership of fields other managers own instead of failing with a conflict.
    public var force: Bool
    /// Compute and return the result without persisting it.
    public var dryRun: Bool
    /// Apply to the main resource or to the status subresource.
    public var subresource: Subresource

    public init(force: Bool = false, dryRun: Bool = false, subresource: Subresource = .main) {
        self.force = force
        self.dryRun = dryRun
        self.subresource = subresource
    }
}

/// A patch document, as `kubectl patch --type merge|json` sends it.
public enum Patch: Sendable, Hashable {
    /// RFC 7386 JSON merge patch.
    case merge(Value)
    /// RFC 6902 JSON patch (a list of operations).
    case json(Value)
}

/// How dependents are handled when their owner is deleted.
public enum PropagationPolicy: String, Sendable, Hashable {
    /// The owner goes first; dependents are collected afterwards (the Kubernetes default).
    case background = "Background"
    /// Dependents go first; the owner waits (finalizer `foregroundDeletion`) for those with `blockOwnerDeletion`.
    case foreground = "Foreground"
    /// Dependents are kept and lose their owner reference.
    case orphan = "Orphan"
}

/// Options for delete.
public struct DeleteOptions: Sendable, Hashable {
    public var propagation: PropagationPolicy
    /// Delete only if the object still has this uid.
    public var preconditionUID: String?
    /// Delete only if the object still has this resourceVersion.
    public var preconditionResourceVersion: String?

    public init(propagation: PropagationPolicy = .background, preconditionUID: String? = nil, preconditionResourceVersion: String? = nil) {
        self.propagation = propagation
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }
}
