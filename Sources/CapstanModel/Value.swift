/// A JSON-like value as Kubernetes objects carry it: null, bool, int64, double, string, list, or an
/// ordered map whose key order is the source order (so output is stable and reviewable).
///
/// Integers and doubles are distinct cases, as in Kubernetes' unstructured objects (a number without a
/// fraction or exponent that fits in int64 is an integer). Equality follows JSON semantics: map key order
/// does not matter and `1` equals `1.0`. Use `isIdentical(to:)` when order and number kind must match too.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([Value])
    case map(ObjectMap)
}

// MARK: - Kinds and accessors

extension Value {
    /// The kind of a value, for error messages ("expected map, got string").
    public enum Kind: String, Sendable, CustomStringConvertible {
        case null, bool, int, double, string, list, map
        public var description: String { rawValue }
    }

    /// The kind of this value.
    public var kind: Kind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .double: .double
        case .string: .string
        case .list: .list
        case .map: .map
        }
    }

    /// The JSON type name Kubernetes uses in validation messages (`integer`, `number`, `object`, `array`, ...).
    public var jsonTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .list: "array"
        case .map: "object"
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var intValue: Int64? { if case .int(let i) = self { i } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var listValue: [Value]? { if case .list(let l) = self { l } else { nil } }
    public var mapValue: ObjectMap? { if case .map(let m) = self { m } else { nil } }

    /// The value as a double when it is a number (int or double).
    public var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// Member lookup on a map; nil for a missing key or a non-map.
    public subscript(key: String) -> Value? {
        get { if case .map(let m) = self { m[key] } else { nil } }
        set {
            guard case .map(var m) = self else {
                if let newValue { self = .map(ObjectMap([(key, newValue)])) }
                return
            }
            self = .null  // release the payload so `m` is uniquely referenced
            m[key] = newValue
            self = .map(m)
        }
    }

    /// Element lookup on a list; nil when out of range or not a list.
    public subscript(index: Int) -> Value? {
        if case .list(let l) = self, l.indices.contains(index) { l[index] } else { nil }
    }

    /// Follows a path of map keys; nil as soon as a step is missing.
    public subscript(path path: [String]) -> Value? {
        get {
            var current = self
            for key in path {
                guard let next = current[key] else { return nil }
                current = next
            }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .map([:])
            if child.mapValue == nil {
                if newValue == nil { return }
                child = .map([:])
            }
            child[path: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// Convenience for dotted paths in code (`value[dotted: "spec.template.spec"]`); keys may not contain dots.
    public subscript(dotted path: String) -> Value? {
        get { self[path: path.split(separator: ".").map(String.init)] }
        set { self[path: path.split(separator: ".").map(String.init)] = newValue }
    }
}

// MARK: - Equality with JSON semantics

extension Value: Equatable {
    /// JSON equality: maps compare without regard to key order; `1 == 1.0`.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(exactly: a).map { $0 == b } ?? false
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.map(let a), .map(let b)): return a == b
        default: return false
        }
    }

    /// Strict structural identity: same cases (int is not double), same key order, same list order.
    public func isIdentical(to other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isIdentical(to: $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where x.key != y.key || !x.value.isIdentical(to: y.value) { return false }
            return true
        default: return false
        }
    }
}

extension Value: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0 as UInt8)
        case .bool(let b): hasher.combine(1 as UInt8); hasher.combine(b)
        case .int(let i): hasher.combine(2 as UInt8); hasher.combine(i)
        case .double(let d):
            // Integral doubles hash like the equal int so that `==` and hashing agree.
            if let i = Int64(exactly: d) { hasher.combine(2 as UInt8); hasher.combine(i) } else { hasher.combine(3 as UInt8); hasher.combine(d) }
        case .string(let s): hasher.combine(4 as UInt8); hasher.combine(s)
        case .list(let l): hasher.combine(5 as UInt8); hasher.combine(l)
        case .map(let m): hasher.combine(6 as UInt8); hasher.combine(m)
        }
    }
}

// MARK: - Literals

// Deliberately not ExpressibleByNilLiteral: with `Value?` everywhere, a `nil` literal silently becoming
// `.null` inside a ternary is a bug magnet. Write `.null`.
extension Value: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .map(ObjectMap(elements)) }
}

extension Value: CustomStringConvertible {
    /// Compact JSON, for messages and debugging.
    public var description: String { JSON.serialize(self) }
}
