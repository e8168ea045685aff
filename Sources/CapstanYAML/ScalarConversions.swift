import CapstanModel

/// Turning resolved scalars into `Value`s and map keys, with the quirks of the YAML → JSON step
/// sigs.k8s.io/yaml and Kubernetes apply.
enum ScalarConversions {
    /// Why a scalar cannot become a value or key.
    enum Problem: Error {
        case notJSON(String)
        case unsupportedKey(String)
    }

    /// The value of a resolved scalar. Under `.kubernetes` typing an integral float that fits int64
    /// becomes an int: Kubernetes sends the value through JSON, where Go writes `1.0` as `1`, and its
    /// unstructured decoder reads integral JSON numbers as int64. A float beyond int64 stays a double, and
    /// so does an integer above int64 (go-yaml's uint64), which the same JSON step turns into a float64.
    @inline(__always)
    static func value(_ r: Resolved, text: () -> String, typing: YAMLParseOptions.Typing) throws(Problem) -> Value {
        switch r {
        case .string: return .string(text())
        case .int(let i): return .int(i)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .uint(let u): return .double(Double(u))
        case .float(let d):
            guard d.isFinite else {
                throw .notJSON("\(text()) is not a number JSON can carry (Kubernetes rejects .inf and .nan); quote it if a string is meant")
            }
            if typing == .kubernetes, let i = Int64(exactly: d) { return .int(i) }
            return .double(d)
        }
    }

    /// A map key as sigs.k8s.io/yaml turns a resolved key into a JSON object key: numbers and bools become
    /// their Go string form (a float key is formatted as a float32, `%g`-style), null is an error.
    static func key(_ r: Resolved, text: () -> String) throws(Problem) -> String {
        switch r {
        case .string: return text()
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .float(let d): return float32KeyString(d)
        case .null:
            throw .unsupportedKey("a null mapping key cannot become a JSON object key; quote it (\"\(text())\") if a string is meant")
        case .uint:
            throw .unsupportedKey("the mapping key \(text()) is an unsigned 64-bit integer, which sigs.k8s.io/yaml does not support; quote it")
        }
    }

    /// The key form of a value reached through an alias used as a key.
    static func key(of value: Value) throws(Problem) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .double(let d): return float32KeyString(d)
        case .null: throw .unsupportedKey("a null mapping key cannot become a JSON object key")
        case .list, .map: throw .unsupportedKey("a map or list cannot be a mapping key")
        }
    }

    /// `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's names for the specials (`.inf`, `-.inf`, `.nan`).
    static func float32KeyString(_ d: Double) -> String {
        let f = Float(d)
        if f.isNaN { return ".nan" }
        if f.isInfinite { return f < 0 ? "-.inf" : ".inf" }
        if f == 0 { return f.sign == .minus ? "-0" : "0" }
        let (digits, point) = shortestDigits(f)
        let exponent = point - 1
        var out = f < 0 ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            out.append(digits[digits.startIndex])
            if digits.count > 1 { out += "." + digits.dropFirst() }
            out += exponent < 0 ? "e-" : "e+"
            let e = abs(exponent)
            out += e < 10 ? "0\(e)" : "\(e)"
        } else if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out += digits + String(repeating: "0", count: point - digits.count)
        } else {
            out += digits.prefix(point) + "." + digits.dropFirst(point)
        }
        return out
    }

    /// The shortest round-tripping decimal digits of a float32 and the decimal point position
    /// (`value = 0.d1d2... × 10^point`), read from Swift's shortest description.
    private static func shortestDigits(_ f: Float) -> (digits: String, point: Int) {
        let text = abs(f).description  // "1.5", "1e-05", "1.2345679e+08"
        var digits = ""
        var pointInMantissa: Int?
        var exponent = 0
        var rest = Substring(text)
        while let c = rest.first, c != "e", c != "E" {
            rest = rest.dropFirst()
            if c == "." { pointInMantissa = digits.count } else { digits.append(c) }
        }
        if !rest.isEmpty { exponent = Int(rest.dropFirst()) ?? 0 }
        var point = (pointInMantissa ?? digits.count) + exponent
        while digits.first == "0", digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0", digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}

/// Go's `base64.StdEncoding.DecodeString` for `!!binary` scalars: padding required, `\r` and `\n`
/// ignored, anything else outside the alphabet is an error.
enum Base64 {
    static func decode(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3 / 4)
        var quad: [UInt8] = []
        quad.reserveCapacity(4)
        var padding = 0
        for c in s {
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { continue }
            if padding > 0 && c != UInt8(ascii: "=") { return nil }
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                guard quad.count >= 2 else { return nil }
                padding += 1
                v = 0
            default: return nil
            }
            quad.append(v)
            if quad.count == 4 {
                let n = UInt32(quad[0]) << 18 | UInt32(quad[1]) << 12 | UInt32(quad[2]) << 6 | UInt32(quad[3])
                out.append(UInt8(n >> 16 & 0xFF))
                if padding < 2 { out.append(UInt8(n >> 8 & 0xFF)) }
                if padding < 1 { out.append(UInt8(n & 0xFF)) }
                quad.removeAll(keepingCapacity: true)
                if padding > 0 { padding = 3 }  // nothing may follow a padded quantum
            }
        }
        guard quad.isEmpty else { return nil }
        return out
    }
}
