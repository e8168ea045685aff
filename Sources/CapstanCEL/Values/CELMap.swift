import CapstanModel
import Synchronization

/// A CEL map. Keys are bool, int, uint or string; int, uint and integral double keys that denote the
/// same number find the same entry (`{1u: 'a'}[1.0]`). Iteration follows insertion (document) order.
///
/// Storage is either a JSON object (string keys, values converted on access), CEL entries, or a lazy
/// map whose values are computed on first access (ValidatingAdmissionPolicy `variables`).
public struct CELMap: Sendable {
    enum Storage: Sendable {
        case json(ObjectMap)
        case native(NativeMap)
        case lazy(CELLazyMap)
    }
    let storage: Storage

    /// A view of a JSON object.
    init(json: ObjectMap) { storage = .json(json) }
    init(native: NativeMap) { storage = .native(native) }
    /// A map whose values are computed on first access.
    public init(lazy: CELLazyMap) { storage = .lazy(lazy) }

    /// The empty map.
    public static let empty = CELMap(native: NativeMap(keys: [], values: []))

    /// The number of entries.
    public var count: Int {
        switch storage {
        case .json(let m): m.count
        case .native(let n): n.keys.count
        case .lazy(let l): l.keys.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The value for a string key (field selection), nil when absent.
    public func lookup(field: String) -> CELValue? {
        switch storage {
        case .json(let m):
            guard let i = m.position(of: field) else { return nil }
            return CELValue(m.entries[i].value)
        case .native(let n): return n.lookup(.string(CodePointString(field)))
        case .lazy(let l): return l.value(for: field)
        }
    }

    /// The value for a key, nil when absent or when the key cannot be a map key.
    public func lookup(_ key: CELValue) -> CELValue? {
        switch storage {
        case .json, .lazy:
            guard case .string(let s) = key else { return nil }
            return lookup(field: s)
        case .native(let n):
            guard let k = CELMapKey(lookup: key) else { return nil }
            return n.lookup(k)
        }
    }

    /// The key at a position in iteration order.
    func key(at i: Int) -> CELValue {
        switch storage {
        case .json(let m): .string(m.entries[i].key)
        case .native(let n): n.keys[i]
        case .lazy(let l): .string(l.keys[i])
        }
    }

    /// The value at a position in iteration order.
    func value(at i: Int) -> CELValue {
        switch storage {
        case .json(let m): CELValue(m.entries[i].value)
        case .native(let n): n.values[i]
        case .lazy(let l): l.value(for: l.keys[i]) ?? .null
        }
    }

    /// All keys in iteration order.
    public var keys: [CELValue] { (0..<count).map(key(at:)) }

    /// All entries in iteration order.
    public var entries: [(key: CELValue, value: CELValue)] { (0..<count).map { (key(at: $0), value(at: $0)) } }
}

/// A map key normalised so that equal numbers of different types hash alike.
enum CELMapKey: Hashable, Sendable {
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)  // only values above Int64.max
    case string(CodePointString)

    /// The key for a value stored in a map literal; nil for types that cannot be keys.
    init?(_ value: CELValue) {
        switch value {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
        case .string(let s): self = .string(CodePointString(s))
        default: return nil
        }
    }

    /// The key used to look a value up: integral doubles find int and uint keys.
    init?(lookup value: CELValue) {
        if case .double(let d) = value {
            if let i = Int64(exactly: d) { self = .int(i); return }
            if let u = UInt64(exactly: d) { self = .uint(u); return }
            return nil
        }
        self.init(value)
    }
}

/// Entries of a map built by CEL (literals, transformMap).
final class NativeMap: Sendable {
    let keys: [CELValue]
    let values: [CELValue]
    let index: [CELMapKey: Int]?

    init(keys: [CELValue], values: [CELValue], index: [CELMapKey: Int]? = nil) {
        self.keys = keys
        self.values = values
        self.index = index
    }

    func lookup(_ key: CELMapKey) -> CELValue? {
        if let index { return index[key].map { values[$0] } }
        for i in keys.indices where CELMapKey(keys[i]) == key { return values[i] }
        return nil
    }
}

/// Builds a map, rejecting duplicate keys and keys of unsupported types.
struct CELMapBuilder {
    var keys: [CELValue] = []
    var values: [CELValue] = []
    var index: [CELMapKey: Int] = [:]

    init() {}

    init(_ map: CELMap) {
        for (k, v) in map.entries { _ = insert(k, v) }
    }

    enum InsertResult { case ok, duplicate, badKey }

    /// Adds an entry; reports a duplicate or an invalid key instead of inserting.
    mutating func insert(_ key: CELValue, _ value: CELValue) -> InsertResult {
        guard let k = CELMapKey(key) else { return .badKey }
        if index[k] != nil { return .duplicate }
        index[k] = keys.count
        keys.append(key)
        values.append(value)
        return .ok
    }

    func build() -> CELMap {
        CELMap(native: NativeMap(keys: keys, values: values, index: keys.count > 8 ? index : nil))
    }
}

/// A string-keyed map whose values are computed once, on first access (for lazily evaluated
/// policy variables). The resolver runs at most once per key; its result is cached.
public final class CELLazyMap: Sendable {
    let keys: [String]
    private let resolver: @Sendable (String) -> CELValue
    private let cache = Mutex<[String: CELValue]>([:])
    private let keySet: Set<String>

    /// A map with the given keys (in order); `resolver` computes a key's value on first access.
    public init(keys: [String], resolver: @escaping @Sendable (String) -> CELValue) {
        self.keys = keys
        self.keySet = Set(keys)
        self.resolver = resolver
    }

    func value(for key: String) -> CELValue? {
        guard keySet.contains(key) else { return nil }
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let v = resolver(key)
        cache.withLock { $0[key] = v }
        return v
    }
}
