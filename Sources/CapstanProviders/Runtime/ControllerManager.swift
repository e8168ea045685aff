public import CapstanCluster
import CapstanModel

/// Runs the embedded controllers against a `ManagementCluster`, exactly as controllers run against an API
/// server: informers keep a local cache of the watched kinds, events are routed to work queues (an object's
/// own controller, and owners/clusters through secondary watches), and reconciles read the cache and write
/// through the port with their own field manager.
///
/// Two modes share everything but the loop: `runUntilQuiescent` (simulation: deterministic rounds over
/// simulated time) and `run()` (real time, for the daemon).
public final class ControllerManager: Sendable {
    /// The management cluster the controllers talk to.
    public let cluster: any ManagementCluster
    /// The controllers' clock.
    public let clock: any ControllerClock
    let configuration: ProviderConfiguration
    let cache = ObjectCache()
    let names: NameGenerator
    let reconcilers: [any Reconciler]
    let state: Guarded<State>

    struct WorkItem: Hashable, Sendable {
        var controller: Int
        var key: ObjectKey
    }

    struct InformerState: Sendable {
        var gvk: GroupVersionKind
        var listed = false
        /// Every event of the kind up to this resourceVersion has been applied.
        var lastRV: Int64 = 0
        var watching = false
    }

    struct State: Sendable {
        var informers: [GroupKind: InformerState] = [:]
        var roles: [KindRole: Set<GroupKind>] = [:]
        var queue = WorkQueue<WorkItem>()
        var statistics = ControllerStatistics()
        /// The resourceVersion of each controller's last write per object, so an object's own controller is not
        /// re-triggered by the event of its own write (it already reconciled that state).
        var ownWrites: [WorkItem: String] = [:]
        var lastErrors: [String] = []
        /// Facts a controller established once per process (e.g. a cluster's secrets exist).
        var memo: Set<String> = []
    }

    /// A manager running `reconcilers`; see `ProviderSet` for the standard set.
    init(cluster: any ManagementCluster, clock: any ControllerClock, configuration: ProviderConfiguration, reconcilers: [any Reconciler]) {
        self.cluster = cluster
        self.clock = clock
        self.configuration = configuration
        self.reconcilers = reconcilers
        names = NameGenerator(seed: configuration.nameSeed)
        var s = State()
        for r in reconcilers {
            for sel in [r.primary] + r.watches.map(\.source) {
                if case .kind(let gvk) = sel, s.informers[gvk.groupKind] == nil { s.informers[gvk.groupKind] = InformerState(gvk: gvk) }
            }
        }
        for (role, kinds) in configuration.knownKinds {
            for gvk in kinds {
                s.roles[role, default: []].insert(gvk.groupKind)
                if s.informers[gvk.groupKind] == nil { s.informers[gvk.groupKind] = InformerState(gvk: gvk) }
            }
        }
        state = Guarded(s)
    }

    /// Counters since the manager started.
    public var statistics: ControllerStatistics { state.withLock { $0.statistics } }

    /// The most recent reconcile errors (newest last), for diagnostics.
    public var recentErrors: [String] { state.withLock { $0.lastErrors } }

    // MARK: Kinds

    func isWatched(_ gk: GroupKind) -> Bool { state.withLock { $0.informers[gk] != nil } }

    /// Whether a kind's informer has listed it (its absence from the cache then means absence from the store).
    func isListed(_ gk: GroupKind) -> Bool { state.withLock { $0.informers[gk]?.listed == true } }

    /// Adds a kind to a role (and an informer for it). Objects already cached are replayed to the controllers
    /// of the role.
    func track(_ gvk: GroupVersionKind, as role: KindRole) {
        let gk = gvk.groupKind
        let replay = state.withLock { s -> Bool in
            guard s.roles[role]?.contains(gk) != true else { return false }
            s.roles[role, default: []].insert(gk)
            if s.informers[gk] == nil {
                s.informers[gk] = InformerState(gvk: gvk)
                return false
            }
            return s.informers[gk]?.listed == true
        }
        if replay {
            for obj in cache.all(gk) { route(ObjectEvent(type: .added, object: obj, previous: nil)) }
        }
    }

    func kinds(of role: KindRole) -> Set<GroupKind> { state.withLock { $0.roles[role] ?? [] } }

    private func matches(_ sel: KindSelector, _ gk: GroupKind, roles: [KindRole: Set<GroupKind>]) -> Bool {
        switch sel {
        case .kind(let gvk): gvk.groupKind == gk
        case .role(let role): roles[role]?.contains(gk) == true
        }
    }

    // MARK: Events

