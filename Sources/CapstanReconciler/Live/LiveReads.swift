import CapstanCluster
import CapstanModel
import CapstanTopology
import Synchronization

/// The live objects read for one render, as the renderer's `LiveState`, and what the renderer asked for that
/// was not read yet.
///
/// The renderer is synchronous and the management cluster is not, so a Cluster is rendered in rounds: render
/// with what was read, read what it missed (`takeMisses`), render again, until it misses nothing. Reading on
/// demand keeps the renderer the only place that knows which live objects a topology depends on.
final class LiveReads: LiveState, Sendable {
    /// A list request: objects of a group/kind in a namespace having these label values.
    struct Query: Hashable, Sendable {
        var group: String
        var kind: String
        var namespace: String
        var labels: [String: String]
    }

    /// What the renderer asked for and did not get.
    struct Misses: Sendable {
        var keys: Set<ObjectKey> = []
        var queries: Set<Query> = []
        var isEmpty: Bool { keys.isEmpty && queries.isEmpty }
    }

    private struct State {
        var objects: [ObjectKey: KubeObject] = [:]
        var absent: Set<ObjectKey> = []
        var covered: [Query] = []
        var misses = Misses()
    }

    private let state = Mutex(State())

    init() {}

    func object(_ key: ObjectKey) -> KubeObject? {
        state.withLock { s in
            if let o = s.objects[key] { return o }
            if !s.absent.contains(key) && !Self.isCovered(key, by: s.covered) { s.misses.keys.insert(key) }
            return nil
        }
    }

    func objects(group: String, kind: String, namespace: String, matching selector: LabelSelector) -> [KubeObject] {
        let equals = Self.equalities(selector)
        return state.withLock { s in
            let covered = s.covered.contains { c in
                c.group == group && c.kind == kind && c.namespace == namespace && c.labels.allSatisfy { equals[$0.key] == $0.value }
            }
            if !covered {
                s.misses.queries.insert(Query(group: group, kind: kind, namespace: namespace, labels: equals))
                return []
            }
            return s.objects.values
                .filter { $0.key.group == group && $0.key.kind == kind && $0.key.namespace == namespace && selector.matches($0) }
                .sorted { $0.name < $1.name }
        }
    }

    /// The `key=value` requirements of a selector (what a query fetches by; the rest filters what it fetched).
    static func equalities(_ selector: LabelSelector) -> [String: String] {
        var out: [String: String] = [:]
        for r in selector.requirements where r.op == .equals && r.values.count == 1 { out[r.key] = r.values[0] }
        return out
    }

    /// A get that found nothing: answered as absent from now on.
    private static func isCovered(_ key: ObjectKey, by covered: [Query]) -> Bool {
        covered.contains { $0.group == key.group && $0.kind == key.kind && $0.namespace == key.namespace && $0.labels.isEmpty }
    }

    /// Records the result of a get.
    func record(_ key: ObjectKey, _ object: KubeObject?) {
        state.withLock { s in
            if let object { s.objects[key] = object } else { s.absent.insert(key) }
        }
    }

    /// Records the result of a list: every object of the query is now known.
    func record(_ query: Query, _ items: [KubeObject]) {
        state.withLock { s in
            for o in items { s.objects[o.key] = o }
            s.covered.append(query)
        }
    }

    /// Replaces one object after Capstan wrote it (the render after an apply sees the new uid).
    func update(_ object: KubeObject) {
        state.withLock { s in
            s.objects[object.key] = object
            s.absent.remove(object.key)
        }
    }

    /// Returns and clears what was missed since the last call.
    func takeMisses() -> Misses {
        state.withLock { s in
            defer { s.misses = Misses() }
            return s.misses
        }
    }

    /// What was read about one object, without recording a miss.
    enum Lookup: Sendable {
        case present(KubeObject)
        case absent
        case unknown
    }

    /// What was read about `key`: present, known to be absent, or never asked.
    func lookup(_ key: ObjectKey) -> Lookup {
        state.withLock { s in
            if let o = s.objects[key] { return .present(o) }
            if s.absent.contains(key) || Self.isCovered(key, by: s.covered) { return .absent }
            return .unknown
        }
    }

    /// The object as last read, without recording a miss.
    func known(_ key: ObjectKey) -> KubeObject? { state.withLock { $0.objects[key] } }

    /// Forgets that an object exists (after deleting it).
    func remove(_ key: ObjectKey) {
        state.withLock { s in
            s.objects[key] = nil
            s.absent.insert(key)
        }
    }
}

/// The renderer's `LiveState`: the reads of the Cluster being rendered (a task-local value), else the
/// fleet-wide reads (CustomResourceDefinitions, templates of classes) that class contexts use while the
/// renderer is built.
struct RoutedLive: LiveState {
    @TaskLocal static var current: LiveReads?
    let fleetWide: LiveReads

    func object(_ key: ObjectKey) -> KubeObject? { (Self.current ?? fleetWide).object(key) }

    func objects(group: String, kind: String, namespace: String, matching selector: LabelSelector) -> [KubeObject] {
        (Self.current ?? fleetWide).objects(group: group, kind: kind, namespace: namespace, matching: selector)
    }
}
