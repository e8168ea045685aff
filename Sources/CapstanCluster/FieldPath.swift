public import CapstanModel

/// One step into an object, as structured-merge-diff (the library behind server-side apply) names it.
public enum PathElement: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A map/struct field (`f:name` in FieldsV1).
    case field(String)
    /// An item of a keyed list, by its key fields sorted by name (`k:{"type":"Ready"}`).
    case key([KeyField])
    /// An item of a set-typed list, by value (`v:"example.com/finalizer"`).
    case value(Value)
    /// A position in a list (`i:0`); read from FieldsV1 but never produced, since atomic lists are owned whole.
    case index(Int)

    /// One key field of a keyed-list item.
    public struct KeyField: Sendable, Hashable {
        public var name: String
        public var value: Value
        public init(name: String, value: Value) {
            self.name = name
            self.value = value
        }
    }

    /// The order structured-merge-diff sorts elements in: fields, then keys, then values, then indexes.
    public static func < (a: PathElement, b: PathElement) -> Bool { a.compare(b) < 0 }

    /// Three-way comparison (-1, 0, 1).
    public func compare(_ other: PathElement) -> Int {
        switch (self, other) {
        case (.field(let x), .field(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.key(let x), .key(let y)):
            for (a, b) in zip(x, y) {
                if a.name != b.name { return a.name < b.name ? -1 : 1 }
                let c = ValueOrder.compare(a.value, b.value)
                if c != 0 { return c }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case (.value(let x), .value(let y)): return ValueOrder.compare(x, y)
        case (.index(let x), .index(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        default: return rank < other.rank ? -1 : 1
        }
    }

    private var rank: Int {
        switch self {
        case .field: 0
        case .key: 1
        case .value: 2
        case .index: 3
        }
    }

    /// The path-string form used in conflict messages: `.name`, `[type="Ready"]`, `[="x"]`, `[0]`.
    public var description: String {
        switch self {
        case .field(let n): return "." + n
        case .key(let fields): return "[" + fields.map { "\($0.name)=\(ValueOrder.goString($0.value))" }.joined(separator: ",") + "]"
        case .value(let v): return "[=\(ValueOrder.goString(v))]"
        case .index(let i): return "[\(i)]"
        }
    }

    /// The FieldsV1 key form: `f:name`, `k:{"type":"Ready"}`, `v:"x"`, `i:0`.
    public var fieldsV1Key: String {
        switch self {
        case .field(let n): return "f:" + n
        case .key(let fields): return "k:" + JSON.serialize(.map(ObjectMap(fields.map { ($0.name, $0.value) })))
        case .value(let v): return "v:" + JSON.serialize(v)
        case .index(let i): return "i:\(i)"
        }
    }

    /// Parses a FieldsV1 key; nil when malformed.
    public init?(fieldsV1Key s: String) {
        guard s.count >= 2, s.utf8.dropFirst().first == UInt8(ascii: ":") else { return nil }
        let body = String(s.dropFirst(2))
        switch s.first {
        case "f": self = .field(body)
        case "i":
            guard let i = Int(body) else { return nil }
            self = .index(i)
        case "v":
            guard let v = try? JSON.parse(body) else { return nil }
            self = .value(v)
        case "k":
            guard case .map(let m)? = try? JSON.parse(body) else { return nil }
            self = .key(m.map { KeyField(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name })
        default: return nil
        }
    }
}

/// A path from an object's root to one field or list item.
public struct FieldPath: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var elements: [PathElement]

    public init(_ elements: [PathElement]) { self.elements = elements }

    /// A path of plain field names (`FieldPath(fields: "spec", "replicas")`).
    public init(fields: String...) { elements = fields.map(PathElement.field) }

    public static func < (a: FieldPath, b: FieldPath) -> Bool {
        for (x, y) in zip(a.elements, b.elements) {
            let c = x.compare(y)
            if c != 0 { return c < 0 }
        }
        return a.elements.count < b.elements.count
    }

    /// `.spec.topology.variables[name="x"].value`.
    public var description: String { elements.map(\.description).joined() }

    /// This path extended by one element.
    public func appending(_ e: PathElement) -> FieldPath { FieldPath(elements + [e]) }
}

/// The total order structured-merge-diff uses for values (numbers, then strings, bools, lists, maps, null)
/// and Go's `%v`/`%q` printing of them in path strings.
enum ValueOrder {
    static func compare(_ a: Value, _ b: Value) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x == y ? 0 : (x < y ? -1 : 1) }
        switch (a, b) {
        case (.double(let x), .double(let y)): return cmp(x, y)
        case (.double(let x), .int(let y)): return cmp(x, Double(y))
        case (.int(let x), .double(let y)): return cmp(Double(x), y)
        case (.double, _): return -1
        case (_, .double): return 1
        case (.int(let x), .int(let y)): return cmp(x, y)
        case (.int, _): return -1
        case (_, .int): return 1
        case (.string(let x), .string(let y)): return cmp(x, y)
        case (.string, _): return -1
        case (_, .string): return 1
        case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
        case (.bool, _): return -1
        case (_, .bool): return 1
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) {
                let c = compare(p, q)
                if c != 0 { return c }
            }
            return cmp(x.count, y.count)
        case (.list, _): return -1
        case (_, .list): return 1
        case (.map(let x), .map(let y)):
            return compare(.string(JSON.serialize(.map(x), sortKeys: true)), .string(JSON.serialize(.map(y), sortKeys: true)))
        case (.map, _): return -1
        case (_, .map): return 1
        case (.null, .null): return 0
        }
    }

    /// Go's rendering in path strings: strings quoted, numbers and bools plain.
    static func goString(_ v: Value) -> String {
        switch v {
        case .string(let s): return JSON.serialize(.string(s))
        case .null: return "null"
        default: return JSON.serialize(v)
        }
    }
}
