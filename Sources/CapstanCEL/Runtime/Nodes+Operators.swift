import CapstanRegex
/// `a && b`, commutative with respect to errors: a `false` on either side wins over an error on the other.
final class AndNode: Node {
    let lhs: Node, rhs: Node
    init(id: Int32, _ lhs: Node, _ rhs: Node) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        if case .bool(false) = l { return l }
        let r = try rhs.eval(a)
        if case .bool(false) = r { return r }
        switch (l, r) {
        case (.bool(true), .bool(true)): return r
        case (.error, _): return l
        case (_, .error): return r
        default: return overloadError("_&&_", [l, r], node: id)
        }
    }
}

/// `a || b`, commutative with respect to errors: a `true` on either side wins over an error on the other.
final class OrNode: Node {
    let lhs: Node, rhs: Node
    init(id: Int32, _ lhs: Node, _ rhs: Node) {
        self.lhs = lhs
        self.rhs = rhs
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        if case .bool(true) = l { return l }
        let r = try rhs.eval(a)
        if case .bool(true) = r { return r }
        switch (l, r) {
        case (.bool(false), .bool(false)): return r
        case (.error, _): return l
        case (_, .error): return r
        default: return overloadError("_||_", [l, r], node: id)
        }
    }
}

/// `!a`.
final class NotNode: Node {
    let operand: Node
    init(id: Int32, _ operand: Node) {
        self.operand = operand
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        try a.charge(1)
        switch v {
        case .bool(let b): return .bool(!b)
        case .error: return v
        default: return overloadError("!_", [v], node: id)
        }
    }
}

/// `@not_strictly_false(a)`: true unless `a` is exactly `false` (errors count as true), for macro loops.
final class NotStrictlyFalseNode: Node {
    let operand: Node
    init(id: Int32, _ operand: Node) {
        self.operand = operand
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        try a.charge(1)
        if case .bool(false) = v { return v }
        return .bool(true)
    }
}

/// `c ? x : y`: evaluates only the chosen branch.
final class ConditionalNode: Node {
    let cond: Node, then: Node, otherwise: Node
    init(id: Int32, _ cond: Node, _ then: Node, _ otherwise: Node) {
        self.cond = cond
        self.then = then
        self.otherwise = otherwise
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let c = try cond.eval(a)
        switch c {
        case .bool(true): return try then.eval(a)
        case .bool(false): return try otherwise.eval(a)
        case .error: return c
        default: return overloadError("_?_:_", [c], node: id)
        }
    }
}

/// `==` and `!=` (heterogeneous equality; never an error for well-formed values).
final class EqualsNode: Node {
    let lhs: Node, rhs: Node
    let negate: Bool
    init(id: Int32, _ lhs: Node, _ rhs: Node, negate: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.negate = negate
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        if case .error = l { return l }
        let r = try rhs.eval(a)
        if case .error = r { return r }
        switch (l, r) {
        case (.string(let x), .string(let y)):
            try a.charge(traversalCost(min(x.utf8.count, y.utf8.count)))
            return .bool(CodePoints.equal(x, y) != negate)
        case (.int(let x), .int(let y)):
            try a.charge(1)
            return .bool((x == y) != negate)
        default:
            try a.charge(traversalCost(min(costSize(l), costSize(r))))
            return .bool(celEquals(l, r) != negate)
        }
    }
}

/// `<`, `<=`, `>`, `>=`.
final class CompareNode: Node {
    enum Op { case less, lessEq, greater, greaterEq }
    let lhs: Node, rhs: Node
    let op: Op
    init(id: Int32, _ lhs: Node, _ rhs: Node, _ op: Op) {
        self.lhs = lhs
        self.rhs = rhs
        self.op = op
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        if case .error = l { return l }
        let r = try rhs.eval(a)
        if case .error = r { return r }
        if case .int(let x) = l, case .int(let y) = r {
            try a.charge(1)
            switch op {
            case .less: return .bool(x < y)
            case .lessEq: return .bool(x <= y)
            case .greater: return .bool(x > y)
            case .greaterEq: return .bool(x >= y)
            }
        }
        guard let o = celOrder(l, r) else {
            let name = op == .less ? "_<_" : (op == .lessEq ? "_<=_" : (op == .greater ? "_>_" : "_>=_"))
            return overloadError(name, [l, r], node: id)
        }
        try a.charge(traversalCost(min(costSize(l), costSize(r))))
        switch (op, o) {
        case (_, .unordered): return .bool(false)
        case (.less, .less), (.lessEq, .less), (.lessEq, .equal), (.greater, .greater), (.greaterEq, .greater),
            (.greaterEq, .equal):
            return .bool(true)
        default: return .bool(false)
        }
    }
}

