public import CapstanModel

/// A set of field paths stored as a trie, as structured-merge-diff's `fieldpath.Set`: at each level the
/// elements that are themselves in the set (`members`) and the subtrees below (`children`), both sorted.
/// This is what a `managedFields` entry holds for one manager.
public struct FieldSet: Sendable, Hashable, CustomStringConvertible {
    /// Elements at this level that are in the set.
    public private(set) var members: [PathElement] = []
    /// Subtrees, sorted by element; never empty.
    public private(set) var children: [Child] = []

    /// One subtree.
    public struct Child: Sendable, Hashable {
        public var element: PathElement
        public var set: FieldSet
    }

    public init() {}

    /// A set holding `paths`.
    public init<S: Sequence>(_ paths: S) where S.Element == FieldPath {
        for p in paths { insert(p) }
    }

    public var isEmpty: Bool { members.isEmpty && children.isEmpty }

    // MARK: Single paths

    /// Adds a path.
    public mutating func insert(_ path: FieldPath) { insert(path.elements[...]) }

    mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            let (i, found) = Self.search(members, first)
            if !found { members.insert(first, at: i) }
            return
        }
        let (i, found) = Self.searchChildren(children, first)
        if found {
            children[i].set.insert(path.dropFirst())
        } else {
            var s = FieldSet()
            s.insert(path.dropFirst())
            children.insert(Child(element: first, set: s), at: i)
        }
    }

    /// Whether `path` itself is in the set.
    public func contains(_ path: FieldPath) -> Bool {
        guard let last = path.elements.last else { return false }
        guard let node = subset(at: path.elements.dropLast()) else { return false }
        return Self.search(node.members, last).1
    }

    /// Whether `path` or anything below it is in the set.
    public func containsAny(atOrBelow path: FieldPath) -> Bool {
        if contains(path) { return true }
        return subset(at: path.elements[...]).map { !$0.isEmpty } ?? false
    }

    /// The subtree below a prefix (nil when nothing is below it).
    public func subset(at prefix: ArraySlice<PathElement>) -> FieldSet? {
        var node = self
        for e in prefix {
            let (i, found) = Self.searchChildren(node.children, e)
            guard found else { return nil }
            node = node.children[i].set
        }
        return node
    }

    /// Every path in the set, in order.
    public var paths: [FieldPath] {
        var out: [FieldPath] = []
        collect(prefix: [], into: &out)
        return out.sorted()
    }

    func collect(prefix: [PathElement], into out: inout [FieldPath]) {
        for m in members { out.append(FieldPath(prefix + [m])) }
        for c in children { c.set.collect(prefix: prefix + [c.element], into: &out) }
    }

    public var description: String { paths.map(\.description).joined(separator: " ") }

    // MARK: Set algebra

    /// Paths in either set.
    public func union(_ other: FieldSet) -> FieldSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var out = FieldSet()
        out.members = Self.mergeSorted(members, other.members, keepLeft: true, keepRight: true, keepBoth: true)
        var i = 0, j = 0
        while i < children.count || j < other.children.count {
            if j == other.children.count || (i < children.count && children[i].element < other.children[j].element) {
                out.children.append(children[i]); i += 1
            } else if i == children.count || other.children[j].element < children[i].element {
                out.children.append(other.children[j]); j += 1
            } else {
                out.children.append(Child(element: children[i].element, set: children[i].set.union(other.children[j].set)))
                i += 1; j += 1
            }
        }
        return out
    }

    /// Paths in this set and not in `other` (a member stays unless `other` has that exact member).
    public func difference(_ other: FieldSet) -> FieldSet {
        if other.isEmpty || isEmpty { return self }
        var out = FieldSet()
        out.members = Self.mergeSorted(members, other.members, keepLeft: true, keepRight: false, keepBoth: false)
        for c in children {
            let (j, found) = Self.searchChildren(other.children, c.element)
            if !found { out.children.append(c); continue }
            let d = c.set.difference(other.children[j].set)
            if !d.isEmpty { out.children.append(Child(element: c.element, set: d)) }
        }
        return out
    }

    /// Paths in both sets.
    public func intersection(_ other: FieldSet) -> FieldSet {
        if other.isEmpty || isEmpty { return FieldSet() }
        var out = FieldSet()
        out.members = Self.mergeSorted(members, other.members, keepLeft: false, keepRight: false, keepBoth: true)
        for c in children {
            let (j, found) = Self.searchChildren(other.children, c.element)
            guard found else { continue }
            let d = c.set.intersection(other.children[j].set)
            if !d.isEmpty { out.children.append(Child(element: c.element, set: d)) }
        }
        return out
    }

    // MARK: Sorted-array helpers

    static func search(_ a: [PathElement], _ e: PathElement) -> (Int, Bool) {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = a[mid].compare(e)
            if c == 0 { return (mid, true) }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return (lo, false)
    }

    static func searchChildren(_ a: [Child], _ e: PathElement) -> (Int, Bool) {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = a[mid].element.compare(e)
            if c == 0 { return (mid, true) }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return (lo, false)
    }

    static func mergeSorted(_ a: [PathElement], _ b: [PathElement], keepLeft: Bool, keepRight: Bool, keepBoth: Bool) -> [PathElement] {
        var out: [PathElement] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count { if keepLeft { out.append(a[i]) }; i += 1; continue }
            if i == a.count { if keepRight { out.append(b[j]) }; j += 1; continue }
            let c = a[i].compare(b[j])
            if c < 0 { if keepLeft { out.append(a[i]) }; i += 1 }
            else if c > 0 { if keepRight { out.append(b[j]) }; j += 1 }
            else { if keepBoth { out.append(a[i]) }; i += 1; j += 1 }
        }
        return out
    }
}

