/// A function callable from a template, with the Go parameter types that decide how arguments are checked
/// and converted (`evalArg`/`validateType`): a `float64` passed to an `int` parameter fails exactly as in Go.
struct TemplateFunction: Sendable {
    /// The Go type of a parameter.
    enum Param: Sendable, Equatable {
        /// `interface{}`: anything; no value arrives as nil.
        case any
        /// `reflect.Value` (Go's builtins): the raw value, including "no value".
        case value
        case string
        case int
        case float64
        case bool
        case uint32
        /// `map[string]interface{}`
        case stringMap
        /// `[]interface{}`
        case anyList
        /// `time.Time` (never satisfiable: Capstan has no time values).
        case time
        /// `*semver.Version`
        case semver

        var goName: String {
            switch self {
            case .any: return "interface {}"
            case .value: return "reflect.Value"
            case .string: return "string"
            case .int: return "int"
            case .float64: return "float64"
            case .bool: return "bool"
            case .uint32: return "uint32"
            case .stringMap: return "map[string]interface {}"
            case .anyList: return "[]interface {}"
            case .time: return "time.Time"
            case .semver: return "*semver.Version"
            }
        }

        /// Go's `canBeNil`: a missing value becomes the type's nil.
        var canBeNil: Bool {
            switch self {
            case .any, .value, .stringMap, .anyList, .semver: return true
            default: return false
            }
        }
    }

    /// How the evaluator treats the call.
    enum Special: Sendable {
        case none
        /// `and`/`or`: short-circuit over unevaluated arguments.
        case and, or
        /// `call`: the first argument's text names the callee in errors.
        case call
    }

    typealias Body = @Sendable ([TemplateValue]) throws(FunctionError) -> TemplateValue

    let name: String
    let params: [Param]
    let variadic: Param?
    let special: Special
    let body: Body
    /// How the executor charges a call against `TemplateLimits` before running it.
    let cost: FunctionCost

    init(_ name: String, _ params: [Param], variadic: Param? = nil, special: Special = .none, _ body: @escaping Body) {
        self.name = name
        self.params = params
        self.variadic = variadic
        self.special = special
        self.body = body
        cost = FunctionCost.of(name)
    }
}

/// An error returned (or a panic raised) by a function; the template reports it as
/// `error calling <name>: <message>`.
struct FunctionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A named set of functions a template is parsed against.
struct FunctionTable: Sendable {
    let functions: [String: TemplateFunction]

    subscript(name: String) -> TemplateFunction? { functions[name] }

    /// Go's `text/template` builtins only (naming templates).
    static let goBuiltins = FunctionTable(functions: Dictionary(uniqueKeysWithValues: GoBuiltins.all.map { ($0.name, $0) }))

    /// Go builtins overlaid with sprig's `HermeticTxtFuncMap` (sprig's `slice` wins, as in Go, where
    /// template functions are looked up before builtins).
    static let sprigHermetic: FunctionTable = {
        var map = Dictionary(uniqueKeysWithValues: GoBuiltins.all.map { ($0.name, $0) })
        for f in Sprig.all { map[f.name] = f }
        return FunctionTable(functions: map)
    }()
}
