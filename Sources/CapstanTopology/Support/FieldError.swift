import CapstanModel

/// A field path as Kubernetes validation prints it: `spec.topology.variables[cpu].value`.
struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// One step: a child field, a list index, or a map key.
    enum Step: Hashable, Sendable {
        case child(String)
        case index(Int)
        case key(String)
    }

    var steps: [Step]

    init(_ names: String...) { steps = names.map(Step.child) }
    init(steps: [Step]) { self.steps = steps }

    func child(_ names: String...) -> FieldPath { FieldPath(steps: steps + names.map(Step.child)) }
    func index(_ i: Int) -> FieldPath { FieldPath(steps: steps + [.index(i)]) }
    func key(_ k: String) -> FieldPath { FieldPath(steps: steps + [.key(k)]) }

    var description: String {
        var out = ""
        for step in steps {
            switch step {
            case .child(let name):
                if !out.isEmpty { out += "." }
                out += name
            case .index(let i): out += "[\(i)]"
            case .key(let k): out += "[\(k)]"
            }
        }
        return out
    }

    /// The map-key steps as plain object keys, for locating the node in a source map (list steps stay indexes).
    var pointerTokens: [String] {
        steps.map {
            switch $0 {
            case .child(let n): n
            case .index(let i): String(i)
            case .key(let k): k
            }
        }
    }
}

/// A validation problem in the shape of k8s.io/apimachinery `field.Error`, printed the same way:
/// `<field>: <Type>: <value>: <detail>`.
struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `field.ErrorType` and its printed form.
    enum Kind: String, Sendable {
        case required = "Required value"
        case invalid = "Invalid value"
        case typeInvalid = "Invalid value "  // printed like Invalid; distinct for tests
        case notSupported = "Unsupported value"
        case forbidden = "Forbidden"
        case tooLong = "Too long"
        case tooMany = "Too many"
        case duplicate = "Duplicate value"
        case `internal` = "Internal error"

        var printed: String { self == .typeInvalid ? "Invalid value" : rawValue }
    }

    /// How the bad value prints (`%q` for strings, `%v` for numbers and booleans, omitted otherwise).
    enum BadValue: Hashable, Sendable {
        case none
        case string(String)
        case number(String)
    }

    var kind: Kind
    var field: FieldPath
    var badValue: BadValue
    var detail: String

    static func required(_ field: FieldPath, _ detail: String) -> FieldError {
        FieldError(kind: .required, field: field, badValue: .none, detail: detail)
    }
    static func invalid(_ field: FieldPath, _ value: String, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, badValue: .string(value), detail: detail)
    }
    static func forbidden(_ field: FieldPath, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, badValue: .none, detail: detail)
    }
    static func notSupported(_ field: FieldPath, _ value: String, _ supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map { GoQuote.quote($0) }.joined(separator: ", ")
        return FieldError(kind: .notSupported, field: field, badValue: .string(value), detail: detail)
    }

    /// The part after the field path (`field.Error.ErrorBody`).
    var body: String {
        var s = kind.printed
        switch kind {
        case .required, .forbidden, .tooLong, .internal:
            break
        default:
            switch badValue {
            case .none: break
            case .string(let v): s += ": " + GoQuote.quote(v)
            case .number(let v): s += ": " + v
            }
        }
        if !detail.isEmpty { s += ": " + detail }
        return s
    }

    var description: String { "\(field): \(body)" }
}

extension Array where Element == FieldError {
    /// `errors.NewAggregate(...).Error()`: one message alone, several as `[a, b]` (duplicates dropped).
    var aggregateMessage: String {
        var seen = Set<String>()
        let msgs = map(\.description).filter { seen.insert($0).inserted }
        return msgs.count == 1 ? msgs[0] : "[" + msgs.joined(separator: ", ") + "]"
    }

    /// `apierrors.NewInvalid(kind, name, errs).Error()`.
    func invalidMessage(kind: String, name: String) -> String {
        "\(kind) \(GoQuote.quote(name)) is invalid: \(aggregateMessage)"
    }
}
