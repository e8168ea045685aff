import Synchronization

/// Function libraries an environment can enable.
public struct CELLibraries: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// cel-go `ext.Strings` (version 2 behaviour plus `quote`, `format`, `join`, `reverse`).
    public static let strings = CELLibraries(rawValue: 1 << 0)
    /// Kubernetes lists: `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`.
    public static let lists = CELLibraries(rawValue: 1 << 1)
    /// Kubernetes regex: `find`, `findAll`.
    public static let regex = CELLibraries(rawValue: 1 << 2)
    /// Kubernetes URLs.
    public static let urls = CELLibraries(rawValue: 1 << 3)
    /// Kubernetes resource quantities.
    public static let quantity = CELLibraries(rawValue: 1 << 4)
    /// Kubernetes IP addresses and CIDRs.
    public static let network = CELLibraries(rawValue: 1 << 5)
    /// Kubernetes named formats (`format.dns1123Label()`...).
    public static let format = CELLibraries(rawValue: 1 << 6)
    /// Kubernetes semantic versions.
    public static let semver = CELLibraries(rawValue: 1 << 7)
    /// cel-go `ext.Sets`.
    public static let sets = CELLibraries(rawValue: 1 << 8)
    /// Two-variable comprehension macros.
    public static let twoVariableComprehensions = CELLibraries(rawValue: 1 << 9)
    /// Optional types and syntax.
    public static let optionals = CELLibraries(rawValue: 1 << 10)
    /// `cel.bind`.
    public static let bindings = CELLibraries(rawValue: 1 << 11)
    /// cel-go `ext.Math` (not in the Kubernetes environment).
    public static let math = CELLibraries(rawValue: 1 << 12)
    /// cel-go `ext.Encoders` (`base64.encode/decode`; not in the Kubernetes environment).
    public static let encoders = CELLibraries(rawValue: 1 << 13)
    /// Kubernetes container image references.
    public static let image = CELLibraries(rawValue: 1 << 14)

    /// Every library Kubernetes' base CEL environment offers (1.33), plus `cel.bind`.
    public static let kubernetes: CELLibraries = [
        .strings, .lists, .regex, .urls, .quantity, .network, .format, .semver, .sets, .twoVariableComprehensions,
        .optionals, .bindings, .image,
    ]
    /// Everything this engine implements.
    public static let all: CELLibraries = [.kubernetes, .math, .encoders]
}

/// Where expressions are compiled: enabled libraries, declared variables, container and limits.
public struct CELEnvironment: Sendable {
    /// Enabled libraries (the standard definitions are always present).
    public var libraries: CELLibraries
    /// Declared variable names; an undeclared identifier is then a compile error. `nil` accepts any
    /// simple name as a variable (looked up when evaluating; unbound → error).
    public var variables: Set<String>?
    /// The namespace for name resolution (`a.b` in container `x.y` tries `x.y.a.b`, `x.a.b`, `a.b`).
    public var container: String = ""
    /// Expand macros (`has`, `all`, `map`...). Off, they are ordinary (undeclared) calls.
    public var macros: Bool = true
    /// Report unknown variables and functions when evaluating instead of when compiling (what the CEL
    /// conformance suite calls `disable_check`).
    public var deferUnknownNames: Bool = false
    /// The deepest expression tree accepted.
    public var maxDepth: Int = 250
    /// The longest expression accepted, in code points.
    public var maxCodePoints: Int = 100_000

    public init(libraries: CELLibraries = .kubernetes, variables: Set<String>? = nil) {
        self.libraries = libraries
        self.variables = variables
    }

    /// The Kubernetes environment (all Kubernetes libraries, any variable name accepted).
    public static let kubernetes = CELEnvironment(libraries: .kubernetes)
    /// Only the standard definitions.
    public static let standard = CELEnvironment(libraries: [])

    /// This environment with `names` declared as variables (in addition to those already declared).
    public func declaring(_ names: some Sequence<String>) -> CELEnvironment {
        var copy = self
        copy.variables = (variables ?? []).union(names)
        return copy
    }

    var parserOptions: ParserOptions {
        var o = ParserOptions()
        var m: MacroSet = []
        if macros {
            m.insert(.standard)
            if libraries.contains(.twoVariableComprehensions) { m.insert(.twoVariable) }
            if libraries.contains(.bindings) { m.insert(.bind) }
            if libraries.contains(.optionals) { m.insert(.optional) }
        }
        o.macros = m
        o.optionalSyntax = libraries.contains(.optionals)
        o.maxDepth = maxDepth
        o.maxCodePoints = maxCodePoints
        return o
    }

    var functionTable: FunctionTable { Libraries.table(for: libraries) }
    var typeNames: [String: CELType] { Libraries.typeNames(for: libraries) }
}

/// Builds and caches the function table for each library combination.
enum Libraries {
    private static let tables = Mutex<[CELLibraries: FunctionTable]>([:])
    private static let types = Mutex<[CELLibraries: [String: CELType]]>([:])

    static func table(for libraries: CELLibraries) -> FunctionTable {
        if let t = tables.withLock({ $0[libraries] }) { return t }
        var t = FunctionTable()
        Standard.register(&t)
        if libraries.contains(.strings) { StringsExtension.register(&t) }
        if libraries.contains(.lists) { KubernetesLists.register(&t) }
        if libraries.contains(.regex) { KubernetesRegex.register(&t) }
        if libraries.contains(.urls) { KubernetesURLs.register(&t) }
        if libraries.contains(.quantity) { KubernetesQuantity.register(&t) }
        if libraries.contains(.network) { KubernetesNetwork.register(&t) }
        if libraries.contains(.format) { KubernetesFormat.register(&t) }
        if libraries.contains(.semver) { KubernetesSemver.register(&t) }
        if libraries.contains(.image) { KubernetesImage.register(&t) }
        if libraries.contains(.sets) { SetsExtension.register(&t) }
        if libraries.contains(.optionals) { OptionalsLibrary.register(&t) }
        if libraries.contains(.twoVariableComprehensions) || libraries.contains(.optionals) {
            MapInsert.register(&t)
        }
        if libraries.contains(.math) { MathExtension.register(&t) }
        if libraries.contains(.encoders) { EncodersExtension.register(&t) }
        tables.withLock { $0[libraries] = t }
        return t
    }

    static func typeNames(for libraries: CELLibraries) -> [String: CELType] {
        if let t = types.withLock({ $0[libraries] }) { return t }
        var t = CELType.builtins
        if libraries.contains(.network) {
            t["net.IP"] = .named("net.IP")
            t["net.CIDR"] = .named("net.CIDR")
        }
        if libraries.contains(.semver) { t["kubernetes.Semver"] = .named("kubernetes.Semver") }
        if libraries.contains(.quantity) { t["kubernetes.Quantity"] = .named("kubernetes.Quantity") }
        if libraries.contains(.urls) { t["kubernetes.URL"] = .named("kubernetes.URL") }
        if libraries.contains(.image) { t["kubernetes.Image"] = .named("kubernetes.Image") }
        types.withLock { $0[libraries] = t }
        return t
    }
}
