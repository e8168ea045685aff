/// Go's float formatting (`strconv.FormatFloat(f, fmt, -1, 64)` and `encoding/json`), reproduced
/// because it is observable: templates print numbers with `%v` ('g'), and JSON output must match what
/// the Kubernetes API machinery would write.
public enum GoFloat {
    /// The shortest decimal digits that round-trip `value` and the decimal point position:
    /// `value = 0.d1d2d3... × 10^pointPosition`. `value` must be finite and non-zero.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        // Swift's description is the shortest round-tripping representation; re-read its digits.
        let text = Swift.abs(value).description  // e.g. "1234.5", "1e-07", "1.2345e+19", "5e-324"
        var digits: [UInt8] = []
        var pointInMantissa: Int?
        var exponent = 0
        var utf8 = Array(text.utf8)[...]
        while let c = utf8.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if c == UInt8(ascii: ".") { pointInMantissa = digits.count } else { digits.append(c - 48) }
        }
        if !utf8.isEmpty {
            utf8 = utf8.dropFirst()
            exponent = Int(String(decoding: utf8, as: UTF8.self)) ?? 0
        }
        var point = (pointInMantissa ?? digits.count) + exponent
        // Strip leading zeros (e.g. "0.001") and trailing zeros ("100.0").
        while digits.first == 0, digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == 0, digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }

    /// `strconv.FormatFloat(value, 'g', -1, 64)`: Go's `%v` for float64.
    public static func formatG(_ value: Double) -> String {
        if let special = formatSpecial(value) { return special }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(value)
        let exp = point - 1
        let sign = value < 0 ? "-" : ""
        // Go: "if precision was the shortest possible, use precision 6 for this decision".
        let eprec = 6
        if exp < -4 || exp >= eprec {
            return sign + exponentForm(digits, point: point)
        }
        return sign + fixedForm(digits, point: point)
    }

    /// `strconv.FormatFloat(value, 'f', -1, 64)`.
    public static func formatF(_ value: Double) -> String {
        if let special = formatSpecial(value) { return special }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(value)
        return (value < 0 ? "-" : "") + fixedForm(digits, point: point)
    }

    /// `strconv.FormatFloat(value, 'e', -1, 64)`.
    public static func formatE(_ value: Double) -> String {
        if let special = formatSpecial(value) { return special }
        if value == 0 { return value.sign == .minus ? "-0e+00" : "0e+00" }
        let (digits, point) = shortestDigits(value)
        return (value < 0 ? "-" : "") + exponentForm(digits, point: point)
    }

    /// How Go's `encoding/json` writes a float64 (nil for NaN and infinities, which it refuses).
    public static func formatJSON(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        let a = Swift.abs(value)
        if a != 0 && (a < 1e-6 || a >= 1e21) {
            var s = formatE(value)
            // encoding/json cleans "e-09" to "e-9".
            if let r = s.firstRange(of: "e-0") { s.replaceSubrange(r, with: "e-") }
            return s
        }
        return formatF(value)
    }

    private static func formatSpecial(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    private static func fixedForm(_ digits: [UInt8], point: Int) -> String {
        var out = ""
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digitString(digits)
        } else if point >= digits.count {
            out = digitString(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out = digitString(digits[..<point]) + "." + digitString(digits[point...])
        }
        return out
    }

    private static func exponentForm(_ digits: [UInt8], point: Int) -> String {
        var out = String(UnicodeScalar(digits[0] + 48))
        if digits.count > 1 { out += "." + digitString(digits[1...]) }
        let exp = point - 1
        out += exp < 0 ? "e-" : "e+"
        let e = Swift.abs(exp)
        out += e < 10 ? "0\(e)" : "\(e)"
        return out
    }

    private static func digitString<C: Collection>(_ digits: C) -> String where C.Element == UInt8 {
        String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }
}
