/// A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`) as an exact decimal `mantissa × 10^scale`,
/// parsed like k8s.io/apimachinery `resource.ParseQuantity` (values round up to nano precision).
struct ResourceQuantity: Sendable {
    var mantissa: Int128
    var scale: Int

    static let formatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    static let suffixError = "unable to parse quantity's suffix"

    static func parse(_ str: String) -> Result<ResourceQuantity, CELEvalErrorMessage> {
        let b = Array(str.utf8)
        if b.isEmpty { return .failure(CELEvalErrorMessage(formatError)) }
        if str == "0" { return .success(ResourceQuantity(mantissa: 0, scale: 0)) }
        var pos = 0
        var positive = true
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            positive = b[0] == UInt8(ascii: "+")
            pos = 1
        }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var num: [UInt8] = []
        var denom: [UInt8] = []
        while pos < b.count, b[pos] == UInt8(ascii: "0") { pos += 1 }
        while pos < b.count, isDigit(b[pos]) { num.append(b[pos]); pos += 1 }
        if pos < b.count, b[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < b.count, isDigit(b[pos]) { denom.append(b[pos]); pos += 1 }
        }
        let suffixStart = pos
        let suffixChars = Set("eEinumkKMGTP".utf8)
        while pos < b.count, suffixChars.contains(b[pos]) { pos += 1 }
        if pos < b.count, b[pos] == UInt8(ascii: "-") || b[pos] == UInt8(ascii: "+") { pos += 1 }
        while pos < b.count, isDigit(b[pos]) { pos += 1 }
        if pos != b.count { return .failure(CELEvalErrorMessage(formatError)) }
        let suffix = String(decoding: b[suffixStart...], as: UTF8.self)
        // A value needs at least one digit before the suffix.
        if num.isEmpty && denom.isEmpty && !(suffixStart > 0 && b[..<suffixStart].contains(UInt8(ascii: "0"))) {
            return .failure(CELEvalErrorMessage(formatError))
        }

        var base10Exponent = 0
        var base2Exponent = 0
        switch suffix {
        case "": break
        case "n": base10Exponent = -9
        case "u": base10Exponent = -6
        case "m": base10Exponent = -3
        case "k": base10Exponent = 3
        case "M": base10Exponent = 6
        case "G": base10Exponent = 9
        case "T": base10Exponent = 12
        case "P": base10Exponent = 15
        case "E": base10Exponent = 18
        case "Ki": base2Exponent = 10
        case "Mi": base2Exponent = 20
        case "Gi": base2Exponent = 30
        case "Ti": base2Exponent = 40
        case "Pi": base2Exponent = 50
        case "Ei": base2Exponent = 60
        default:
            guard suffix.count >= 2, suffix.first == "e" || suffix.first == "E", let e = Int(suffix.dropFirst()),
                abs(e) < 1000
            else { return .failure(CELEvalErrorMessage(suffixError)) }
            base10Exponent = e
        }
        var digits = num + denom
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        if digits.count > 36 { return .failure(CELEvalErrorMessage("quantity too large: \(str)")) }
        var m: Int128 = 0
        for d in digits { m = m * 10 + Int128(d - 48) }
        var q = ResourceQuantity(mantissa: positive ? m : -m, scale: base10Exponent - denom.count)
        if base2Exponent > 0 {
            guard let r = q.multiplied(by: Int128(1) << base2Exponent) else {
                return .failure(CELEvalErrorMessage("quantity too large: \(str)"))
            }
            q = r
            // BinarySI values are capped at the int64 maximum.
            if q.compare(ResourceQuantity(mantissa: Int128(Int64.max), scale: 0)) > 0 {
                q = ResourceQuantity(mantissa: Int128(Int64.max), scale: 0)
            }
        }
        return .success(q.roundedUpToNano())
    }

    func multiplied(by k: Int128) -> ResourceQuantity? {
        let (r, o) = mantissa.multipliedReportingOverflow(by: k)
        return o ? nil : ResourceQuantity(mantissa: r, scale: scale)
    }

    /// Rounds away from zero to at most 9 decimal places (apimachinery rounds tiny requests up).
    func roundedUpToNano() -> ResourceQuantity {
        guard scale < -9 else { return self }
        var m = mantissa
        var s = scale
        var inexact = false
        while s < -9 {
            let (q, r) = m.quotientAndRemainder(dividingBy: 10)
            if r != 0 { inexact = true }
            m = q
            s += 1
        }
        if inexact { m += mantissa < 0 ? -1 : 1 }
        return ResourceQuantity(mantissa: m, scale: s)
    }

    /// Both mantissas at a common scale, or nil on overflow.
    static func aligned(_ a: ResourceQuantity, _ b: ResourceQuantity) -> (Int128, Int128, Int)? {
        let s = min(a.scale, b.scale)
        func rescale(_ q: ResourceQuantity) -> Int128? {
            var m = q.mantissa
            for _ in 0..<(q.scale - s) {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { return nil }
                m = r
            }
            return m
        }
        guard let x = rescale(a), let y = rescale(b) else { return nil }
        return (x, y, s)
    }

    func compare(_ o: ResourceQuantity) -> Int {
        if let (x, y, _) = Self.aligned(self, o) { return x < y ? -1 : (x == y ? 0 : 1) }
        let a = approximate, b = o.approximate
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    func adding(_ o: ResourceQuantity) -> ResourceQuantity? {
        guard let (x, y, s) = Self.aligned(self, o) else { return nil }
        let (r, ov) = x.addingReportingOverflow(y)
        return ov ? nil : ResourceQuantity(mantissa: r, scale: s)
    }

    var negated: ResourceQuantity { ResourceQuantity(mantissa: -mantissa, scale: scale) }

    /// The value as an int64 when it is an integer in range (`AsInt64`).
    var asInt64: Int64? {
        var m = mantissa
        if scale >= 0 {
            for _ in 0..<scale {
                let (r, o) = m.multipliedReportingOverflow(by: 10)
                if o { return nil }
                m = r
            }
        } else {
            for _ in 0..<(-scale) {
                let (q, r) = m.quotientAndRemainder(dividingBy: 10)
                if r != 0 { return nil }
                m = q
            }
        }
        return Int64(exactly: m)
    }

    /// The nearest double (decimal text parsed, so correctly rounded).
    var approximate: Double { Double("\(mantissa)e\(scale)") ?? .nan }

    var sign: Int { mantissa < 0 ? -1 : (mantissa == 0 ? 0 : 1) }

    /// Plain decimal text (`1536`, `0.5`, `-2.25`).
    var text: String {
        let negative = mantissa < 0
        var digits = String(mantissa.magnitude)
        if scale >= 0 {
            if mantissa != 0 { digits += String(repeating: "0", count: scale) }
        } else {
            let frac = -scale
            if digits.count <= frac { digits = String(repeating: "0", count: frac - digits.count + 1) + digits }
            let idx = digits.index(digits.endIndex, offsetBy: -frac)
            var fracPart = String(digits[idx...])
            while fracPart.hasSuffix("0") { fracPart.removeLast() }
            digits = String(digits[..<idx]) + (fracPart.isEmpty ? "" : "." + fracPart)
        }
        return (negative ? "-" : "") + digits
    }
}

