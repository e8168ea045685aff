/// sprig's math functions (`numeric.go`): integer arithmetic through `cast.ToInt64`, float arithmetic
/// through shopspring/decimal on each operand's shortest decimal form.
extension Sprig {
    private typealias S = SprigSupport

    private static func int64Op(_ name: String, _ op: @escaping @Sendable (Int64, Int64) throws(FunctionError) -> Int64) -> TemplateFunction {
        TemplateFunction(name, [.any, .any]) { a throws(FunctionError) in .int64(try op(S.toInt64(a[0]), S.toInt64(a[1]))) }
    }

    private static func decimalOp(_ name: String, _ op: @escaping @Sendable (GoDecimal, GoDecimal) throws(FunctionError) -> GoDecimal) -> TemplateFunction {
        TemplateFunction(name, [.any], variadic: .any) { a throws(FunctionError) in
            var acc = try GoDecimal(S.toFloat64(a[0]))
            for x in a.dropFirst() { acc = try op(acc, GoDecimal(S.toFloat64(x))) }
            return .float64(acc.doubleValue)
        }
    }

    static let numeric: [TemplateFunction] = [
        TemplateFunction("atoi", [.string]) { a throws(FunctionError) in
            if case .success(let i) = GoNumberParsing.parseInt(S.string(a[0]), base: 10) { return .int(Int(i)) }
            return .int(0)
        },
        TemplateFunction("int64", [.any]) { a throws(FunctionError) in .int64(S.toInt64(a[0])) },
        TemplateFunction("int", [.any]) { a throws(FunctionError) in .int(Int(S.toInt64(a[0]))) },
        TemplateFunction("float64", [.any]) { a throws(FunctionError) in .float64(S.toFloat64(a[0])) },
        TemplateFunction("toDecimal", [.any]) { a throws(FunctionError) in
            if case .success(let i) = GoNumberParsing.parseInt(GoFormatter.sprint([a[0]]), base: 8) { return .int64(i) }
            return .int64(0)
        },
        TemplateFunction("seq", [], variadic: .int) { a throws(FunctionError) in .string(try seq(a.map(S.int))) },
        TemplateFunction("until", [.int]) { a throws(FunctionError) in
            let n = S.int(a[0])
            return intList(try untilStep(0, n, n < 0 ? -1 : 1))
        },
        TemplateFunction("untilStep", [.int, .int, .int]) { a throws(FunctionError) in intList(try untilStep(S.int(a[0]), S.int(a[1]), S.int(a[2]))) },
        TemplateFunction("add1", [.any]) { a throws(FunctionError) in .int64(S.toInt64(a[0]) &+ 1) },
        TemplateFunction("add", [], variadic: .any) { a throws(FunctionError) in .int64(a.reduce(Int64(0)) { $0 &+ S.toInt64($1) }) },
        int64Op("sub") { x, y throws(FunctionError) in x &- y },
        int64Op("div") { x, y throws(FunctionError) in
            if y == 0 { throw FunctionError("runtime error: integer divide by zero") }
            return x == Int64.min && y == -1 ? x : x / y
        },
        int64Op("mod") { x, y throws(FunctionError) in
            if y == 0 { throw FunctionError("runtime error: integer divide by zero") }
            return y == -1 ? 0 : x % y
        },
        TemplateFunction("mul", [.any], variadic: .any) { a throws(FunctionError) in
            .int64(a.dropFirst().reduce(S.toInt64(a[0])) { $0 &* S.toInt64($1) })
        },
        TemplateFunction("randInt", [.int, .int]) { a throws(FunctionError) in
            let (lo, hi) = (S.int(a[0]), S.int(a[1]))
            let (n, overflow) = hi.subtractingReportingOverflow(lo)
            if overflow || n <= 0 { throw FunctionError("invalid argument to Intn") }
            return .int(Int.random(in: 0..<n) &+ lo)
        },
        TemplateFunction("add1f", [.any]) { a throws(FunctionError) in
            .float64(try GoDecimal(S.toFloat64(a[0])).adding(GoDecimal(1)).doubleValue)
        },
        TemplateFunction("addf", [], variadic: .any) { a throws(FunctionError) in
            var acc = try GoDecimal(0)
            for x in a { acc = acc.adding(try GoDecimal(S.toFloat64(x))) }
            return .float64(acc.doubleValue)
        },
        decimalOp("subf") { x, y throws(FunctionError) in x.subtracting(y) },
        decimalOp("mulf") { x, y throws(FunctionError) in x.multiplying(y) },
        decimalOp("divf") { x, y throws(FunctionError) in try x.dividing(y) },
        TemplateFunction("biggest", [.any], variadic: .any) { a throws(FunctionError) in .int64(a.map(S.toInt64).max()!) },
        TemplateFunction("max", [.any], variadic: .any) { a throws(FunctionError) in .int64(a.map(S.toInt64).max()!) },
        TemplateFunction("min", [.any], variadic: .any) { a throws(FunctionError) in .int64(a.map(S.toInt64).min()!) },
        TemplateFunction("maxf", [.any], variadic: .any) { a throws(FunctionError) in
            .float64(a.dropFirst().reduce(S.toFloat64(a[0])) { goMax($0, S.toFloat64($1)) })
        },
        TemplateFunction("minf", [.any], variadic: .any) { a throws(FunctionError) in
            .float64(a.dropFirst().reduce(S.toFloat64(a[0])) { goMin($0, S.toFloat64($1)) })
        },
        TemplateFunction("ceil", [.any]) { a throws(FunctionError) in .float64(S.toFloat64(a[0]).rounded(.up)) },
        TemplateFunction("floor", [.any]) { a throws(FunctionError) in .float64(S.toFloat64(a[0]).rounded(.down)) },
        TemplateFunction("round", [.any, .int], variadic: .float64) { a throws(FunctionError) in
            var roundOn = 0.5
            if a.count > 2, case .float64(let r) = a[2] { roundOn = r }
            let val = S.toFloat64(a[0])
            let pow = goPow10(Double(S.int(a[1])))
            let digit = pow * val
            let frac = digit - digit.rounded(.towardZero)
            let r = frac >= roundOn ? digit.rounded(.up) : digit.rounded(.down)
            return .float64(r / pow)
        },
    ]

