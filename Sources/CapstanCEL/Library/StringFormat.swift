import CapstanModel

/// `"...".format([args])` as cel-go's strings extension version 2 implements it (ext/formatting.go),
/// which is what the Kubernetes apiserver runs. Clauses: `%s %d %f %e %b %o %x %X %%`, with an optional
/// precision for `%f`/`%e` (`%.3f`, default 6).
///
/// Deviation: the apiserver formats `%f`/`%e` through golang.org/x/text with the `en_US` locale (for
/// example `%e` prints `1.052033 × 10⁰³`); this engine prints plain Go forms (`1.052033e+03`).
enum StringFormat {
    static func format(_ f: String, _ args: [CELValue]) -> CELValue {
        let chars = Array(f.unicodeScalars)
        var out = ""
        var i = 0
        var argIndex = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            if i + 1 < chars.count, chars[i + 1] == "%" {
                out += "%"
                i += 2
                continue
            }
            if i + 1 >= chars.count { return .error("unexpected end of string") }
            if argIndex >= args.count { return .error("index \(argIndex) out of range") }
            i += 1
            // Precision.
            var precision: Int?
            if chars[i] == "." {
                i += 1
                var digits = ""
                while i < chars.count, ("0"..."9").contains(chars[i]) {
                    digits.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard i < chars.count else {
                    return .error("could not parse formatting clause: error while parsing precision: could not find end of precision specifier")
                }
                precision = Int(digits) ?? 0
            }
            let verb = chars[i]
            i += 1
            let arg = args[argIndex]
            argIndex += 1
            let piece: Result<String, FormatFailure>
            switch verb {
            case "s": piece = string(arg)
            case "d": piece = decimal(arg)
            case "f": piece = fixed(arg, precision ?? 6)
            case "e": piece = scientific(arg, precision ?? 6)
            case "b": piece = binary(arg)
            case "o": piece = octal(arg)
            case "x", "X": piece = hex(arg, upper: verb == "X")
            default:
                return .error("could not parse formatting clause: unrecognized formatting clause \"\(verb)\"")
            }
            switch piece {
            case .success(let s): out += s
            case .failure(let e): return .error("error during formatting: \(e.message)")
            }
        }
        return .string(out)
    }

    struct FormatFailure: Error { var message: String }

    static func string(_ v: CELValue) -> Result<String, FormatFailure> {
        switch v {
        case .list(let l): return formatList(l)
        case .map(let m): return formatMap(m)
        case .null: return .success("null")
        case .string(let s): return .success(s)
        case .bool(let b): return .success(b ? "true" : "false")
        case .int(let i): return .success(String(i))
        case .uint(let u): return .success(String(u))
        case .double(let d): return .success(GoFloat.formatG(d))
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else {
                return .failure(FormatFailure(message: "invalid UTF-8 in bytes, cannot convert to string"))
            }
            return .success(s)
        case .timestamp(let t): return .success(t.rfc3339)
        case .duration(let d): return .success(d.text)
        case .type(let t): return .success(t.name)
        default:
            return .failure(FormatFailure(message: "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given \(v.celType.name)"))
        }
    }

    /// A list or map member: as cel-go's `clauseForType`, then quoted for CEL.
    static func member(_ v: CELValue) -> Result<String, FormatFailure> {
        switch v {
        case .int(let i): return .success(String(i))
        case .uint(let u): return .success(String(u))
        case .string(let s): return .success(goQuote(s))
        case .bytes:
            return string(v).map { "b" + goQuote($0) }
        case .bool, .null, .type: return string(v)
        case .timestamp(let t): return .success("timestamp(\(goQuote(t.rfc3339)))")
        case .duration(let d): return .success("duration(\(goQuote(d.text)))")
        case .list(let l): return formatList(l)
        case .map(let m): return formatMap(m)
        case .double(let d):
            let s = fixedText(d, 6)
            return .success(d.isFinite ? s : goQuote(s))
        default:
            return .failure(FormatFailure(message: "no formatting function for \(v.celType.name)"))
        }
    }

    static func formatList(_ l: CELList) -> Result<String, FormatFailure> {
        var parts: [String] = []
        for v in l {
            switch member(v) {
            case .success(let s): parts.append(s)
            case .failure(let e): return .failure(e)
            }
        }
        return .success("[" + parts.joined(separator: ", ") + "]")
    }

