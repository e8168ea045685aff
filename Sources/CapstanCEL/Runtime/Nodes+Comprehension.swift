/// The iteration domain of a comprehension: list elements (with indexes) or map keys (with values).
enum IterationRange {
    case list(CELList)
    case map(CELMap)

    /// The range for a value, or an error value when it cannot be iterated.
    static func of(_ v: CELValue, node: Int32) -> Result<IterationRange, CELEvalError> {
        switch v {
        case .list(let l): return .success(.list(l))
        case .map(let m): return .success(.map(m))
        case .error(let e): return .failure(e)
        default: return .failure(CELEvalError("expression of type '\(v.celType.name)' cannot be the range of a comprehension (must be list, map, or dynamic)", node: node))
        }
    }

    var count: Int {
        switch self {
        case .list(let l): l.count
        case .map(let m): m.count
        }
    }

    /// Binds the variables for step `i`: one-variable forms get the element (or key); two-variable forms get
    /// index and element (or key and value).
    @inline(__always)
    func bind(_ i: Int, _ a: Activation, slot1: Int, slot2: Int) {
        switch self {
        case .list(let l):
            if slot2 >= 0 {
                a.locals[slot1] = .int(Int64(i))
                a.locals[slot2] = l[i]
            } else {
                a.locals[slot1] = l[i]
            }
        case .map(let m):
            a.locals[slot1] = m.key(at: i)
            if slot2 >= 0 { a.locals[slot2] = m.value(at: i) }
        }
    }
}

/// The general comprehension (fold) of the CEL specification.
final class FoldNode: Node {
    let range: Node, initial: Node, condition: Node, step: Node, result: Node
    let slot1: Int, slot2: Int, accuSlot: Int

    init(id: Int32, range: Node, slot1: Int, slot2: Int, accuSlot: Int, initial: Node, condition: Node, step: Node,
         result: Node)
    {
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.accuSlot = accuSlot
        self.initial = initial
        self.condition = condition
        self.step = step
        self.result = result
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let r: IterationRange
        switch IterationRange.of(try range.eval(a), node: id) {
        case .success(let x): r = x
        case .failure(let e): return .error(e)
        }
        a.locals[accuSlot] = try initial.eval(a)
        for i in 0..<r.count {
            r.bind(i, a, slot1: slot1, slot2: slot2)
            let c = try condition.eval(a)
            if case .bool(false) = c { break }
            a.locals[accuSlot] = try step.eval(a)
        }
        return try result.eval(a)
    }
}

/// `all` / `exists` (one or two variables): `&&` / `||` over the predicates with error absorption.
final class QuantifierNode: Node {
    let range: Node, predicate: Node
    let slot1: Int, slot2: Int
    /// true for `all`, false for `exists`.
    let isAll: Bool

    init(id: Int32, range: Node, slot1: Int, slot2: Int, predicate: Node, isAll: Bool) {
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.predicate = predicate
        self.isAll = isAll
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let r: IterationRange
        switch IterationRange.of(try range.eval(a), node: id) {
        case .success(let x): r = x
        case .failure(let e): return .error(e)
        }
        var firstError: CELValue?
        for i in 0..<r.count {
            r.bind(i, a, slot1: slot1, slot2: slot2)
            try a.charge(3)
            let p = try predicate.eval(a)
            switch p {
            case .bool(let b):
                if b != isAll { return p }  // false for all, true for exists decides
            case .error:
                if firstError == nil { firstError = p }
            default:
                if firstError == nil {
                    firstError = overloadError(isAll ? "_&&_" : "_||_", [.bool(isAll), p], node: id)
                }
            }
        }
        return firstError ?? .bool(isAll)
    }
}

/// `exists_one` / `existsOne`: exactly one predicate true; any error is the result.
final class ExistsOneNode: Node {
    let range: Node, predicate: Node
    let slot1: Int, slot2: Int

