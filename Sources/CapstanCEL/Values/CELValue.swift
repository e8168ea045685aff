import CapstanModel

/// A CEL runtime value.
///
/// Errors are values (`.error`) so that `&&`, `||` and the macros can absorb them as the CEL
/// specification requires; `CELProgram.evaluate` never returns `.error` as a success.
/// Lists and maps read from Kubernetes objects keep their JSON storage and convert elements on
/// access, so binding a large object costs nothing until an expression reads it.
public enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list(CELList)
    case map(CELMap)
    case timestamp(CELTimestamp)
    case duration(CELDuration)
    case type(CELType)
    case optional(CELOptional)
    /// A library type (Semver, IP, CIDR, Quantity, URL, Format, Image...).
    case opaque(any CELOpaqueValue)
    /// An evaluation error carried as a value.
    case error(CELEvalError)
}

/// A value of a type contributed by a library (for example `net.IP` or `kubernetes.Semver`).
public protocol CELOpaqueValue: AnyObject, Sendable {
    /// The CEL type of the value (`type(x)`).
    var celType: CELType { get }
    /// CEL equality with another opaque value (values of other types are never equal).
    func celEquals(_ other: any CELOpaqueValue) -> Bool
    /// A readable form used when printing the value.
    var celDescription: String { get }
}

/// An optional value (`optional.of(x)` or `optional.none()`).
public struct CELOptional: Sendable {
    final class Box: Sendable {
        let value: CELValue
        init(_ value: CELValue) { self.value = value }
    }
    let box: Box?

    /// `optional.none()`.
    public static let none = CELOptional(box: nil)
    /// `optional.of(value)`.
    public static func of(_ value: CELValue) -> CELOptional { CELOptional(box: Box(value)) }

    /// The wrapped value, or nil for `optional.none()`.
    public var value: CELValue? { box?.value }
}

/// An evaluation error: a message (cel-go's wording where one exists) and the expression node it came from.
public final class CELEvalError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// The id of the expression node that raised it (0 when not known yet).
    let node: Int32

    init(_ message: String, node: Int32 = 0) {
        self.message = message
        self.node = node
    }

    func located(_ node: Int32) -> CELEvalError {
        self.node != 0 ? self : CELEvalError(message, node: node)
    }

    public var description: String { message }
}

// MARK: - Constructors and accessors

extension CELValue {
    /// An error value with `message`.
    public static func error(_ message: String) -> CELValue { .error(CELEvalError(message)) }

    /// cel-go's "no such overload" error; nodes replace it with a message naming the argument types.
    static let noSuchOverloadError = CELEvalError("no such overload")
    static let noSuchOverload: CELValue = .error(noSuchOverloadError)

    /// A list value.
    public static func list(_ values: [CELValue]) -> CELValue { .list(CELList(values)) }

    /// A map value from key/value pairs (keys must be bool, int, uint or string and unique).
    public static func map(_ pairs: [(CELValue, CELValue)]) -> CELValue {
        var builder = CELMapBuilder()
        for (k, v) in pairs { _ = builder.insert(k, v) }
        return .map(builder.build())
    }

    /// True for `.error`.
    public var isError: Bool { if case .error = self { true } else { false } }

    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    var intValue: Int64? { if case .int(let i) = self { i } else { nil } }

    /// The runtime type of the value.
    public var celType: CELType {
        switch self {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .uint: .uint
        case .double: .double
        case .string: .string
        case .bytes: .bytes
        case .list: .list
        case .map: .map
        case .timestamp: .timestamp
        case .duration: .duration
        case .type: .type
        case .optional: .optional
        case .opaque(let o): o.celType
        case .error: .named("error")
        }
    }
}

extension CELValue: Equatable {
    /// CEL equality (heterogeneous numbers, NaN unequal); errors compare by message.
    public static func == (lhs: CELValue, rhs: CELValue) -> Bool {
        if case .error(let a) = lhs, case .error(let b) = rhs { return a.message == b.message }
        return celEquals(lhs, rhs)
    }
}

extension CELValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: CELValue...) { self = .list(CELList(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