    static func formatMap(_ m: CELMap) -> Result<String, FormatFailure> {
        var pairs: [(String, String)] = []
        for (k, v) in m.entries {
            let key: String
            switch k {
            case .string(let s): key = goQuote(s)
            case .bool(let b): key = b ? "true" : "false"
            case .int(let i): key = String(i)
            case .uint(let u): key = String(u)
            default: return .failure(FormatFailure(message: "no formatting function for map key of type \(k.celType.name)"))
            }
            switch member(v) {
            case .success(let s): pairs.append((key, s))
            case .failure(let e): return .failure(e)
            }
        }
        pairs.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return .success("{" + pairs.map { "\($0.0):\($0.1)" }.joined(separator: ", ") + "}")
    }

    static func decimal(_ v: CELValue) -> Result<String, FormatFailure> {
        switch v {
        case .int(let i): return .success(String(i))
        case .uint(let u): return .success(String(u))
        default:
            return .failure(FormatFailure(message: "decimal clause can only be used on integers, was given \(v.celType.name)"))
        }
    }

    static func floatArgument(_ v: CELValue) -> Double? {
        switch v {
        case .double(let d): return d
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: return nil
        }
    }

    static func fixed(_ v: CELValue, _ precision: Int) -> Result<String, FormatFailure> {
        guard let d = floatArgument(v) else {
            return .failure(FormatFailure(message: "fixed-point clause can only be used on doubles, was given \(v.celType.name)"))
        }
        return .success(fixedText(d, precision))
    }

    static func scientific(_ v: CELValue, _ precision: Int) -> Result<String, FormatFailure> {
        guard let d = floatArgument(v) else {
            return .failure(FormatFailure(message: "scientific clause can only be used on doubles, was given \(v.celType.name)"))
        }
        return .success(scientificText(d, precision))
    }

    static func binary(_ v: CELValue) -> Result<String, FormatFailure> {
        switch v {
        case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 2) : String(i, radix: 2))
        case .uint(let u): return .success(String(u, radix: 2))
        case .bool(let b): return .success(b ? "1" : "0")
        default:
            return .failure(FormatFailure(message: "only integers and bools can be formatted as binary, was given \(v.celType.name)"))
        }
    }

    static func octal(_ v: CELValue) -> Result<String, FormatFailure> {
        switch v {
        case .int(let i): return .success(i < 0 ? "-" + String(i.magnitude, radix: 8) : String(i, radix: 8))
        case .uint(let u): return .success(String(u, radix: 8))
        default:
            return .failure(FormatFailure(message: "octal clause can only be used on integers, was given \(v.celType.name)"))
        }
    }

    static func hex(_ v: CELValue, upper: Bool) -> Result<String, FormatFailure> {
        let s: String
        switch v {
        case .int(let i): s = i < 0 ? "-" + String(i.magnitude, radix: 16) : String(i, radix: 16)
        case .uint(let u): s = String(u, radix: 16)
        case .string(let str): s = str.utf8.map { hex2($0) }.joined()
        case .bytes(let b): s = b.map { hex2($0) }.joined()
        default:
            return .failure(FormatFailure(message: "only integers, byte buffers, and strings can be formatted as hex, was given \(v.celType.name)"))
        }
        return .success(upper ? s.uppercased() : s)
    }

    /// Go's `%.<p>f` (round half to even on the exact binary value, as strconv does).
    static func fixedText(_ d: Double, _ precision: Int) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        return DecimalFormatting.fixed(d, precision: min(precision, 100))
    }

    /// Go's `%.<p>e`.
    static func scientificText(_ d: Double, _ precision: Int) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        return DecimalFormatting.scientific(d, precision: min(precision, 100))
    }

    /// `%q` for a string: the CEL string literal (quotes, backslashes and control characters escaped).
    static func goQuote(_ s: String) -> String { CELValue.quote(s) }
}

