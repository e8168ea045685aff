/// The part of shopspring/decimal sprig's `addf`/`subf`/`mulf`/`divf` use: exact decimal arithmetic on
/// each float's shortest decimal form, division rounded half away from zero at 16 places, and a correctly
/// rounded conversion back to float64 (so `addf 0.1 0.2` is 0.3).
struct GoDecimal {
    /// Magnitude digits, most significant first, no leading zeros (empty for zero).
    var digits: [UInt8]
    var exponent: Int
    var negative: Bool

    /// `decimal.NewFromFloat`.
    init(_ value: Double) throws(FunctionError) {
        if !value.isFinite { throw FunctionError("Cannot create a Decimal from \(GoFloatFormat.format(value, "g", precision: -1))") }
        if value == 0 {
            digits = []
            exponent = 0
            negative = false
            return
        }
        let d = GoFloatFormat.shortestDigits(Swift.abs(value))
        digits = d.digits
        exponent = d.point - d.digits.count
        negative = value < 0
    }

    private init(digits: [UInt8], exponent: Int, negative: Bool) {
        var d = digits
        while d.first == 0 { d.removeFirst() }
        self.digits = d
        self.exponent = exponent
        self.negative = d.isEmpty ? false : negative
    }

    var doubleValue: Double {
        if digits.isEmpty { return 0 }
        let text = (negative ? "-" : "") + String(decoding: digits.map { $0 + 48 }, as: UTF8.self) + "e\(exponent)"
        return Double(text) ?? 0
    }

    // MARK: Magnitude arithmetic on digit arrays

    private static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return 0
    }

    private static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = a.count - 1
        var j = b.count - 1
        var carry: UInt8 = 0
        while i >= 0 || j >= 0 || carry > 0 {
            var s = carry
            if i >= 0 { s += a[i] }
            if j >= 0 { s += b[j] }
            out.append(s % 10)
            carry = s / 10
            i -= 1
            j -= 1
        }
        return out.reversed()
    }

    /// `a - b` for `a >= b`.
    private static func sub(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = a.count - 1
        var j = b.count - 1
        var borrow = 0
        while i >= 0 {
            var d = Int(a[i]) - borrow - (j >= 0 ? Int(b[j]) : 0)
            borrow = 0
            if d < 0 {
                d += 10
                borrow = 1
            }
            out.append(UInt8(d))
            i -= 1
            j -= 1
        }
        var r = Array(out.reversed())
        while r.first == 0 { r.removeFirst() }
        return r
    }

    private static func mul(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        if a.isEmpty || b.isEmpty { return [] }
        var acc = [Int](repeating: 0, count: a.count + b.count)
        for (i, x) in a.reversed().enumerated() {
            for (j, y) in b.reversed().enumerated() { acc[i + j] += Int(x) * Int(y) }
        }
        var carry = 0
        for k in acc.indices {
            let v = acc[k] + carry
            acc[k] = v % 10
            carry = v / 10
        }
        var r = acc.reversed().map { UInt8($0) }
        while r.first == 0 { r.removeFirst() }
        return r
    }

    private static func divmod(_ a: [UInt8], _ b: [UInt8]) -> ([UInt8], [UInt8]) {
        var q: [UInt8] = []
        var r: [UInt8] = []
        for d in a {
            r.append(d)
            while r.first == 0 { r.removeFirst() }
            var n: UInt8 = 0
            while compare(r, b) >= 0 {
                r = sub(r, b)
                n += 1
            }
            q.append(n)
        }
        while q.first == 0 { q.removeFirst() }
        return (q, r)
    }

    private func aligned(to e: Int) -> [UInt8] {
        digits.isEmpty ? [] : digits + [UInt8](repeating: 0, count: exponent - e)
    }

    // MARK: Operations

    func adding(_ o: GoDecimal) -> GoDecimal {
        let e = min(exponent, o.exponent)
        let a = aligned(to: e)
        let b = o.aligned(to: e)
        if negative == o.negative { return GoDecimal(digits: Self.add(a, b), exponent: e, negative: negative) }
        switch Self.compare(a, b) {
        case 0: return GoDecimal(digits: [], exponent: 0, negative: false)
        case 1: return GoDecimal(digits: Self.sub(a, b), exponent: e, negative: negative)
        default: return GoDecimal(digits: Self.sub(b, a), exponent: e, negative: o.negative)
        }
    }

    func subtracting(_ o: GoDecimal) -> GoDecimal {
        var n = o
        n.negative = o.digits.isEmpty ? false : !o.negative
        return adding(n)
    }

    func multiplying(_ o: GoDecimal) -> GoDecimal {
        GoDecimal(digits: Self.mul(digits, o.digits), exponent: exponent + o.exponent, negative: negative != o.negative)
    }

    /// `DivRound(o, 16)`.
    func dividing(_ o: GoDecimal) throws(FunctionError) -> GoDecimal {
        if o.digits.isEmpty { throw FunctionError("decimal division by zero") }
        let precision = 16
        let shift = exponent - o.exponent + precision
        var num = digits
        var den = o.digits
        if shift >= 0 {
            num += [UInt8](repeating: 0, count: num.isEmpty ? 0 : shift)
        } else {
            den += [UInt8](repeating: 0, count: -shift)
        }
        var (q, r) = Self.divmod(num, den)
        if Self.compare(Self.add(r, r), den) >= 0 { q = Self.add(q, [1]) }
        return GoDecimal(digits: q, exponent: -precision, negative: negative != o.negative)
    }
}