    private static func goMax(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x > 0 || y.isInfinite && y > 0 { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && y == 0 { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    private static func goMin(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x < 0 || y.isInfinite && y < 0 { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && y == 0 { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// `math.Pow(10, p)` for integral `p` (exact powers of ten where representable).
    private static func goPow10(_ p: Double) -> Double {
        if let v = Double("1e\(Int(p))") { return v }
        return p > 0 ? .infinity : 0
    }

    static func intList(_ values: [Int]) -> TemplateValue {
        .list(TemplateList(values.map { .int($0) }, element: .int))
    }

    /// sprig's `untilStep` (at most `maxElements` values: Capstan's guard against runaway templates).
    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) throws(FunctionError) -> [Int] {
        var v: [Int] = []
        let span = Double(stop) - Double(start)
        if step != 0 && (span / Double(step)) > Double(Sprig.maxElements) {
            throw FunctionError("more than \(Sprig.maxElements) elements (Capstan's list size limit)")
        }
        if stop < start {
            if step >= 0 { return v }
            var i = start
            while i > stop {
                v.append(i)
                i += step
            }
            return v
        }
        if step <= 0 { return v }
        var i = start
        while i < stop {
            v.append(i)
            i += step
        }
        return v
    }

    /// sprig's `seq`: like the shell command, space-separated.
    static func seq(_ params: [Int]) throws(FunctionError) -> String {
        func text(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: " ") }
        switch params.count {
        case 1:
            let end = params[0]
            let inc = end < 1 ? -1 : 1
            return text(try untilStep(1, end &+ inc, inc))
        case 2:
            let (start, end) = (params[0], params[1])
            let step = end < start ? -1 : 1
            return text(try untilStep(start, end &+ step, step))
        case 3:
            let (start, step, end) = (params[0], params[1], params[2])
            var inc = 1
            if end < start {
                inc = -1
                if step > 0 { return "" }
            }
            return text(try untilStep(start, end &+ inc, step))
        default:
            return ""
        }
    }
}
