/// Function implementations by arity. An implementation returns nil when the argument types are not its
/// overload, so several libraries can share a name (`indexOf` on strings and on lists).
typealias Fn0 = @Sendable () -> CELValue?
typealias Fn1 = @Sendable (CELValue) -> CELValue?
typealias Fn2 = @Sendable (CELValue, CELValue) -> CELValue?
typealias Fn3 = @Sendable (CELValue, CELValue, CELValue) -> CELValue?
typealias FnN = @Sendable ([CELValue]) -> CELValue?

enum Impl: Sendable {
    case f0(Fn0)
    case f1(Fn1)
    case f2(Fn2)
    case f3(Fn3)
    case fn(FnN)
}

/// How a call adds to the evaluation cost (after cel-go's runtime cost model and the apiserver's
/// library costs; sizes are UTF-8 bytes for strings, elements for lists and maps).
enum CostModel: Sendable {
    /// A constant (1 for most functions).
    case fixed(Int)
    /// `ceil(size(arg) * 0.1)`, at least 1: a scan of one argument.
    case traverse(Int)
    /// `ceil((size(a0) + size(a1)) * 0.1)`, at least 1.
    case traverseBoth
    /// `ceil(size(a0) * 0.1) * ceil(size(a1) * 0.1)`: substring search.
    case product
    /// `ceil((1 + size(a0)) * 0.1) * ceil(size(a1) * 0.25)`: regular expression match.
    case regex
    /// `1 + size(arg)`: a linear pass over a list or map.
    case linear(Int)
    /// `1 + ceil(size(result) * 0.1) + ceil(size(a0) * 0.1)`: builds a string or list.
    case output
}

/// One (name, style, arity) entry of the function table.
struct Overload: Sendable {
    var impl: Impl
    var cost: CostModel
}

/// The functions an environment offers: global (`f(x)`) and receiver-style (`x.f()`) overloads by arity.
/// Receiver arity counts the receiver.
struct FunctionTable: Sendable {
    var global: [String: [Int: Overload]] = [:]
    var member: [String: [Int: Overload]] = [:]

    mutating func add(_ name: String, member isMember: Bool = false, cost: CostModel = .fixed(1), _ impl: Impl) {
        let arity: Int
        switch impl {
        case .f0: arity = 0
        case .f1: arity = 1
        case .f2: arity = 2
        case .f3: arity = 3
        case .fn: arity = -1
        }
        func merge(_ old: Overload?) -> Overload {
            guard let old else { return Overload(impl: impl, cost: cost) }
            return Overload(impl: Self.compose(old.impl, impl), cost: old.cost)
        }
        if isMember {
            member[name, default: [:]][arity] = merge(member[name]?[arity])
        } else {
            global[name, default: [:]][arity] = merge(global[name]?[arity])
        }
    }

    mutating func global(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn1) { add(name, cost: cost, .f1(f)) }
    mutating func global(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn2) { add(name, cost: cost, .f2(f)) }
    mutating func global(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn3) { add(name, cost: cost, .f3(f)) }
    mutating func global0(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn0) { add(name, cost: cost, .f0(f)) }
    mutating func globalN(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping FnN) { add(name, cost: cost, .fn(f)) }
    mutating func member(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn1) { add(name, member: true, cost: cost, .f1(f)) }
    mutating func member(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn2) { add(name, member: true, cost: cost, .f2(f)) }
    mutating func member(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn3) { add(name, member: true, cost: cost, .f3(f)) }
    mutating func memberN(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping FnN) { add(name, member: true, cost: cost, .fn(f)) }

    /// Both styles: `f(x, y)` and `x.f(y)`.
    mutating func both(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn1) {
        global(name, cost: cost, f)
        member(name, cost: cost, f)
    }
    mutating func both(_ name: String, cost: CostModel = .fixed(1), _ f: @escaping Fn2) {
        global(name, cost: cost, f)
        member(name, cost: cost, f)
    }

    /// Tries `first`, then `second` when `first` does not accept the argument types.
    static func compose(_ first: Impl, _ second: Impl) -> Impl {
        switch (first, second) {
        case (.f0(let a), .f0(let b)): return .f0 { a() ?? b() }
        case (.f1(let a), .f1(let b)): return .f1 { a($0) ?? b($0) }
        case (.f2(let a), .f2(let b)): return .f2 { a($0, $1) ?? b($0, $1) }
        case (.f3(let a), .f3(let b)): return .f3 { a($0, $1, $2) ?? b($0, $1, $2) }
        case (.fn(let a), .fn(let b)): return .fn { a($0) ?? b($0) }
        default: return second
        }
    }

