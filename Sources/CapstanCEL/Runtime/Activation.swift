/// Aborts an evaluation (the cost budget ran out). Unlike error values, nothing absorbs it.
struct CELAbort: Error {
    var message: String
    static let costLimit = CELAbort(message: "operation cancelled: actual cost limit exceeded")
}

/// The state of one evaluation: the bound variables, comprehension variables and the running cost.
/// Created per `evaluate` call and confined to it.
final class Activation {
    let globals: [CELValue]
    var locals: [CELValue]
    var cost: Int = 0
    let limit: Int

    init(globals: [CELValue], localCount: Int, limit: Int) {
        self.globals = globals
        self.locals = Array(repeating: .null, count: localCount)
        self.limit = limit
    }

    /// Adds `amount` to the running cost and aborts once the limit is passed.
    @inline(__always)
    func charge(_ amount: Int) throws(CELAbort) {
        cost &+= amount
        if cost > limit { throw CELAbort.costLimit }
    }
}

/// A compiled expression node. Subclasses implement `eval`.
class Node {
    let id: Int32

    init(id: Int32) { self.id = id }

    func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        fatalError("abstract")
    }

    /// Replaces the generic "no such overload" by the function name and argument types, and locates errors.
    @inline(__always)
    final func checked(_ v: CELValue, _ function: String, _ args: CELValue...) -> CELValue {
        if case .error(let e) = v {
            if e === CELValue.noSuchOverloadError { return overloadError(function, args, node: id) }
            if e.node == 0 { return .error(e.located(id)) }
        }
        return v
    }

    /// Evaluates and attaches this node's id to an error produced here, so messages can point at it.
    @inline(__always)
    final func located(_ v: CELValue) -> CELValue {
        if case .error(let e) = v, e.node == 0 { return .error(e.located(id)) }
        return v
    }
}

/// The size CEL's cost model uses for a value: length for strings, bytes, lists and maps, else 1.
@inline(__always)
func costSize(_ v: CELValue) -> Int {
    switch v {
    case .string(let s): return s.utf8.count
    case .bytes(let b): return b.count
    case .list(let l): return l.count
    case .map(let m): return m.count
    case .optional(let o): return o.value.map(costSize) ?? 1
    default: return 1
    }
}

/// `ceil(size * 0.1)`: cel-go's string traversal cost factor.
@inline(__always)
func traversalCost(_ size: Int) -> Int { (size + 9) / 10 }

/// The root of a compiled tree, shareable across threads.
// @unchecked Sendable: nodes are immutable after compilation (only `let` properties of Sendable types).
final class CompiledTree: @unchecked Sendable {
    let root: Node
    init(_ root: Node) { self.root = root }
}