    init(id: Int32, range: Node, slot1: Int, slot2: Int, predicate: Node) {
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.predicate = predicate
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let r: IterationRange
        switch IterationRange.of(try range.eval(a), node: id) {
        case .success(let x): r = x
        case .failure(let e): return .error(e)
        }
        var count = 0
        for i in 0..<r.count {
            r.bind(i, a, slot1: slot1, slot2: slot2)
            try a.charge(2)
            let p = try predicate.eval(a)
            switch p {
            case .bool(let b): if b { count += 1 }
            case .error: return p
            default: return overloadError("_?_:_", [p], node: id)
            }
        }
        return .bool(count == 1)
    }
}

/// `map`, `filter`, `transformList`: builds a list, failing on the first predicate or transform error.
final class ListBuildNode: Node {
    let range: Node, filter: Node?, transform: Node
    let slot1: Int, slot2: Int

    init(id: Int32, range: Node, slot1: Int, slot2: Int, filter: Node?, transform: Node) {
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.filter = filter
        self.transform = transform
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let r: IterationRange
        switch IterationRange.of(try range.eval(a), node: id) {
        case .success(let x): r = x
        case .failure(let e): return .error(e)
        }
        var out: [CELValue] = []
        out.reserveCapacity(r.count)
        for i in 0..<r.count {
            r.bind(i, a, slot1: slot1, slot2: slot2)
            try a.charge(1)
            if let filter {
                let p = try filter.eval(a)
                switch p {
                case .bool(true): break
                case .bool(false): continue
                case .error: return p
                default: return overloadError("_?_:_", [p], node: id)
                }
            }
            let v = try transform.eval(a)
            if case .error = v { return v }
            try a.charge(12)
            out.append(v)
        }
        return .list(CELList(out))
    }
}

/// `transformMap` and `transformMapEntry`: builds a map; duplicate keys from entries are an error.
final class MapBuildNode: Node {
    let range: Node, filter: Node?, transform: Node
    let slot1: Int, slot2: Int
    /// true for `transformMapEntry` (the transform yields a map of entries to add).
    let entries: Bool

    init(id: Int32, range: Node, slot1: Int, slot2: Int, filter: Node?, transform: Node, entries: Bool) {
        self.range = range
        self.slot1 = slot1
        self.slot2 = slot2
        self.filter = filter
        self.transform = transform
        self.entries = entries
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        let r: IterationRange
        switch IterationRange.of(try range.eval(a), node: id) {
        case .success(let x): r = x
        case .failure(let e): return .error(e)
        }
        var b = CELMapBuilder()
        for i in 0..<r.count {
            r.bind(i, a, slot1: slot1, slot2: slot2)
            try a.charge(3)
            if let filter {
                let p = try filter.eval(a)
                switch p {
                case .bool(true): break
                case .bool(false): continue
                case .error: return p
                default: return overloadError("_?_:_", [p], node: id)
                }
            }
            let v = try transform.eval(a)
            if case .error = v { return v }
            if entries {
                guard case .map(let m) = v else { return overloadError("cel.@mapInsert", [.map(.empty), v], node: id) }
                for (k, x) in m.entries {
                    switch b.insert(k, x) {
                    case .ok: break
                    case .duplicate, .badKey:
                        return .error(CELEvalError("insert failed: key \(k.displayText) already exists", node: id))
                    }
                }
            } else {
                let k = a.locals[slot1]
                if b.insert(k, v) != .ok {
                    return .error(CELEvalError("insert failed: key \(k.displayText) already exists", node: id))
                }
            }
        }
        return .map(b.build())
    }
}

/// `cel.bind(v, init, result)` and the bodies of `optMap`/`optFlatMap`: binds a variable, then evaluates.
final class BindNode: Node {
    let initial: Node, result: Node
    let slot: Int

    init(id: Int32, slot: Int, initial: Node, result: Node) {
        self.slot = slot
        self.initial = initial
        self.result = result
        super.init(id: id)
    }

    override func eval(_ a: Activation) throws(CELAbort) -> CELValue {
        a.locals[slot] = try initial.eval(a)
        return try result.eval(a)
    }
}