/// `kubernetes.Quantity` values.
final class QuantityValue: CELOpaqueValue {
    let quantity: ResourceQuantity
    let source: String?
    init(_ quantity: ResourceQuantity, source: String? = nil) {
        self.quantity = quantity
        self.source = source
    }
    var celType: CELType { .named("kubernetes.Quantity") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool {
        guard let o = other as? QuantityValue else { return false }
        return quantity.compare(o.quantity) == 0
    }
    var celDescription: String { "quantity(\(CELValue.quote(source ?? quantity.text)))" }
}

/// The Kubernetes quantity library (quantity.go): `quantity`, `isQuantity`, `sign`, `isInteger`,
/// `asInteger`, `asApproximateFloat`, `add`, `sub`, `isGreaterThan`, `isLessThan`, `compareTo`.
/// (`mul`, `div`, `divInt` of newer revisions are not implemented.)
enum KubernetesQuantity {
    static func quantity(_ v: CELValue) -> ResourceQuantity? {
        if case .opaque(let o) = v, let q = o as? QuantityValue { return q.quantity }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.global("quantity") { v in
            guard case .string(let s) = v else { return nil }
            switch ResourceQuantity.parse(s) {
            case .success(let q): return .opaque(QuantityValue(q, source: s))
            case .failure(let e): return .error(e.text)
            }
        }
        t.global("isQuantity") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = ResourceQuantity.parse(s) { return .bool(true) }
            return .bool(false)
        }
        t.both("sign") { v in quantity(v).map { .int(Int64($0.sign)) } }
        t.member("isInteger") { v in quantity(v).map { .bool($0.asInt64 != nil) } }
        t.member("asInteger") { v in
            guard let q = quantity(v) else { return nil }
            return q.asInt64.map(CELValue.int) ?? .error("cannot convert value to integer")
        }
        t.member("asApproximateFloat") { v in quantity(v).map { .double($0.approximate) } }
        t.member("isGreaterThan") { a, b in
            guard let x = quantity(a), let y = quantity(b) else { return nil }
            return .bool(x.compare(y) == 1)
        }
        t.member("isLessThan") { a, b in
            guard let x = quantity(a), let y = quantity(b) else { return nil }
            return .bool(x.compare(y) == -1)
        }
        t.member("compareTo") { a, b in
            guard let x = quantity(a), let y = quantity(b) else { return nil }
            return .int(Int64(x.compare(y)))
        }
        t.member("add") { a, b in arithmetic(a, b, negate: false) }
        t.member("sub") { a, b in arithmetic(a, b, negate: true) }
    }

    static func arithmetic(_ a: CELValue, _ b: CELValue, negate: Bool) -> CELValue? {
        guard let x = quantity(a) else { return nil }
        var y: ResourceQuantity
        if let q = quantity(b) {
            y = q
        } else if case .int(let i) = b {
            y = ResourceQuantity(mantissa: Int128(i), scale: 0)
        } else {
            return nil
        }
        if negate { y = y.negated }
        guard let r = x.adding(y) else { return .error("quantity overflow") }
        return .opaque(QuantityValue(r))
    }
}