    /// The overload for a call with `count` arguments (receiver included), falling back to variadic.
    func lookup(_ name: String, member isMember: Bool, arity count: Int) -> Overload? {
        let table = isMember ? member[name] : global[name]
        return table?[count] ?? table?[-1]
    }

    func has(_ name: String) -> Bool { global[name] != nil || member[name] != nil }

    mutating func merge(_ other: FunctionTable) {
        for (name, arities) in other.global {
            for (arity, o) in arities {
                let old = global[name]?[arity]
                global[name, default: [:]][arity] = old.map { Overload(impl: Self.compose($0.impl, o.impl), cost: $0.cost) } ?? o
            }
        }
        for (name, arities) in other.member {
            for (arity, o) in arities {
                let old = member[name]?[arity]
                member[name, default: [:]][arity] = old.map { Overload(impl: Self.compose($0.impl, o.impl), cost: $0.cost) } ?? o
            }
        }
    }
}

/// The cost of one call.
@inline(__always)
func callCost(_ model: CostModel, _ args: [CELValue], _ result: CELValue) -> Int {
    switch model {
    case .fixed(let n): return n
    case .traverse(let i): return max(1, traversalCost(i < args.count ? costSize(args[i]) : 1))
    case .traverseBoth:
        return max(1, traversalCost(args.reduce(0) { $0 + costSize($1) }))
    case .product:
        return max(1, traversalCost(costSize(args[0])) * traversalCost(costSize(args.count > 1 ? args[1] : .null)))
    case .regex:
        let s = traversalCost(1 + costSize(args[0]))
        let r = (costSize(args.count > 1 ? args[1] : .null) + 3) / 4
        return max(1, s * r)
    case .linear(let i): return 1 + (i < args.count ? costSize(args[i]) : 0)
    case .output: return 1 + traversalCost(costSize(result)) + traversalCost(args.isEmpty ? 0 : costSize(args[0]))
    }
}

/// The "no matching overload" error with the argument types, as the checker would word it.
func overloadError(_ function: String, _ args: [CELValue], node: Int32) -> CELValue {
    let types = args.map { $0.celType.name }.joined(separator: ", ")
    return .error(CELEvalError("no matching overload for '\(function)' applied to '(\(types))'", node: node))
}

/// A call with its arguments evaluated strictly: the first error argument is the result.
final class CallNode: Node {
    let name: String
    let args: [Node]
    let impl: Impl
    let cost: CostModel

    init(id: Int32, name: String, args: [Node], overload: Overload) {
        self.name = name
        self.args = args
        self.impl = overload.impl
        self.cost = overload.cost
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let result: CELValue?
        var values: [CELValue]
        switch impl {
        case .f0(let f):
            values = []
            result = f()
        case .f1(let f):
            let x = try args[0].eval(a)
            if case .error = x { return x }
            if case .fixed(let n) = cost {
                try a.charge(n)
                return located(f(x) ?? overloadError(name, [x], node: id))
            }
            values = [x]
            result = f(x)
        case .f2(let f):
            let x = try args[0].eval(a)
            if case .error = x { return x }
            let y = try args[1].eval(a)
            if case .error = y { return y }
            if case .fixed(let n) = cost {
                try a.charge(n)
                return located(f(x, y) ?? overloadError(name, [x, y], node: id))
            }
            values = [x, y]
            result = f(x, y)
        case .f3(let f):
            let x = try args[0].eval(a)
            if case .error = x { return x }
            let y = try args[1].eval(a)
            if case .error = y { return y }
            let z = try args[2].eval(a)
            if case .error = z { return z }
            values = [x, y, z]
            result = f(x, y, z)
        case .fn(let f):
            values = []
            values.reserveCapacity(args.count)
            for n in args {
                let v = try n.eval(a)
                if case .error = v { return v }
                values.append(v)
            }
            result = f(values)
        }
        guard let result else { return overloadError(name, values, node: id) }
        try a.charge(callCost(cost, values, result))
        if case .error(let e) = result, e === CELValue.noSuchOverloadError { return overloadError(name, values, node: id) }
        return located(result)
    }
}
