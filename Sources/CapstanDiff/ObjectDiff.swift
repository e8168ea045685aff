public import CapstanCluster
public import CapstanModel

/// Field-level comparison of two object bodies with server-side apply's list semantics (`MergeRules`):
/// keyed lists are matched item by item by key, so a reordered list of conditions or MachineDeployment
/// topologies is not a change; set lists compare as sets; atomic lists compare in order (item by item
/// when both have the same length, so a change deep inside shows where it is). `null` means unset.
public struct ObjectDiff: Sendable {
    public let rules: MergeRules

    public init(rules: MergeRules = .kubernetes) { self.rules = rules }

    /// Every field that differs between `old` and `new`, in document order (old's order, then new keys).
    public func changes(old: Value, new: Value, apiVersion: String) -> [FieldChange] {
        var walker = Walker(rules: rules, apiVersion: apiVersion)
        walker.walk(old.isNull ? nil : old, new.isNull ? nil : new)
        return walker.out
    }

    /// The changes between two objects (bodies compared as given; normalise them first).
    public func changes(old: KubeObject, new: KubeObject) -> [FieldChange] {
        changes(old: old.body, new: new.body, apiVersion: new.apiVersion)
    }

    /// The path element of every item of a list at `schema`, or nil when the list is atomic there (by
    /// rule, or because an item lacks its key fields, keys repeat, or a set item is not a scalar).
    public func itemElements(_ list: [Value], schema: [String], apiVersion: String) -> [PathElement]? {
        rules.listType(at: schema[...], apiVersion: apiVersion).itemElements(list)
    }

    struct Walker {
        let rules: MergeRules
        let apiVersion: String
        var path: [PathElement] = []
        var schema: [String] = []
        var out: [FieldChange] = []

        init(rules: MergeRules, apiVersion: String) {
            self.rules = rules
            self.apiVersion = apiVersion
        }

        mutating func emit(_ op: FieldChange.Operation, _ a: Value?, _ b: Value?) {
            out.append(FieldChange(path: FieldPath(path), operation: op, old: a, new: b))
        }

        mutating func walk(_ a: Value?, _ b: Value?) {
            switch (a, b) {
            case (nil, nil): return
            case (nil, let b?): emit(.added, nil, b)
            case (let a?, nil): emit(.removed, a, nil)
            case (.map(let x), .map(let y)):
                if !schema.isEmpty && rules.isAtomicMap(at: schema[...], apiVersion: apiVersion) {
                    if !ObjectDiff.equal(.map(x), .map(y)) { emit(.changed, a, b) }
                    return
                }
                walkMaps(x, y)
            case (.list(let x), .list(let y)):
                walkLists(x, y, whole: (a!, b!))
            case (let a?, let b?):
                if a != b { emit(.changed, a, b) }
            }
        }

        mutating func walkMaps(_ x: ObjectMap, _ y: ObjectMap) {
            for e in x {
                let other = y[e.key].flatMap { $0.isNull ? nil : $0 }
                if e.value.isNull && other == nil { continue }
                path.append(.field(e.key)); schema.append(e.key)
                walk(e.value.isNull ? nil : e.value, other)
                path.removeLast(); schema.removeLast()
            }
            for e in y where !x.contains(e.key) && !e.value.isNull {
                path.append(.field(e.key)); schema.append(e.key)
                walk(nil, e.value)
                path.removeLast(); schema.removeLast()
            }
        }

        mutating func walkLists(_ x: [Value], _ y: [Value], whole: (Value, Value)) {
            let type = rules.listType(at: schema[...], apiVersion: apiVersion)
            if case .atomic = type {
                walkAtomic(x, y, whole: whole)
                return
            }
            guard let xe = type.itemElements(x), let ye = type.itemElements(y) else {
                walkAtomic(x, y, whole: whole)
                return
            }
            var newIndex: [PathElement: Int] = [:]
            for (i, e) in ye.enumerated() { newIndex[e] = i }
            let oldSet = Set(xe)
            schema.append("[]")
            for (i, e) in xe.enumerated() {
                path.append(e)
                if let j = newIndex[e] {
                    if case .set = type {} else { walk(x[i], y[j]) }
                } else {
                    emit(.removed, x[i], nil)
                }
                path.removeLast()
            }
            for (j, e) in ye.enumerated() where !oldSet.contains(e) {
                path.append(e)
                emit(.added, nil, y[j])
                path.removeLast()
            }
            schema.removeLast()
        }

        mutating func walkAtomic(_ x: [Value], _ y: [Value], whole: (Value, Value)) {
            if x.count != y.count || x.isEmpty {
                if !ObjectDiff.equal(whole.0, whole.1) { emit(.changed, whole.0, whole.1) }
                return
            }
            schema.append("[]")
            for i in x.indices {
                path.append(.index(i))
                walk(x[i], y[i])
                path.removeLast()
            }
            schema.removeLast()
        }
    }

    /// JSON equality that also treats `null` map values as absent.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)):
            for e in x where !e.value.isNull {
                guard let o = y[e.key], equal(e.value, o) else { return false }
            }
            for e in y where !e.value.isNull && (x[e.key] == nil || x[e.key]!.isNull) { return false }
            return true
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        default:
            return a == b
        }
    }
}
