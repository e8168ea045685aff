/// Go's template comparison functions (`eq`, `lt`, `le`, ...): operands must share a basic kind
/// (`float64` vs `int` is an error), signed and unsigned integers compare by value.
enum GoCompare {
    enum BasicKind {
        case invalid, bool, int, uint, float, string
    }

    static func basicKind(_ v: TemplateValue) -> BasicKind {
        switch v {
        case .bool: return .bool
        case .int, .int64: return .int
        case .uint64, .uint8: return .uint
        case .float64: return .float
        case .string: return .string
        default: return .invalid
        }
    }

    private static func intValue(_ v: TemplateValue) -> Int64 {
        switch v {
        case .int(let i): return Int64(i)
        case .int64(let i): return i
        default: return 0
        }
    }

    private static func uintValue(_ v: TemplateValue) -> UInt64 {
        switch v {
        case .uint64(let u): return u
        case .uint8(let u): return UInt64(u)
        default: return 0
        }
    }

    /// The reflect kind name used to decide whether two non-basic values are comparable at all.
    private static func reflectKind(_ v: TemplateValue) -> String {
        switch v {
        case .invalid, .null: return "invalid"
        case .list: return "slice"
        case .map: return "map"
        case .semver: return "ptr"
        default: return v.goTypeName
        }
    }

    private static func isNil(_ v: TemplateValue) -> Bool {
        switch v {
        case .invalid, .null: return true
        case .list(let l): return l.isNil
        case .map(let m): return m.isNil
        default: return false
        }
    }

    private static func formatS(_ v: TemplateValue) -> String {
        var f = GoFormatter()
        f.printValue(v, verb: "s", depth: 0)
        return f.out
    }

    /// `eq arg1 arg2...`: true if `arg1` equals any of the others.
    static func eq(_ a: TemplateValue, _ others: [TemplateValue]) throws(FunctionError) -> Bool {
        let arg1 = a.unboxed
        if others.isEmpty { throw FunctionError("missing argument for comparison") }
        let k1 = basicKind(arg1)
        for o in others {
            let arg = o.unboxed
            let k2 = basicKind(arg)
            var truth = false
            if k1 != k2 {
                switch (k1, k2) {
                case (.int, .uint): truth = intValue(arg1) >= 0 && UInt64(intValue(arg1)) == uintValue(arg)
                case (.uint, .int): truth = intValue(arg) >= 0 && uintValue(arg1) == UInt64(intValue(arg))
                default:
                    if !arg1.isNilLike && !arg.isNilLike {
                        throw FunctionError("incompatible types for comparison: \(arg1.goTypeName) and \(arg.goTypeName)")
                    }
                }
            } else {
                switch (arg1, arg) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.float64(let x), .float64(let y)): truth = x == y
                case (.string(let x), .string(let y)): truth = x == y
                default:
                    switch k1 {
                    case .int: truth = intValue(arg1) == intValue(arg)
                    case .uint: truth = uintValue(arg1) == uintValue(arg)
                    default:
                        let r1 = reflectKind(arg1)
                        let r2 = reflectKind(arg)
                        if r1 != r2 && r1 != "invalid" && r2 != "invalid" {
                            throw FunctionError("non-comparable types \(formatS(arg1)): \(arg1.goTypeName), \(arg.goTypeName): \(GoFormatter.formatV(arg))")
                        }
                        if isNil(arg1) || isNil(arg) {
                            truth = isNil(arg) == isNil(arg1)
                        } else if case .semver(let x) = arg1, case .semver(let y) = arg {
                            truth = x === y
                        } else {
                            throw FunctionError("non-comparable type \(formatS(arg)): \(arg.goTypeName)")
                        }
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    /// `lt arg1 arg2`.
    static func lt(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionError) -> Bool {
        let arg1 = a.unboxed
        let arg2 = b.unboxed
        let k1 = basicKind(arg1)
        if k1 == .invalid { throw FunctionError("invalid type for comparison") }
        let k2 = basicKind(arg2)
        if k2 == .invalid { throw FunctionError("invalid type for comparison") }
        if k1 != k2 {
            switch (k1, k2) {
            case (.int, .uint): return intValue(arg1) < 0 || UInt64(intValue(arg1)) < uintValue(arg2)
            case (.uint, .int): return intValue(arg2) >= 0 && uintValue(arg1) < UInt64(intValue(arg2))
            default: throw FunctionError("incompatible types for comparison: \(arg1.goTypeName) and \(arg2.goTypeName)")
            }
        }
        switch (arg1, arg2) {
        case (.bool, .bool): throw FunctionError("invalid type for comparison")
        case (.float64(let x), .float64(let y)): return x < y
        case (.string(let x), .string(let y)): return goStringLess(x, y)
        default:
            if k1 == .int { return intValue(arg1) < intValue(arg2) }
            return uintValue(arg1) < uintValue(arg2)
        }
    }

    /// `le arg1 arg2`: `lt` or `eq`.
    static func le(_ a: TemplateValue, _ b: TemplateValue) throws(FunctionError) -> Bool {
        if try lt(a, b) { return true }
        return try eq(a, [b])
    }
}
