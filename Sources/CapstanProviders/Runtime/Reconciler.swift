import CapstanModel

/// A family of kinds known only at run time: the kinds references point to through the provider contracts.
public enum KindRole: String, Sendable, Hashable, CaseIterable {
    case infrastructureCluster
    case infrastructureMachine
    case infrastructureMachinePool
    case controlPlane
    case bootstrapConfig
}

/// Which kinds a controller reconciles or watches: one kind, or every kind of a role.
enum KindSelector: Sendable, Hashable {
    case kind(GroupVersionKind)
    case role(KindRole)
}

/// A change the informers observed (or synthesised on a relist).
struct ObjectEvent: Sendable {
    enum EventType: Sendable { case added, modified, deleted }
    var type: EventType
    var object: KubeObject
    /// The previously cached version (nil for additions and when it was not cached).
    var previous: KubeObject?
}

/// A secondary watch: events of `source` kinds enqueue the primary objects `map` returns.
struct Watch: Sendable {
    var source: KindSelector
    var map: @Sendable (ObjectEvent, ObjectCache) -> [ObjectKey]

    /// Events map to the object's owners of `kind` (e.g. a MachineSet change enqueues its MachineDeployment).
    static func owners(_ source: KindSelector, ownerKind: GroupVersionKind) -> Watch {
        Watch(source: source) { e, _ in
            var refs = e.object.ownerReferences
            if let prev = e.previous { refs += prev.ownerReferences }
            let keys = refs.filter { $0.kind == ownerKind.kind && GroupVersionKind(apiVersion: $0.apiVersion, kind: $0.kind).group == ownerKind.group }
                .map { ObjectKey(group: ownerKind.group, kind: ownerKind.kind, namespace: e.object.namespace, name: $0.name) }
            return Array(Set(keys))
        }
    }

    /// Events map to the object's Cluster (by the cluster-name label or `spec.clusterName`).
    static func cluster(_ source: KindSelector) -> Watch {
        Watch(source: source) { e, _ in
            guard let id = e.object.clusterID ?? e.previous?.clusterID else { return [] }
            return [ObjectKey(group: CAPI.group, kind: "Cluster", namespace: id.namespace, name: id.name)]
        }
    }

    /// Cluster events map to every cached object of `kind` in that cluster.
    static func clusterMembers(_ kind: GroupVersionKind) -> Watch {
        Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
            cache.list(kind.groupKind, cluster: ClusterID(namespace: e.object.namespace, name: e.object.name)).map(\.key)
        }
    }
}

/// What a reconcile asks for next.
public enum ReconcileResult: Sendable, Hashable {
    /// Nothing until an event arrives.
    case done
    /// Reconcile again after a delay (a timer: provisioning latency, a health-check timeout, minReadySeconds).
    case requeue(after: Duration)

    /// The sooner of two results.
    func merged(_ other: ReconcileResult) -> ReconcileResult {
        switch (self, other) {
        case (.done, let x), (let x, .done): return x
        case (.requeue(let a), .requeue(let b)): return .requeue(after: min(a, b))
        }
    }
}

/// One controller: the kinds it owns, what else it watches, and its reconcile function. `name` is also the
/// field manager its writes carry (e.g. `capi-machinedeployment`), so a diff can tell its fields from
/// Capstan's.
protocol Reconciler: Sendable {
    var name: String { get }
    var primary: KindSelector { get }
    var watches: [Watch] { get }
    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult
}