// MARK: - FieldsV1

extension FieldSet {
    /// The error for a `fieldsV1` document that is not a valid field set.
    public struct FieldsV1Error: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The `fieldsV1` form: `{"f:spec":{"f:replicas":{}}}`; a subtree that is also a member carries `".":{}`.
    /// Keys come out in structured-merge-diff's element order, so output is byte-stable.
    public var fieldsV1: Value { .map(encode(includeSelf: false)) }

    func encode(includeSelf: Bool) -> ObjectMap {
        var out = ObjectMap()
        if includeSelf { out.append(key: ".", value: .map([:])) }
        var i = 0, j = 0
        while i < members.count || j < children.count {
            if j == children.count || (i < members.count && members[i] < children[j].element) {
                out.append(key: members[i].fieldsV1Key, value: .map([:])); i += 1
            } else if i == members.count || children[j].element < members[i] {
                out.append(key: children[j].element.fieldsV1Key, value: .map(children[j].set.encode(includeSelf: false))); j += 1
            } else {
                out.append(key: children[j].element.fieldsV1Key, value: .map(children[j].set.encode(includeSelf: true)))
                i += 1; j += 1
            }
        }
        return out
    }

    /// Reads a `fieldsV1` document.
    public init(fieldsV1: Value) throws(FieldsV1Error) {
        guard case .map(let m) = fieldsV1 else { throw FieldsV1Error(message: "fieldsV1 must be an object") }
        self = try Self.decode(m)
    }

    static func decode(_ m: ObjectMap) throws(FieldsV1Error) -> FieldSet {
        var members: [PathElement] = [], children: [Child] = []
        for entry in m where entry.key != "." {
            guard let pe = PathElement(fieldsV1Key: entry.key) else {
                throw FieldsV1Error(message: "invalid path element \"\(entry.key)\"")
            }
            guard case .map(let sub) = entry.value else { throw FieldsV1Error(message: "\(entry.key): expected an object") }
            if sub.isEmpty {
                members.append(pe)
            } else {
                if sub.contains(".") { members.append(pe) }
                let child = try decode(sub)
                if !child.isEmpty { children.append(Child(element: pe, set: child)) }
            }
        }
        var s = FieldSet()
        s.members = members.sorted()
        s.children = children.sorted { $0.element < $1.element }
        return s
    }
}
