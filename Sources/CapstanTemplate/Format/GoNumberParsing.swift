import CapstanModel
/// Go's `strconv.ParseInt`/`ParseUint`/`ParseFloat`, including base prefixes (`0x`, `0o`, `0b`, leading
/// `0` = octal) and digit-separating underscores when the base is 0, as template literals and
/// `cast.ToInt64` use them.
enum GoNumberParsing {
    enum Failure: Error, Equatable {
        case syntax
        case range
    }

    /// `strconv.ParseUint(s, base, 64)`.
    static func parseUint(_ s: String, base: Int) -> Result<UInt64, Failure> {
        var bytes = Array(s.utf8)[...]
        if bytes.isEmpty { return .failure(.syntax) }
        var base = base
        let base0 = base == 0
        if base == 0 {
            base = 10
            if bytes.first == UInt8(ascii: "0") {
                if bytes.count >= 3, let p = bytes.dropFirst().first {
                    switch p | 0x20 {
                    case UInt8(ascii: "b"): base = 2; bytes = bytes.dropFirst(2)
                    case UInt8(ascii: "o"): base = 8; bytes = bytes.dropFirst(2)
                    case UInt8(ascii: "x"): base = 16; bytes = bytes.dropFirst(2)
                    default: base = 8; bytes = bytes.dropFirst(1)
                    }
                } else {
                    base = 8
                    bytes = bytes.dropFirst(1)
                }
            }
        }
        var value: UInt64 = 0
        var sawUnderscore = false
        for b in bytes {
            let d: UInt64
            switch b {
            case UInt8(ascii: "_") where base0:
                sawUnderscore = true
                continue
            case 48...57: d = UInt64(b - 48)
            case 97...122: d = UInt64(b - 87)
            case 65...90: d = UInt64(b - 55)
            default: return .failure(.syntax)
            }
            if d >= UInt64(base) { return .failure(.syntax) }
            let (m, o1) = value.multipliedReportingOverflow(by: UInt64(base))
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return .failure(.range) }
            value = a
        }
        if sawUnderscore && !underscoreOK(s) { return .failure(.syntax) }
        return .success(value)
    }

    /// `strconv.ParseInt(s, base, 64)`.
    static func parseInt(_ s: String, base: Int) -> Result<Int64, Failure> {
        if s.isEmpty { return .failure(.syntax) }
        var body = s
        var negative = false
        if let f = s.utf8.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            body = String(s.dropFirst())
        }
        switch parseUint(body, base: base) {
        case .failure(let f): return .failure(f)
        case .success(let u):
            if negative {
                if u > UInt64(Int64.max) + 1 { return .failure(.range) }
                return .success(u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u))
            }
            if u > UInt64(Int64.max) { return .failure(.range) }
            return .success(Int64(u))
        }
    }

    /// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal forms, `inf`/`infinity`/`nan`, underscores.
    static func parseFloat(_ s: String) -> Result<Double, Failure> {
        if s.isEmpty { return .failure(.syntax) }
        var body = Substring(s)
        var sign = ""
        if let f = body.first, f == "+" || f == "-" {
            sign = f == "-" ? "-" : ""
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return .success(sign == "-" ? -.infinity : .infinity)
        case "nan": return .success(.nan)
        default: break
        }
        let bytes = Array(body.utf8)
        var i = 0
        var hex = false
        if bytes.count >= 2 && bytes[0] == UInt8(ascii: "0") && (bytes[1] | 0x20) == UInt8(ascii: "x") {
            hex = true
            i = 2
        }
        var digits = 0
        var sawDot = false
        var sawExp = false
        var underscores = false
        var cleaned = [UInt8](bytes[0..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "_") {
                underscores = true
            } else if b >= 48 && b <= 57 || (hex && !sawExp && GoQuote.hexValue(b) != nil) {
                if !sawExp { digits += 1 }
                cleaned.append(b)
            } else if b == UInt8(ascii: ".") && !sawDot && !sawExp {
                sawDot = true
                cleaned.append(b)
            } else if !sawExp && ((!hex && (b | 0x20) == UInt8(ascii: "e")) || (hex && (b | 0x20) == UInt8(ascii: "p"))) {
                guard digits > 0 else { return .failure(.syntax) }
                sawExp = true
                cleaned.append(b)
                if i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "+") || bytes[i + 1] == UInt8(ascii: "-")) {
                    cleaned.append(bytes[i + 1])
                    i += 1
                }
                guard i + 1 < bytes.count else { return .failure(.syntax) }
            } else {
                return .failure(.syntax)
            }
            i += 1
        }
        if digits == 0 { return .failure(.syntax) }
        if hex && !sawExp { return .failure(.syntax) }
        if underscores && !underscoreOK(String(body)) { return .failure(.syntax) }
        guard let v = Double(sign + String(decoding: cleaned, as: UTF8.self)) else { return .failure(.syntax) }
        if v.isInfinite { return .failure(.range) }
        return .success(v)
    }

    /// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
    static func underscoreOK(_ s: String) -> Bool {
        var b = Array(s.utf8)[...]
        if let f = b.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { b = b.dropFirst() }
        var saw: Character = "^"
        var hex = false
        var i = b.startIndex
        if b.count >= 2, b[i] == UInt8(ascii: "0") {
            let p = b[i + 1] | 0x20
            if p == UInt8(ascii: "b") || p == UInt8(ascii: "o") || p == UInt8(ascii: "x") {
                i += 2
                saw = "0"
                hex = p == UInt8(ascii: "x")
            }
        }
        while i < b.endIndex {
            let c = b[i]
            i += 1
            if (c >= 48 && c <= 57) || (hex && (c | 0x20) >= 97 && (c | 0x20) <= 102) {
                saw = "0"
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != "0" { return false }
                saw = "_"
                continue
            }
            if saw == "_" { return false }
            saw = "!"
        }
        return saw != "_"
    }
}

extension Double {
    /// Go's float64 → int64 conversion as amd64 performs it: truncation, and `math.MinInt64` for NaN and
    /// out-of-range values (Swift would trap).
    var goInt64: Int64 {
        if isNaN || self >= 9.223372036854775807e18 || self < -9.223372036854775808e18 { return Int64.min }
        return Int64(self)
    }

    /// Go's float64 → uint64 conversion (amd64): values up to 2^63 truncate; larger ones go through the
    /// high-bit path; negatives and NaN give 2^63 (what `CVTTSD2SI` yields).
    var goUInt64: UInt64 {
        if isNaN || self < 0 || self >= 1.8446744073709552e19 { return 1 << 63 }
        if self < 9.223372036854775807e18 { return UInt64(self) }
        return UInt64(self)
    }
}