/// Exact decimal rendering of doubles with a fixed number of digits (no Foundation formatting).
enum DecimalFormatting {
    /// The exact decimal expansion of a finite double: digits and the position of the decimal point.
    static func exactDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        // d = mantissa × 2^exponent with an integer mantissa.
        let a = abs(d)
        if a == 0 { return ([0], 1) }
        let exponent = Int(a.exponent) - 52
        var mantissa = a.significandBitPattern | (a.isNormal ? 1 << 52 : 0)
        var exp2 = exponent
        if !a.isNormal { exp2 = -1074 }
        while mantissa & 1 == 0, exp2 < 0 {
            mantissa >>= 1
            exp2 += 1
        }
        // Big decimal as little-endian base-1e9 limbs.
        var limbs: [UInt32] = [UInt32(mantissa % 1_000_000_000), UInt32(mantissa / 1_000_000_000 % 1_000_000_000),
                               UInt32(mantissa / 1_000_000_000_000_000_000)]
        func mul(_ m: UInt64) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let v = UInt64(limbs[i]) * m + carry
                limbs[i] = UInt32(v % 1_000_000_000)
                carry = v / 1_000_000_000
            }
            while carry > 0 {
                limbs.append(UInt32(carry % 1_000_000_000))
                carry /= 1_000_000_000
            }
        }
        var fractionDigits = 0
        if exp2 > 0 {
            for _ in 0..<exp2 { mul(2) }
        } else if exp2 < 0 {
            // m × 2^-k = m × 5^k / 10^k
            for _ in 0..<(-exp2) { mul(5) }
            fractionDigits = -exp2
        }
        var text = ""
        var started = false
        for limb in limbs.reversed() {
            if !started {
                if limb == 0 { continue }
                text += String(limb)
                started = true
            } else {
                let s = String(limb)
                text += String(repeating: "0", count: 9 - s.count) + s
            }
        }
        if text.isEmpty { text = "0" }
        var digits = text.utf8.map { $0 - 48 }
        var point = digits.count - fractionDigits
        while digits.count > 1, digits.first == 0, point > 1 {
            digits.removeFirst()
            point -= 1
        }
        return (digits, point)
    }

    /// Rounds the digit string to `keep` digits, half to even.
    static func round(_ digits: [UInt8], _ point: Int, keep: Int) -> ([UInt8], Int) {
        if keep >= digits.count { return (digits + [UInt8](repeating: 0, count: keep - digits.count), point) }
        if keep < 0 { return ([0], point) }
        var out = Array(digits[0..<keep])
        let rest = digits[keep...]
        let first = rest.first!
        let tailNonZero = rest.dropFirst().contains { $0 != 0 }
        let roundUp = first > 5 || (first == 5 && (tailNonZero || (out.last.map { $0 % 2 == 1 } ?? false)))
        var p = point
        if roundUp {
            var i = out.count - 1
            while i >= 0 {
                if out[i] == 9 { out[i] = 0; i -= 1 } else { out[i] += 1; break }
            }
            if i < 0 {
                out.insert(1, at: 0)
                p += 1
            }
        }
        return (out, p)
    }

    static func fixed(_ d: Double, precision: Int) -> String {
        let (digits, point) = exactDigits(d)
        var (r, p) = round(digits, point, keep: max(0, point + precision))
        if point + precision < 0 { r = [0]; p = 1 }
        var intPart = p > 0 ? r.prefix(p).map { String($0) }.joined() : "0"
        if intPart.isEmpty { intPart = "0" }
        var frac = ""
        if precision > 0 {
            var fd: [UInt8] = []
            for k in 0..<precision {
                let idx = p + k
                fd.append(idx >= 0 && idx < r.count ? r[idx] : 0)
            }
            frac = "." + fd.map { String($0) }.joined()
        }
        let negative = d.sign == .minus && (d != 0 || true)
        return (negative ? "-" : "") + intPart + frac
    }

    static func scientific(_ d: Double, precision: Int) -> String {
        let negative = d.sign == .minus
        if d == 0 {
            return (negative ? "-" : "") + "0" + (precision > 0 ? "." + String(repeating: "0", count: precision) : "") + "e+00"
        }
        let (digits, point) = exactDigits(d)
        let (r, p) = round(digits, point, keep: precision + 1)
        var s = String(r[0])
        if precision > 0 { s += "." + r[1...precision].map { String($0) }.joined() }
        let e = p - 1
        s += (e < 0 ? "e-" : "e+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        return (negative ? "-" : "") + s
    }
}
