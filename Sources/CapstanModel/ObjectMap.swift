/// An insertion-ordered string-keyed map, the `map` case of `Value`.
///
/// Kubernetes objects have small maps, so entries live in one array and small maps are searched linearly;
/// a hash index is built once a map grows past `indexThreshold` entries so large maps (a ConfigMap with
/// thousands of keys, a YAML file with duplicate-key checks) stay linear overall.
public struct ObjectMap: Sendable {
    /// One key/value pair.
    public struct Entry: Sendable {
        public var key: String
        public var value: Value
        public init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline static let indexThreshold = 16

    public private(set) var entries: [Entry]
    @usableFromInline var index: [String: Int]?

    /// An empty map.
    public init() {
        entries = []
        index = nil
    }

    /// A map from pairs; a repeated key keeps its first position and its last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// A map whose entries are known to have unique keys (no checking in release builds).
    public init(uniqueEntries: [Entry]) {
        entries = uniqueEntries
        index = nil
        if entries.count > Self.indexThreshold { rebuildIndex() }
        assert(Set(entries.map(\.key)).count == entries.count, "duplicate keys")
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    public var values: [Value] { entries.map(\.value) }

    /// The position of `key`, if present.
    @inlinable
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in entries.indices where entries[i].key == key { return i }
        return nil
    }

    public func contains(_ key: String) -> Bool { position(of: key) != nil }

    /// Reads, replaces in place, inserts at the end, or (with nil) removes.
    public subscript(key: String) -> Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue { entries[i].value = newValue } else { remove(at: i) }
            } else if let newValue {
                append(key: key, value: newValue)
            }
        }
    }

    /// Appends a key known to be absent.
    public mutating func append(key: String, value: Value) {
        entries.append(Entry(key: key, value: value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Inserts or replaces `key` at a given position (used to keep a key where a merge put it).
    public mutating func insert(key: String, value: Value, at position: Int) {
        if let old = self.position(of: key) { remove(at: old) }
        entries.insert(Entry(key: key, value: value), at: Swift.min(position, entries.count))
        if index != nil || entries.count > Self.indexThreshold { rebuildIndex() }
    }

    /// Removes and returns the value for `key`.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        guard let i = position(of: key) else { return nil }
        let v = entries[i].value
        remove(at: i)
        return v
    }

    private mutating func remove(at i: Int) {
        entries.remove(at: i)
        if index != nil {
            if entries.count > Self.indexThreshold { rebuildIndex() } else { index = nil }
        }
    }

    /// Sorts the entries by key (for canonical output).
    public mutating func sortKeys() {
        entries.sort { $0.key < $1.key }
        if index != nil { rebuildIndex() }
    }

    /// A copy with keys sorted.
    public func sortedByKey() -> ObjectMap {
        var copy = self
        copy.sortKeys()
        return copy
    }

    /// Transforms every value, keeping keys and order.
    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> ObjectMap {
        var copy = self
        for i in copy.entries.indices { copy.entries[i].value = try transform(copy.entries[i].value) }
        return copy
    }

    /// Keeps the entries for which `isIncluded` holds.
    public func filter(_ isIncluded: (Entry) throws -> Bool) rethrows -> ObjectMap {
        ObjectMap(uniqueEntries: try entries.filter(isIncluded))
    }

    private mutating func rebuildIndex() {
        var idx = [String: Int](minimumCapacity: entries.count)
        for (i, e) in entries.enumerated() { idx[e.key] = i }
        index = idx
    }
}

extension ObjectMap: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> Entry { entries[position] }
}

extension ObjectMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) { self.init(elements) }
}

extension ObjectMap: Equatable {
    /// Order-insensitive equality (JSON objects are unordered).
    public static func == (lhs: ObjectMap, rhs: ObjectMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Fast path: same order.
        var sameOrder = true
        for (a, b) in zip(lhs.entries, rhs.entries) where a.key != b.key {
            sameOrder = false
            break
        }
        if sameOrder { return zip(lhs.entries, rhs.entries).allSatisfy { $0.value == $1.value } }
        for e in lhs.entries {
            guard let other = rhs[e.key], other == e.value else { return false }
        }
        return true
    }
}

extension ObjectMap: Hashable {
    /// Order-insensitive hash, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for e in entries {
            var h = Hasher()
            h.combine(e.key)
            h.combine(e.value)
            combined ^= h.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(combined)
    }
}
