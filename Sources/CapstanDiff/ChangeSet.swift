public import CapstanModel

/// What applying the desired state does to one object.
public enum Change: Sendable, Hashable {
    case create
    case update([FieldChange])
    case delete
    case unchanged
    /// Wanted, but not done in this pass; the reason says why and what it waits for.
    case held(String)

    /// `create`, `update`, `delete`, `unchanged`, `held`.
    public var action: String {
        switch self {
        case .create: "create"
        case .update: "update"
        case .delete: "delete"
        case .unchanged: "unchanged"
        case .held: "held"
        }
    }

    /// Whether anything happens (or waits to happen).
    public var isChange: Bool { self != .unchanged }

    /// The field changes of an update (empty otherwise).
    public var fieldChanges: [FieldChange] {
        if case .update(let f) = self { return f }
        return []
    }
}

/// One object's change with both sides (normalised), so reports can show field lists and YAML hunks.
public struct ObjectChange: Sendable {
    public var key: ObjectKey
    public var apiVersion: String
    public var change: Change
    /// The object before (nil for a create).
    public var old: KubeObject?
    /// The object after (nil for a delete).
    public var new: KubeObject?

    public init(key: ObjectKey, apiVersion: String, change: Change, old: KubeObject?, new: KubeObject?) {
        self.key = key
        self.apiVersion = apiVersion
        self.change = change
        self.old = old
        self.new = new
    }
}

/// The changes between two sets of objects, in the order of the new set, then deletions in the old set's order.
public struct ChangeSet: Sendable {
    public var changes: [ObjectChange]

    public init(changes: [ObjectChange]) { self.changes = changes }

    /// Compares `old` and `new` by identity (group, kind, namespace, name); both sides are normalised first.
    public static func compute(old: [KubeObject], new: [KubeObject], diff: ObjectDiff = ObjectDiff()) -> ChangeSet {
        var oldByKey: [ObjectKey: KubeObject] = [:]
        for o in old { oldByKey[o.key] = o }
        var seen = Set<ObjectKey>()
        var out: [ObjectChange] = []
        for n in new where seen.insert(n.key).inserted {
            out.append(change(old: oldByKey[n.key], new: n, diff: diff))
        }
        for o in old where !seen.contains(o.key) {
            seen.insert(o.key)
            out.append(change(old: o, new: nil, diff: diff))
        }
        return ChangeSet(changes: out)
    }

    /// The change from `old` to `new` for one identity (either may be nil, not both). Both sides are
    /// normalised, and Secret values are masked before comparing, so the result never holds them.
    public static func change(old: KubeObject?, new: KubeObject?, diff: ObjectDiff = ObjectDiff()) -> ObjectChange {
        let (o, n) = SecretMask.mask(old: old.map(Normalizer.normalize), new: new.map(Normalizer.normalize))
        let key = (n ?? o)!.key
        let apiVersion = (n ?? o)!.apiVersion
        switch (o, n) {
        case (nil, _): return ObjectChange(key: key, apiVersion: apiVersion, change: .create, old: nil, new: n)
        case (_, nil): return ObjectChange(key: key, apiVersion: apiVersion, change: .delete, old: o, new: nil)
        case (let o?, let n?):
            let fields = diff.changes(old: o, new: n)
            return ObjectChange(key: key, apiVersion: apiVersion, change: fields.isEmpty ? .unchanged : .update(fields), old: o, new: n)
        }
    }

    /// Counts by action.
    public var counts: [String: Int] {
        var c: [String: Int] = [:]
        for ch in changes { c[ch.change.action, default: 0] += 1 }
        return c
    }
}
