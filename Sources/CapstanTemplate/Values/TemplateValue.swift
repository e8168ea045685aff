/// A dynamic value as Go's `text/template` sees it through `reflect`: the Go kinds that templates can
/// observe are kept apart (an `int` literal is not a `float64` JSON number; `eq 3 .x` fails on that).
public enum TemplateValue {
    /// Go's zero `reflect.Value`: a missing map key, an untyped nil. Prints as `<no value>`.
    case invalid
    /// A nil `interface{}` held by a container (a JSON `null`, a nil function result inside a list).
    case null
    case bool(Bool)
    case string(String)
    /// Go `int` (literals, `len`, `int`, `atoi`, `until`).
    case int(Int)
    /// Go `int64` (sprig arithmetic and `int64`).
    case int64(Int64)
    /// Go `uint64` (semver segments).
    case uint64(UInt64)
    /// Go `uint8` (a byte from `index` on a string).
    case uint8(UInt8)
    /// Go `float64` (every JSON number in template data).
    case float64(Double)
    /// A Go slice (`[]interface{}`, `[]string`, `[]int`, `[][]interface{}`).
    case list(TemplateList)
    /// A Go map with string keys (`map[string]interface{}` or `map[string]string`); a reference, as in Go.
    case map(TemplateMap)
    /// `*semver.Version` from sprig's `semver`.
    case semver(SemanticVersion)
}

/// The element type of a Go slice or map value, which decides its printed Go type name and what it may be
/// passed to.
public enum GoElementType: Sendable, Equatable {
    /// `interface {}`
    case any
    case string
    case int
    /// `[]interface {}` (the rows of sprig's `chunk`)
    case anyList
}

/// A Go slice: its elements, element type, and whether it is a nil slice (which encodes to JSON `null`).
public struct TemplateList {
    public var items: [TemplateValue]
    public var element: GoElementType
    public var isNil: Bool

    public init(_ items: [TemplateValue], element: GoElementType = .any, isNil: Bool = false) {
        self.items = items
        self.element = element
        self.isNil = isNil
    }
}

/// A Go map with string keys. A reference type, because sprig's `set`/`unset`/`merge` mutate maps in place
/// and templates rely on it (`{{ $_ := set $d "k" 1 }}`).
public final class TemplateMap {
    public var entries: [String: TemplateValue]
    public let element: GoElementType
    public let isNil: Bool

    public init(_ entries: [String: TemplateValue] = [:], element: GoElementType = .any, isNil: Bool = false) {
        self.entries = entries
        self.element = element
        self.isNil = isNil
    }

    /// Keys in Go's printing order (sorted by byte value, as `fmt` and `range` sort string keys).
    public var sortedKeys: [String] { entries.keys.sorted(by: goStringLess) }
}

/// Go's string ordering: byte-wise comparison of the UTF-8 encodings.
func goStringLess(_ a: String, _ b: String) -> Bool {
    var ia = a.utf8.makeIterator()
    var ib = b.utf8.makeIterator()
    while true {
        switch (ia.next(), ib.next()) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let x?, let y?): if x != y { return x < y }
        }
    }
}

extension TemplateValue {
    /// Go's `%T` name of the dynamic type (`float64`, `[]interface {}`, `map[string]interface {}`).
    public var goTypeName: String {
        switch self {
        case .invalid, .null: return "<nil>"
        case .bool: return "bool"
        case .string: return "string"
        case .int: return "int"
        case .int64: return "int64"
        case .uint64: return "uint64"
        case .uint8: return "uint8"
        case .float64: return "float64"
        case .list(let l): return "[]" + l.element.goName
        case .map(let m): return "map[string]" + m.element.goName
        case .semver: return "*semver.Version"
        }
    }

    /// `reflect.Kind.String()` of the value (`slice`, `map`, `float64`; `invalid` for nil).
    public var goKindName: String {
        switch self {
        case .invalid, .null: return "invalid"
        case .list: return "slice"
        case .map: return "map"
        case .semver: return "ptr"
        default: return goTypeName
        }
    }

    /// True for `.invalid` and `.null`: Go's nil interface after `indirectInterface`.
    var isNilLike: Bool {
        switch self {
        case .invalid, .null: return true
        default: return false
        }
    }

    /// `.null` → `.invalid`, as `indirectInterface` and pipeline results do.
    var unboxed: TemplateValue { if case .null = self { return .invalid } else { return self } }

    /// The value as a function receives it through an `interface{}` parameter (no value → nil).
    var asInterfaceArgument: TemplateValue { if case .invalid = self { return .null } else { return self } }
}

extension GoElementType {
    var goName: String {
        switch self {
        case .any: return "interface {}"
        case .string: return "string"
        case .int: return "int"
        case .anyList: return "[]interface {}"
        }
    }
}

extension TemplateValue {
    /// Convenience constructors for lists of Go interface values and maps.
    public static func anyList(_ items: [TemplateValue]) -> TemplateValue { .list(TemplateList(items)) }
    public static func stringList(_ items: [String]) -> TemplateValue {
        .list(TemplateList(items.map { .string($0) }, element: .string))
    }
    public static func anyMap(_ entries: [String: TemplateValue]) -> TemplateValue { .map(TemplateMap(entries)) }
}
