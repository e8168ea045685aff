/// A literal or folded constant (cost 0, as in cel-go).
final class ConstNode: Node {
    let value: CELValue
    init(id: Int32, _ value: CELValue) {
        self.value = value
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue { value }
}

/// A variable bound by the caller.
final class GlobalNode: Node {
    let slot: Int
    init(id: Int32, slot: Int) {
        self.slot = slot
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        try a.charge(1)
        return located(a.globals[slot])
    }
}

/// A comprehension variable (iteration variable or accumulator).
final class LocalNode: Node {
    let slot: Int
    init(id: Int32, slot: Int) {
        self.slot = slot
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        try a.charge(1)
        return a.locals[slot]
    }
}

/// A node that always yields an error (an unbound function under deferred checking, for example).
final class ErrorNode: Node {
    let message: String
    init(id: Int32, _ message: String) {
        self.message = message
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        .error(CELEvalError(message, node: id))
    }
}

/// `operand.field` on a map (an optional operand keeps the chain optional).
final class SelectNode: Node {
    let operand: Node
    let field: String
    init(id: Int32, _ operand: Node, _ field: String) {
        self.operand = operand
        self.field = field
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        try a.charge(1)
        switch v {
        case .map(let m):
            if let r = m.lookup(field: field) { return r }
            return .error(CELEvalError("no such key: \(field)", node: id))
        case .optional(let o):
            guard let inner = o.value else { return v }
            if case .map(let m) = inner { return .optional(m.lookup(field: field).map(CELOptional.of) ?? .none) }
            return .error(CELEvalError("type '\(inner.celType.name)' does not support field selection", node: id))
        case .error:
            return v
        default:
            return .error(CELEvalError("type '\(v.celType.name)' does not support field selection", node: id))
        }
    }
}

/// `has(operand.field)`: whether a map has the key. Free, as the apiserver configures cel-go.
final class HasNode: Node {
    let operand: Node
    let field: String
    init(id: Int32, _ operand: Node, _ field: String) {
        self.operand = operand
        self.field = field
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        switch v {
        case .map(let m): return .bool(m.lookup(field: field) != nil)
        case .optional(let o):
            guard let inner = o.value else { return .bool(false) }
            if case .map(let m) = inner { return .bool(m.lookup(field: field) != nil) }
            return .error(CELEvalError("invalid type for field selection.", node: id))
        case .error: return v
        default: return .error(CELEvalError("invalid type for field selection.", node: id))
        }
    }
}

/// `operand.?field`.
final class OptionalSelectNode: Node {
    let operand: Node
    let field: String
    init(id: Int32, _ operand: Node, _ field: String) {
        self.operand = operand
        self.field = field
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        var v = try operand.eval(a)
        try a.charge(1)
        if case .optional(let o) = v {
            guard let inner = o.value else { return v }
            v = inner
        }
        switch v {
        case .map(let m): return .optional(m.lookup(field: field).map(CELOptional.of) ?? .none)
        case .error: return v
        default: return .error(CELEvalError("type '\(v.celType.name)' does not support field selection", node: id))
        }
    }
}

/// `operand[index]` and `operand[?index]`.
final class IndexNode: Node {
    let operand: Node
    let index: Node
    let optional: Bool
    init(id: Int32, _ operand: Node, _ index: Node, optional: Bool) {
        self.operand = operand
        self.index = index
        self.optional = optional
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let v = try operand.eval(a)
        if case .error = v { return v }
        let i = try index.eval(a)
        if case .error = i { return i }
        try a.charge(1)
        if optional { return checked(Operators.optionalIndex(v, i), "_[?_]", v, i) }
        if case .optional = v { return checked(Operators.optionalIndex(v, i), "_[_]", v, i) }
        return checked(Operators.index(v, i), "_[_]", v, i)
    }
}

/// `[a, ?b, ...]`.
final class ListNode: Node {
    let elements: [Node]
    let optional: [Bool]
    let anyOptional: Bool
    init(id: Int32, _ elements: [Node], optional: [Bool]) {
        self.elements = elements
        self.optional = optional
        self.anyOptional = optional.contains(true)
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        var out: [CELValue] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            let v = try e.eval(a)
            if case .error = v { return v }
            if anyOptional && optional[i] {
                guard case .optional(let o) = v else {
                    return .error(CELEvalError("cannot initialize optional list element from non-optional value \(v)", node: id))
                }
                if let inner = o.value { out.append(inner) }
            } else {
                out.append(v)
            }
        }
        try a.charge(10)
        return .list(CELList(out))
    }
}

/// `{k: v, ?k2: optV}`: keys must be bool, int, uint or string, and unique.
final class MapNode: Node {
    let keys: [Node]
    let values: [Node]
    let optional: [Bool]
    init(id: Int32, keys: [Node], values: [Node], optional: [Bool]) {
        self.keys = keys
        self.values = values
        self.optional = optional
        super.init(id: id)
    }
    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        var b = CELMapBuilder()
        for i in keys.indices {
            let k = try keys[i].eval(a)
            if case .error = k { return k }
            var v = try values[i].eval(a)
            if case .error = v { return v }
            if optional[i] {
                guard case .optional(let o) = v else {
                    return .error(CELEvalError("cannot initialize optional entry '\(k.displayText)' from non-optional value \(v)", node: id))
                }
                guard let inner = o.value else { continue }
                v = inner
            }
            switch b.insert(k, v) {
            case .ok: break
            case .duplicate: return .error(CELEvalError("Failed with repeated key: \(k.displayText)", node: id))
            case .badKey: return .error(CELEvalError("unsupported key type: \(k.celType.name)", node: id))
            }
        }
        try a.charge(30)
        return .map(b.build())
    }
}
