import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanYAML
import Synchronization

/// Field changes of Git objects between the two revisions, located in the files (head for additions and
/// changes, base for removals). Computed once per object and shared by every Cluster that uses it.
final class SourceChanges: Sendable {
    let base: FleetSnapshot
    let head: FleetSnapshot
    let diff: ObjectDiff
    private let cache = Mutex<[ObjectKey: [Cause]]>([:])

    init(base: FleetSnapshot, head: FleetSnapshot, diff: ObjectDiff) {
        self.base = base
        self.head = head
        self.diff = diff
    }

    /// The located field changes of one Git object (an added object is one cause at its root, a removed one too).
    func causes(of key: ObjectKey) -> [Cause] {
        if let c = cache.withLock({ $0[key] }) { return c }
        let c = compute(key)
        cache.withLock { $0[key] = c }
        return c
    }

    private func compute(_ key: ObjectKey) -> [Cause] {
        let b = base.object(key), h = head.object(key)
        switch (b, h) {
        case (nil, nil): return []
        case (nil, let h?): return [Cause(location: h.location, object: key, change: FieldChange(path: FieldPath([]), operation: .added, old: nil, new: nil))]
        case (let b?, nil): return [Cause(location: b.location, object: key, change: FieldChange(path: FieldPath([]), operation: .removed, old: nil, new: nil))]
        case (let b?, let h?):
            let change = ChangeSet.change(old: b.object, new: h.object, diff: diff)
            return change.change.fieldChanges.map { f in
                let side = f.operation == .removed ? b : h
                return Cause(location: side.location(of: Self.yamlPath(f.path, in: side.object.body)), object: key, change: f)
            }
        }
    }

    /// A field path as YAML source-map steps (keyed and set items resolved to their index in `body`).
    static func yamlPath(_ path: FieldPath, in body: Value) -> [CapstanYAML.PathElement] {
        var out: [CapstanYAML.PathElement] = []
        var node: Value? = body
        for e in path.elements {
            switch e {
            case .field(let f):
                out.append(.key(f))
                node = node?[f]
            case .index(let i):
                out.append(.index(i))
                node = node?[i]
            case .key(let fields):
                guard let list = node?.listValue, let i = list.firstIndex(where: { item in fields.allSatisfy { item[$0.name] == $0.value } }) else { return out }
                out.append(.index(i))
                node = list[i]
            case .value(let v):
                guard let list = node?.listValue, let i = list.firstIndex(of: v) else { return out }
                out.append(.index(i))
                node = list[i]
            }
        }
        return out
    }
}