/// `e in container`.
final class InNode: Node {
    let element: Node, container: Node
    init(id: Int32, _ element: Node, _ container: Node) {
        self.element = element
        self.container = container
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let e = try element.eval(a)
        if case .error = e { return e }
        let c = try container.eval(a)
        if case .error = c { return c }
        if case .list(let l) = c { try a.charge(max(1, l.count)) } else { try a.charge(1) }
        return checked(Operators.membership(e, c), "@in", e, c)
    }
}

/// `+ - * / %`.
final class ArithmeticNode: Node {
    enum Op { case add, subtract, multiply, divide, modulo }
    let lhs: Node, rhs: Node
    let op: Op
    init(id: Int32, _ lhs: Node, _ rhs: Node, _ op: Op) {
        self.lhs = lhs
        self.rhs = rhs
        self.op = op
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        if case .error = l { return l }
        let r = try rhs.eval(a)
        if case .error = r { return r }
        switch op {
        case .add:
            switch (l, r) {
            case (.int(let x), .int(let y)):
                try a.charge(1)
                let (s, o) = x.addingReportingOverflow(y)
                return o ? located(Operators.intOverflow) : .int(s)
            case (.string(let x), .string(let y)):
                try a.charge(traversalCost(x.utf8.count + y.utf8.count))
            case (.bytes(let x), .bytes(let y)):
                try a.charge(traversalCost(x.count + y.count))
            case (.list(let x), .list(let y)):
                // cel-go charges 1 (its lists concatenate lazily); we copy, so charge by size.
                try a.charge(1 + traversalCost(x.count + y.count))
            default:
                try a.charge(1)
            }
            return checked(Operators.add(l, r), "_+_", l, r)
        case .subtract:
            try a.charge(1)
            return checked(Operators.subtract(l, r), "_-_", l, r)
        case .multiply:
            try a.charge(1)
            return checked(Operators.multiply(l, r), "_*_", l, r)
        case .divide:
            try a.charge(1)
            return checked(Operators.divide(l, r), "_/_", l, r)
        case .modulo:
            try a.charge(1)
            return checked(Operators.modulo(l, r), "_%_", l, r)
        }
    }
}

/// Unary `-`.
final class NegateNode: Node {
    let operand: Node
    init(id: Int32, _ operand: Node) {
        self.operand = operand
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        if case .error = v { return v }
        try a.charge(1)
        return checked(Operators.negate(v), "-_", v)
    }
}

/// `opt.or(other)`: `other` is evaluated only when `opt` is empty.
final class OptionalOrNode: Node {
    let lhs: Node, rhs: Node
    let orValue: Bool
    init(id: Int32, _ lhs: Node, _ rhs: Node, orValue: Bool) {
        self.lhs = lhs
        self.rhs = rhs
        self.orValue = orValue
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let l = try lhs.eval(a)
        switch l {
        case .error: return l
        case .optional(let o):
            try a.charge(1)
            if let v = o.value { return orValue ? v : l }
            return try rhs.eval(a)
        default: return overloadError(orValue ? "orValue" : "or", [l], node: id)
        }
    }
}

/// `s.matches(re)`, `s.find(re)`, `s.findAll(re)` with a constant pattern compiled once at compile time
/// (Kubernetes also rejects an invalid constant pattern when compiling).
final class ConstantRegexNode: Node {
    enum Kind { case matches, find, findAll }
    let subject: Node
    let regex: RegexProgram
    let kind: Kind
    let patternCost: Int

    init(id: Int32, _ subject: Node, _ regex: RegexProgram, pattern: String, kind: Kind) {
        self.subject = subject
        self.regex = regex
        self.kind = kind
        self.patternCost = (pattern.utf8.count + 3) / 4
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try subject.eval(a)
        guard case .string(let s) = v else {
            if case .error = v { return v }
            return overloadError(kind == .matches ? "matches" : (kind == .find ? "find" : "findAll"), [v, .string("")], node: id)
        }
        try a.charge(max(1, traversalCost(1 + s.utf8.count) * patternCost))
        switch kind {
        case .matches: return .bool(regex.matches(s))
        case .find: return .string(regex.firstMatch(s) ?? "")
        case .findAll: return .list(regex.allMatches(s, limit: -1).map(CELValue.string))
        }
    }
}
