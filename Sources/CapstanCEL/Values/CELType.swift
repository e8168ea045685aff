/// A CEL type as a runtime value (`type(1) == int`). Runtime types carry no parameters:
/// `type([1]) == list`.
public enum CELType: Sendable, Hashable, CustomStringConvertible {
    case null, bool, int, uint, double, string, bytes, list, map, timestamp, duration, type, optional, dyn
    /// A library or otherwise named type (`net.IP`, `kubernetes.Semver`...).
    case named(String)

    /// The type's CEL name (`type(x)` prints as this).
    public var name: String {
        switch self {
        case .null: "null_type"
        case .bool: "bool"
        case .int: "int"
        case .uint: "uint"
        case .double: "double"
        case .string: "string"
        case .bytes: "bytes"
        case .list: "list"
        case .map: "map"
        case .timestamp: "google.protobuf.Timestamp"
        case .duration: "google.protobuf.Duration"
        case .type: "type"
        case .optional: "optional_type"
        case .dyn: "dyn"
        case .named(let n): n
        }
    }

    public var description: String { name }

    /// The type denoted by a name, for the built-in type identifiers.
    static let builtins: [String: CELType] = {
        var d: [String: CELType] = [:]
        // `dyn` is not a type denotation at runtime (cel-spec conformance: dyn_no_denotation).
        for t in [CELType.null, .bool, .int, .uint, .double, .string, .bytes, .list, .map, .timestamp, .duration,
                  .type, .optional] {
            d[t.name] = t
        }
        return d
    }()

    /// A type from its name, as written in typed JSON (`{"type": "int"}`).
    public init(name: String) {
        self = name == "dyn" ? .dyn : (CELType.builtins[name] ?? .named(name))
    }
}
