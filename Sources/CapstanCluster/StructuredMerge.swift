import CapstanModel

/// Field sets, comparison, merge and removal over object bodies, following structured-merge-diff's rules with
/// `MergeRules` standing in for the OpenAPI schema. Works on the *tracked* part of an object (`TrackedView`).
struct StructuredMerge {
    let rules: MergeRules
    let apiVersion: String

    /// Added, modified and removed paths between two versions of an object. Added/removed hold every node of
    /// a subtree that appeared or went away (so an `Update` manager owns `f:labels` itself, shown as `.`);
    /// modified holds leaves whose value changed.
    struct Comparison {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()
        var isEmpty: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }
    }

    // MARK: Schema lookups

    func listType(_ schema: [String]) -> MergeRules.ListType { rules.listType(at: schema[...], apiVersion: apiVersion) }

    func isAtomicMap(_ schema: [String]) -> Bool { rules.isAtomicMap(at: schema[...], apiVersion: apiVersion) }

    /// The path element of every item, or nil when the list must be treated as atomic (see
    /// `MergeRules.ListType.itemElements`).
    func itemElements(_ list: [Value], schema: [String]) -> [PathElement]? { listType(schema).itemElements(list) }

    // MARK: Field set of an applied configuration

    /// The fields an applied configuration sets: leaves, empty maps, atomic lists and maps, and each keyed-list
    /// or set item (plus the leaves inside keyed items). Struct-like maps with content are not members themselves.
    func fieldSet(of view: ObjectMap) -> FieldSet {
        var set = FieldSet()
        var path: [PathElement] = []
        var schema: [String] = []
        for e in view {
            path.append(.field(e.key)); schema.append(e.key)
            collectApplied(e.value, &path, &schema, &set)
            path.removeLast(); schema.removeLast()
        }
        return set
    }

    private func collectApplied(_ v: Value, _ path: inout [PathElement], _ schema: inout [String], _ set: inout FieldSet) {
        switch v {
        case .map(let m):
            if m.isEmpty || isAtomicMap(schema) { set.insert(FieldPath(path)); return }
            for e in m {
                path.append(.field(e.key)); schema.append(e.key)
                collectApplied(e.value, &path, &schema, &set)
                path.removeLast(); schema.removeLast()
            }
        case .list(let l):
            guard let elements = itemElements(l, schema: schema) else { set.insert(FieldPath(path)); return }
            schema.append("[]")
            for (pe, item) in zip(elements, l) {
                path.append(pe)
                set.insert(FieldPath(path))
                if case .map(let m) = item, !isAtomicMap(schema) {
                    for e in m {
                        path.append(.field(e.key)); schema.append(e.key)
                        collectApplied(e.value, &path, &schema, &set)
                        path.removeLast(); schema.removeLast()
                    }
                }
                path.removeLast()
            }
            schema.removeLast()
        default:
            set.insert(FieldPath(path))
        }
    }

    // MARK: Compare

    /// How `new` differs from `old`. The top-level `metadata`, `spec` and `status` maps count as always
    /// present (as they are in typed Kubernetes objects), so only their contents are added or removed.
    func compare(_ old: ObjectMap, _ new: ObjectMap) -> Comparison {
        var c = Comparison()
        var path: [PathElement] = []
        var schema: [String] = []
        let structural: Set<String> = ["metadata", "spec", "status"]
        for e in old {
            path.append(.field(e.key)); schema.append(e.key)
            if let other = new[e.key] {
                compareValues(e.value, other, &path, &schema, &c)
            } else if structural.contains(e.key), case .map(let m) = e.value {
                compareValues(.map(m), .map([:]), &path, &schema, &c)
            } else {
                allNodes(e.value, &path, &schema, &c.removed)
            }
            path.removeLast(); schema.removeLast()
        }
        for e in new where old[e.key] == nil {
            path.append(.field(e.key)); schema.append(e.key)
            if structural.contains(e.key), case .map(let m) = e.value {
                compareValues(.map([:]), .map(m), &path, &schema, &c)
            } else {
                allNodes(e.value, &path, &schema, &c.added)
            }
            path.removeLast(); schema.removeLast()
        }
        return c
    }

    private func compareValues(_ a: Value, _ b: Value, _ path: inout [PathElement], _ schema: inout [String], _ c: inout Comparison) {
        switch (a, b) {
        case (.map(let ma), .map(let mb)) where !isAtomicMap(schema):
            for e in ma {
                path.append(.field(e.key)); schema.append(e.key)
                if let other = mb[e.key] { compareValues(e.value, other, &path, &schema, &c) } else { allNodes(e.value, &path, &schema, &c.removed) }
                path.removeLast(); schema.removeLast()
            }
            for e in mb where ma[e.key] == nil {
                path.append(.field(e.key)); schema.append(e.key)
                allNodes(e.value, &path, &schema, &c.added)
                path.removeLast(); schema.removeLast()
            }
        case (.list(let la), .list(let lb)):
            guard let ea = itemElements(la, schema: schema), let eb = itemElements(lb, schema: schema) else { fallthrough }
            var bIndex: [PathElement: Int] = [:]
            for (i, pe) in eb.enumerated() { bIndex[pe] = i }
            var aSeen = Set<PathElement>()
            schema.append("[]")
            for (pe, item) in zip(ea, la) {
                aSeen.insert(pe)
                path.append(pe)
                if let j = bIndex[pe] {
                    if case .map = item, !isAtomicMap(schema) {
                        compareValues(item, lb[j], &path, &schema, &c)
                    } else if item != lb[j] {
                        c.modified.insert(FieldPath(path))
                    }
                } else {
                    allNodes(item, &path, &schema, &c.removed)
                }
                path.removeLast()
            }
            for (pe, item) in zip(eb, lb) where !aSeen.contains(pe) {
                path.append(pe)
                allNodes(item, &path, &schema, &c.added)
                path.removeLast()
            }
            schema.removeLast()
        default:
            if a != b { c.modified.insert(FieldPath(path)) }
        }
    }

    /// Inserts the node at `path` and every node below it.
    private func allNodes(_ v: Value, _ path: inout [PathElement], _ schema: inout [String], _ set: inout FieldSet) {
        set.insert(FieldPath(path))
        switch v {
        case .map(let m) where !isAtomicMap(schema):
            for e in m {
                path.append(.field(e.key)); schema.append(e.key)
                allNodes(e.value, &path, &schema, &set)
                path.removeLast(); schema.removeLast()
            }
        case .list(let l):
            guard let elements = itemElements(l, schema: schema) else { return }
            schema.append("[]")
            for (pe, item) in zip(elements, l) {
                path.append(pe)
                allNodes(item, &path, &schema, &set)
                path.removeLast()
            }
            schema.removeLast()
        default:
            break
        }
    }

    // MARK: Merge

    /// `config` merged into `live`: maps key by key, keyed lists and sets item by item (order: structured-merge-diff's
    /// interleave, the applied order winning for shared items), everything else replaced by the config's value.
    func merge(_ live: ObjectMap, _ config: ObjectMap) -> ObjectMap {
        var schema: [String] = []
        return mergeMaps(live, config, &schema)
    }

    private func mergeMaps(_ live: ObjectMap, _ config: ObjectMap, _ schema: inout [String]) -> ObjectMap {
        var out = live
        for e in config {
            schema.append(e.key)
            if let l = live[e.key] { out[e.key] = mergeValues(l, e.value, &schema) } else { out.append(key: e.key, value: e.value) }
            schema.removeLast()
        }
        return out
    }

    private func mergeValues(_ live: Value, _ config: Value, _ schema: inout [String]) -> Value {
        switch (live, config) {
        case (.map(let l), .map(let c)) where !isAtomicMap(schema):
            return .map(mergeMaps(l, c, &schema))
        case (.list(let l), .list(let c)):
            guard let le = itemElements(l, schema: schema), let ce = itemElements(c, schema: schema) else { return config }
            schema.append("[]")
            defer { schema.removeLast() }
            return .list(mergeLists(l, le, c, ce, &schema))
        default:
            return config
        }
    }

    private func mergeItem(_ live: Value?, _ config: Value, _ schema: inout [String]) -> Value {
        guard let live else { return config }
        return mergeValues(live, config, &schema)
    }

    /// Interleaves two keyed lists: live-only items keep their place, config items come in config order, and an
    /// item present in both is merged and emitted where the config puts it.
    private func mergeLists(_ l: [Value], _ le: [PathElement], _ c: [Value], _ ce: [PathElement], _ schema: inout [String]) -> [Value] {
        var liveIndex: [PathElement: Int] = [:]
        for (i, pe) in le.enumerated() { liveIndex[pe] = i }
        let configKeys = Set(ce)
        let shared = ce.filter { liveIndex[$0] != nil }
        var nextShared = 0
        var emitted = Set<PathElement>()
        var out: [Value] = []
        out.reserveCapacity(max(l.count, c.count))
        var li = 0, ci = 0
        while li < l.count || ci < c.count {
            if li < l.count, ci < c.count, le[li] == ce[ci] {
                out.append(mergeItem(l[li], c[ci], &schema))
                emitted.insert(ce[ci])
                if nextShared < shared.count, shared[nextShared] == ce[ci] { nextShared += 1 }
                li += 1; ci += 1
                continue
            }
            if li < l.count {
                let pe = le[li]
                if !configKeys.contains(pe) {
                    out.append(l[li]); li += 1
                    continue
                }
                if emitted.contains(pe) || (ci < c.count && nextShared < shared.count && shared[nextShared] != pe) {
                    li += 1
                    continue
                }
            }
            if ci < c.count {
                let pe = ce[ci]
                out.append(mergeItem(liveIndex[pe].map { l[$0] }, c[ci], &schema))
                emitted.insert(pe)
                if nextShared < shared.count, shared[nextShared] == pe { nextShared += 1 }
                ci += 1
            } else {
                li += 1
            }
        }
        return out
    }

    // MARK: Paths into values

    /// The value at a path, if present.
    static func value(at path: ArraySlice<PathElement>, in v: Value) -> Value? {
        guard let first = path.first else { return v }
        guard let i = childIndex(first, in: v) else { return nil }
        switch (v, i) {
        case (.map(let m), .key(let k)): return m[k].flatMap { value(at: path.dropFirst(), in: $0) }
        case (.list(let l), .index(let n)): return value(at: path.dropFirst(), in: l[n])
        default: return nil
        }
    }

    /// Removes the node at a path; returns whether something was removed.
    @discardableResult
    static func remove(_ path: ArraySlice<PathElement>, from v: inout Value) -> Bool {
        guard let first = path.first, let i = childIndex(first, in: v) else { return false }
        switch (v, i) {
        case (.map(var m), .key(let k)):
            v = .null
            defer { v = .map(m) }
            if path.count == 1 { return m.removeValue(forKey: k) != nil }
            guard var child = m[k] else { return false }
            m[k] = .null  // keeps the key's position and leaves `child` uniquely referenced
            defer { m[k] = child }
            return remove(path.dropFirst(), from: &child)
        case (.list(var l), .index(let n)):
            v = .null
            defer { v = .list(l) }
            if path.count == 1 { l.remove(at: n); return true }
            return remove(path.dropFirst(), from: &l[n])
        default:
            return false
        }
    }

    /// Where a path element points inside a value: a map key or a list position.
    private enum ChildIndex { case key(String), index(Int) }

    private static func childIndex(_ pe: PathElement, in v: Value) -> ChildIndex? {
        switch (pe, v) {
        case (.field(let k), .map(let m)): return m.contains(k) ? .key(k) : nil
        case (.key(let fields), .list(let l)):
            return l.firstIndex { item in fields.allSatisfy { item[$0.name] == $0.value } }.map(ChildIndex.index)
        case (.value(let x), .list(let l)): return l.firstIndex(of: x).map(ChildIndex.index)
        case (.index(let n), .list(let l)): return l.indices.contains(n) ? .index(n) : nil
        default: return nil
        }
    }
}
