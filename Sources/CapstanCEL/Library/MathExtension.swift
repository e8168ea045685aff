/// cel-go `ext.Math` (not part of the Kubernetes environment; enabled by `CELLibraries.math`).
/// `math.greatest`/`math.least` take numbers or one list; the rest follow Go's `math` package.
enum MathExtension {
    static func register(_ t: inout FunctionTable) {
        t.globalN("math.greatest", cost: .linear(0)) { args in extreme(args, "math.@max", prefer: .less) }
        t.globalN("math.least", cost: .linear(0)) { args in extreme(args, "math.@min", prefer: .greater) }
        let doubleOps: [(String, @Sendable (Double) -> Double)] = [
            ("math.ceil", { $0.rounded(.up) }), ("math.floor", { $0.rounded(.down) }),
            ("math.round", { $0.rounded(.toNearestOrAwayFromZero) }), ("math.trunc", { $0.rounded(.towardZero) }),
        ]
        for (name, op) in doubleOps {
            t.global(name) { v in
                guard case .double(let d) = v else { return nil }
                return .double(op(d))
            }
        }
        t.global("math.isInf") { v in
            guard case .double(let d) = v else { return nil }
            return .bool(d.isInfinite)
        }
        t.global("math.isNaN") { v in
            guard case .double(let d) = v else { return nil }
            return .bool(d.isNaN)
        }
        t.global("math.isFinite") { v in
            guard case .double(let d) = v else { return nil }
            return .bool(d.isFinite)
        }
        t.global("math.abs") { v in
            switch v {
            case .double(let d): return .double(abs(d))
            case .int(let i): return i == Int64.min ? Operators.intOverflow : .int(abs(i))
            case .uint: return v
            default: return nil
            }
        }
        t.global("math.sign") { v in
            switch v {
            case .double(let d): return .double(d.isNaN ? d : (d > 0 ? 1 : (d < 0 ? -1 : 0)))
            case .int(let i): return .int(i.signum())
            case .uint(let u): return .uint(u == 0 ? 0 : 1)
            default: return nil
            }
        }
        t.global("math.sqrt") { v in
            switch v {
            case .double(let d): return .double(d.squareRoot())
            case .int(let i): return .double(Double(i).squareRoot())
            case .uint(let u): return .double(Double(u).squareRoot())
            default: return nil
            }
        }
        t.global("math.bitAnd") { a, b in bitPair(a, b, { $0 & $1 }, { $0 & $1 }) }
        t.global("math.bitOr") { a, b in bitPair(a, b, { $0 | $1 }, { $0 | $1 }) }
        t.global("math.bitXor") { a, b in bitPair(a, b, { $0 ^ $1 }, { $0 ^ $1 }) }
        t.global("math.bitNot") { v in
            switch v {
            case .int(let i): return .int(~i)
            case .uint(let u): return .uint(~u)
            default: return nil
            }
        }
        t.global("math.bitShiftLeft") { v, n in
            guard case .int(let bits) = n else { return nil }
            if bits < 0 { return .error("math.bitShiftLeft() negative offset: \(bits)") }
            switch v {
            case .int(let i): return .int(bits >= 64 ? 0 : i << bits)
            case .uint(let u): return .uint(bits >= 64 ? 0 : u << bits)
            default: return nil
            }
        }
        t.global("math.bitShiftRight") { v, n in
            guard case .int(let bits) = n else { return nil }
            if bits < 0 { return .error("math.bitShiftRight() negative offset: \(bits)") }
            switch v {
            case .int(let i): return .int(bits >= 64 ? 0 : Int64(bitPattern: UInt64(bitPattern: i) >> UInt64(bits)))
            case .uint(let u): return .uint(bits >= 64 ? 0 : u >> UInt64(bits))
            default: return nil
            }
        }
    }

    static func bitPair(_ a: CELValue, _ b: CELValue, _ i: (Int64, Int64) -> Int64, _ u: (UInt64, UInt64) -> UInt64)
        -> CELValue?
    {
        switch (a, b) {
        case (.int(let x), .int(let y)): .int(i(x, y))
        case (.uint(let x), .uint(let y)): .uint(u(x, y))
        default: nil
        }
    }

    static func extreme(_ args: [CELValue], _ name: String, prefer: CELOrder) -> CELValue? {
        var values = args
        if args.count == 1, case .list(let l) = args[0] {
            values = l.values
            if values.isEmpty { return .error("\(name)(list) argument must not be empty") }
        }
        guard var result = values.first else { return nil }
        for v in values {
            switch v {
            case .int, .uint, .double: break
            default: return .error("no such overload: \(name)")
            }
        }
        for v in values.dropFirst() {
            guard let o = numericOrder(result, v) else { return .error("no such overload: \(name)") }
            if o == .unordered { return .error("NaN values cannot be ordered: \(name)") }
            if o == prefer { result = v }
        }
        return result
    }
}