    /// Enqueues what an event concerns: the object for controllers owning its kind (unless the event is the
    /// controller's own write), and what each secondary watch maps it to.
    func route(_ e: ObjectEvent) {
        let gk = e.object.key.groupKind
        let roles = state.withLock { $0.roles }
        var items: [WorkItem] = []
        for (i, r) in reconcilers.enumerated() {
            if matches(r.primary, gk, roles: roles) { items.append(WorkItem(controller: i, key: e.object.key)) }
            for w in r.watches where matches(w.source, gk, roles: roles) {
                for key in w.map(e, cache) { items.append(WorkItem(controller: i, key: key)) }
            }
        }
        let rv = e.object.resourceVersion
        state.withLock { s in
            s.statistics.events += 1
            for item in items {
                if item.key == e.object.key, e.type != .deleted, let rv, s.ownWrites[item] == rv { continue }
                s.queue.add(item)
            }
        }
    }

    /// Applies an observed event to the cache and routes it.
    func apply(_ e: WatchEvent) {
        switch e.type {
        case .added, .modified:
            cache.upsert(e.object)
            let previous = cache.deliver(e.object.key, e.object)
            route(ObjectEvent(type: previous == nil ? .added : .modified, object: e.object, previous: previous))
        case .deleted:
            cache.remove(e.object.key, resourceVersion: e.object.resourceVersion)
            let previous = cache.deliver(e.object.key, nil)
            route(ObjectEvent(type: .deleted, object: e.object, previous: previous))
        }
    }

    /// Lists a kind and makes the cache equal to the result, routing what changed; returns the list's version.
    @discardableResult
    func relist(_ gvk: GroupVersionKind) async throws -> Int64 {
        let list = try await cluster.list(gvk, namespace: nil, selector: nil)
        replaceCache(gvk, with: list)
        let rv = Int64(list.resourceVersion) ?? 0
        state.withLock { s in
            s.informers[gvk.groupKind]?.listed = true
            s.informers[gvk.groupKind]?.lastRV = rv
        }
        return rv
    }

    // MARK: Reconciling

    /// Enqueues an object for a controller by name (tests and tools use it to poke a controller).
    func enqueue(controller name: String, _ key: ObjectKey) {
        guard let i = reconcilers.firstIndex(where: { $0.name == name }) else { return }
        state.withLock { $0.queue.add(WorkItem(controller: i, key: key)) }
    }

    /// Records that a controller wrote an object (see `ownWrites`).
    func noteOwnWrite(controller: Int, _ obj: KubeObject) {
        guard let rv = obj.resourceVersion else { return }
        state.withLock { $0.ownWrites[WorkItem(controller: controller, key: obj.key)] = rv }
    }

    func countWrite(controller: Int) {
        let name = reconcilers[controller].name
        state.withLock { s in
            s.statistics.writes += 1
            s.statistics.writesByController[name, default: 0] += 1
        }
    }

    /// Whether a fact was recorded with `remember` (in this process).
    func recalls(_ fact: String) -> Bool { state.withLock { $0.memo.contains(fact) } }

    /// How many recorded facts start with `prefix`.
    func countFacts(prefix: String) -> Int { state.withLock { $0.memo.filter { $0.hasPrefix(prefix) }.count } }

    /// Records a fact for `recalls`.
    func remember(_ fact: String) { state.withLock { _ = $0.memo.insert(fact) } }

    /// Runs one reconcile and schedules what it asked for (requeue-after, or backoff after an error).
    func process(_ item: WorkItem) async {
        let r = reconcilers[item.controller]
        let gk = item.key.groupKind
        guard matches(r.primary, gk, roles: state.withLock { $0.roles }) else { return }
        let client = ControllerClient(cluster: cluster, fieldManager: r.name, manager: self, controller: item.controller)
        let ctx = ReconcileContext(cache: cache, client: client, clock: clock, config: configuration, names: names, manager: self)
        let result: Result<ReconcileResult, any Error>
        do {
            result = .success(try await r.reconcile(item.key, ctx))
        } catch {
            result = .failure(error)
        }
        let now = clock.currentMoment()
        state.withLock { s in
            s.statistics.reconciles += 1
            s.statistics.reconcilesByController[r.name, default: 0] += 1
            switch result {
            case .success(let next):
                s.queue.forget(item)
                if case .requeue(let after) = next { s.queue.add(item, at: now.advanced(by: max(after, .milliseconds(1)))) }
            case .failure(let error):
                s.statistics.errors += 1
                if case ClusterError.conflict = error { s.statistics.conflicts += 1 }
                s.queue.addRateLimited(item, now: now)
                s.lastErrors.append("\(r.name) \(item.key): \(error)")
                if s.lastErrors.count > 20 { s.lastErrors.removeFirst() }
            }
        }
    }
}

/// Counters a manager keeps.
public struct ControllerStatistics: Sendable, Hashable {
    /// Reconciles run (all controllers).
    public var reconciles = 0
    /// Reconciles per controller name.
    public var reconcilesByController: [String: Int] = [:]
    /// Write requests sent to the management cluster.
    public var writes = 0
    /// Write requests per controller name.
    public var writesByController: [String: Int] = [:]
    /// Reconciles that failed (and were retried with backoff).
    public var errors = 0
    /// Of those, optimistic-concurrency conflicts.
    public var conflicts = 0
    /// Events observed by the informers.
    public var events = 0
}
