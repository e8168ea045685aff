/// `strconv.FormatFloat(v, fmt, prec, 64)` for the `e`, `E`, `f`, `F`, `g`, `G` formats, with Go's
/// rounding (exact binary value, ties to even), as `printf "%.2f"` needs.
enum GoFloatFormat {
    /// Decimal digits `0.d1d2...dn × 10^point` of a finite non-zero magnitude.
    struct Digits {
        var digits: [UInt8]
        var point: Int
    }

    static func format(_ value: Double, _ fmt: Character, precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let negative = value.sign == .minus
        let sign = negative ? "-" : ""
        let magnitude = Swift.abs(value)
        var prec = precision
        let shortest = prec < 0
        var d: Digits
        if magnitude == 0 {
            d = Digits(digits: [], point: 0)
        } else if shortest {
            d = shortestDigits(magnitude)
        } else {
            d = exactDigits(magnitude)
            switch fmt {
            case "e", "E": round(&d, to: prec + 1)
            case "f", "F": round(&d, to: d.point + prec)
            default:
                if prec == 0 { prec = 1 }
                round(&d, to: prec)
            }
        }
        switch fmt {
        case "e", "E":
            return sign + exponential(d, prec: shortest ? max(d.digits.count - 1, 0) : prec, upper: fmt == "E")
        case "f", "F":
            return sign + fixed(d, prec: shortest ? max(d.digits.count - d.point, 0) : prec)
        default:
            var eprec = prec
            if eprec > d.digits.count && d.digits.count >= d.point { eprec = d.digits.count }
            if shortest { eprec = 6 }
            let exp = d.point - 1
            if magnitude != 0 && (exp < -4 || exp >= eprec) {
                let p = shortest ? d.digits.count - 1 : prec - 1
                return sign + exponential(d, prec: max(min(p, d.digits.count - 1), 0), upper: fmt == "G")
            }
            if magnitude == 0 { return sign + "0" }
            let p = shortest ? max(d.digits.count - d.point, 0) : max(d.digits.count - d.point, 0)
            return sign + fixed(d, prec: p)
        }
    }

    private static func digit(_ d: Digits, _ i: Int) -> Character {
        i >= 0 && i < d.digits.count ? Character(UnicodeScalar(d.digits[i] + 48)) : "0"
    }

    private static func exponential(_ d: Digits, prec: Int, upper: Bool) -> String {
        var out = String(digit(d, 0))
        if prec > 0 {
            out.append(".")
            for i in 1...prec { out.append(digit(d, i)) }
        }
        let exp = d.digits.isEmpty ? 0 : d.point - 1
        out.append(upper ? "E" : "e")
        out.append(exp < 0 ? "-" : "+")
        let e = Swift.abs(exp)
        if e < 10 { out.append("0") }
        out.append(String(e))
        return out
    }

    private static func fixed(_ d: Digits, prec: Int) -> String {
        var out = ""
        if d.point > 0 {
            for i in 0..<d.point { out.append(digit(d, i)) }
        } else {
            out = "0"
        }
        if prec > 0 {
            out.append(".")
            for i in 0..<prec { out.append(digit(d, d.point + i)) }
        }
        return out
    }

    /// Rounds to `n` significant digits, ties to even on the exact value (Go's `decimal.Round`).
    static func round(_ d: inout Digits, to n: Int) {
        if n < 0 {
            d.digits = []
            return
        }
        if n >= d.digits.count { return }
        var up = d.digits[n] > 5 || (d.digits[n] == 5 && (n + 1 < d.digits.count))
        if d.digits[n] == 5 && n + 1 == d.digits.count {
            up = n > 0 && d.digits[n - 1] % 2 == 1
        }
        d.digits.removeSubrange(n...)
        if up {
            var i = n - 1
            while i >= 0 {
                if d.digits[i] < 9 {
                    d.digits[i] += 1
                    break
                }
                d.digits[i] = 0
                i -= 1
            }
            if i < 0 {
                d.digits.insert(1, at: 0)
                d.point += 1
                if d.digits.count > max(n, 1) { d.digits.removeLast() }
            }
        }
        while let last = d.digits.last, last == 0 { d.digits.removeLast() }
    }

    /// The shortest digits that read back as the same double (Swift's `description` gives them).
    static func shortestDigits(_ value: Double) -> Digits {
        let text = value.description
        var digits: [UInt8] = []
        var pointInMantissa: Int?
        var exponent = 0
        var rest = Substring(text)
        while let c = rest.first, c != "e", c != "E" {
            rest = rest.dropFirst()
            if c == "." { pointInMantissa = digits.count } else if let v = c.wholeNumberValue { digits.append(UInt8(v)) }
        }
        if !rest.isEmpty { exponent = Int(rest.dropFirst()) ?? 0 }
        var point = (pointInMantissa ?? digits.count) + exponent
        while digits.first == 0, digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == 0, digits.count > 1 { digits.removeLast() }
        return Digits(digits: digits, point: point)
    }

    /// Every decimal digit of the exact binary value (at most ~770 digits for subnormals).
    static func exactDigits(_ value: Double) -> Digits {
        let exponent = Int(value.exponent) - Double.significandBitCount
        var mantissa = value.significandBitPattern | (value.isNormal ? (1 << UInt64(Double.significandBitCount)) : 0)
        var exp2 = exponent
        if !value.isNormal { exp2 = Int(Double.leastNormalMagnitude.exponent) - Double.significandBitCount }
        while mantissa & 1 == 0 && mantissa != 0 {
            mantissa >>= 1
            exp2 += 1
        }
        // Base 1e9 little-endian big integer.
        var limbs: [UInt64] = [mantissa % 1_000_000_000, mantissa / 1_000_000_000 % 1_000_000_000, mantissa / 1_000_000_000_000_000_000]
        var decimalShift = 0
        func multiply(_ m: UInt64) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let v = limbs[i] * m + carry
                limbs[i] = v % 1_000_000_000
                carry = v / 1_000_000_000
            }
            while carry > 0 {
                limbs.append(carry % 1_000_000_000)
                carry /= 1_000_000_000
            }
        }
        if exp2 > 0 {
            var e = exp2
            while e > 0 {
                let s = min(e, 20)
                multiply(1 << UInt64(s))
                e -= s
            }
        } else if exp2 < 0 {
            var e = -exp2
            decimalShift = e
            while e > 0 {
                let s = min(e, 13)
                var p: UInt64 = 1
                for _ in 0..<s { p *= 5 }
                multiply(p)
                e -= s
            }
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let s = String(limb)
            text += String(repeating: "0", count: 9 - s.count) + s
        }
        var digits = text.utf8.map { $0 - 48 }
        let point = digits.count - decimalShift
        while let last = digits.last, last == 0 { digits.removeLast() }
        return Digits(digits: digits, point: point)
    }
}
