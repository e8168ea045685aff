import CapstanRegex
import CapstanModel

/// The standard definitions of the CEL language (`doc/langdef.md`, "Standard Definitions"): size,
/// string tests, `matches`, type conversions, `type`, `dyn`, and the timestamp/duration accessors.
/// Operators have dedicated nodes (see Nodes+Operators.swift).
enum Standard {
    static func register(_ t: inout FunctionTable) {
        t.both("size") { v in
            switch v {
            case .string(let s): .int(Int64(CodePoints.count(s)))
            case .bytes(let b): .int(Int64(b.count))
            case .list(let l): .int(Int64(l.count))
            case .map(let m): .int(Int64(m.count))
            default: nil
            }
        }
        t.member("contains", cost: .product) { s, sub in
            guard case .string(let x) = s, case .string(let y) = sub else { return nil }
            return .bool(CodePoints.contains(x, y))
        }
        t.member("startsWith", cost: .traverse(1)) { s, p in
            guard case .string(let x) = s, case .string(let y) = p else { return nil }
            return .bool(CodePoints.hasPrefix(x, y))
        }
        t.member("endsWith", cost: .traverse(1)) { s, p in
            guard case .string(let x) = s, case .string(let y) = p else { return nil }
            return .bool(CodePoints.hasSuffix(x, y))
        }
        t.both("matches", cost: .regex) { s, p in
            guard case .string(let x) = s, case .string(let pattern) = p else { return nil }
            switch RegexCache.shared.compile(pattern) {
            case .success(let re): return .bool(re.matches(x))
            case .failure(let e): return .error(e.message)
            }
        }
        registerConversions(&t)
        registerTime(&t)
    }

    // MARK: - Conversions

    static let typeConversionError = "type conversion error"

    static func registerConversions(_ t: inout FunctionTable) {
        t.global("dyn") { v in v }
        t.global("type") { v in .type(v.celType) }
        t.global("int") { v in
            switch v {
            case .int: return v
            case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : Operators.intOverflow
            case .double(let d): return doubleToInt(d)
            case .string(let s):
                guard let i = Int64(s) else { return .error("cannot convert string '\(s)' to int") }
                return .int(i)
            case .timestamp(let ts): return .int(ts.seconds)
            case .duration(let d): return .int(d.nanoseconds)
            default: return nil
            }
        }
        t.global("uint") { v in
            switch v {
            case .uint: return v
            case .int(let i): return i >= 0 ? .uint(UInt64(i)) : Operators.uintOverflow
            case .double(let d):
                guard d.isFinite, d > -1, d < 18_446_744_073_709_551_616.0 else { return Operators.uintOverflow }
                return .uint(UInt64(d.rounded(.towardZero)))
            case .string(let s):
                guard let u = UInt64(s) else { return .error("cannot convert string '\(s)' to uint") }
                return .uint(u)
            default: return nil
            }
        }
        t.global("double") { v in
            switch v {
            case .double: return v
            case .int(let i): return .double(Double(i))
            case .uint(let u): return .double(Double(u))
            case .string(let s):
                guard let d = parseGoFloat(s) else { return .error("cannot convert string '\(s)' to double") }
                return .double(d)
            default: return nil
            }
        }
        t.global("string", cost: .traverse(0)) { v in
            switch v {
            case .string: return v
            case .bool(let b): return .string(b ? "true" : "false")
            case .int(let i): return .string(String(i))
            case .uint(let u): return .string(String(u))
            case .double(let d): return .string(GoFloat.formatG(d))
            case .bytes(let b):
                guard let s = String(validating: b, as: UTF8.self) else {
                    return .error("invalid UTF-8 in bytes, cannot convert to string")
                }
                return .string(s)
            case .timestamp(let ts): return .string(ts.rfc3339)
            case .duration(let d): return .string(d.text)
            default: return nil
            }
        }
        t.global("bytes", cost: .traverse(0)) { v in
            switch v {
            case .bytes: return v
            case .string(let s): return .bytes(Array(s.utf8))
            default: return nil
            }
        }
        t.global("bool") { v in
            switch v {
            case .bool: return v
            case .string(let s):
                switch s {
                case "1", "t", "true", "TRUE", "True": return .bool(true)
                case "0", "f", "false", "FALSE", "False": return .bool(false)
                default: return .error("type conversion error from 'string' to 'bool'")
                }
            default: return nil
            }
        }
        t.global("timestamp") { v in
            switch v {
            case .timestamp: return v
            case .string(let s):
                guard let ts = CELTimestamp(rfc3339: s) else {
                    return .error("timestamp conversion error: cannot parse '\(s)' as RFC 3339")
                }
                return .timestamp(ts)
            case .int(let i):
                guard let ts = CELTimestamp(seconds: i) else { return Operators.timestampOverflow }
                return .timestamp(ts)
            default: return nil
            }
        }
        t.global("duration") { v in
            switch v {
            case .duration: return v
            case .string(let s):
                guard let d = CELDuration(text: s) else { return .error("invalid duration: '\(s)'") }
                return .duration(d)
            default: return nil
            }
        }
    }

    /// `int(double)`: truncation toward zero; the value must lie strictly inside the int64 range.
    static func doubleToInt(_ d: Double) -> CELValue {
        guard d.isFinite, d > -9_223_372_036_854_775_808.0, d < 9_223_372_036_854_775_808.0 else {
            return Operators.intOverflow
        }
        return .int(Int64(d.rounded(.towardZero)))
    }

    /// Go's `strconv.ParseFloat(s, 64)` for the forms CEL sees: decimal, exponent, "NaN", "Inf", "Infinity".
    static func parseGoFloat(_ s: String) -> Double? {
        var body = Substring(s)
        var sign = 1.0
        if body.hasPrefix("+") || body.hasPrefix("-") {
            sign = body.hasPrefix("-") ? -1 : 1
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        return Double(s)
    }

    // MARK: - Timestamps and durations

    /// The civil fields of a timestamp in a zone.
    struct Civil {
        var year, month, day, hour, minute, second, dayOfWeek, dayOfYear: Int
        var nanos: Int32
    }

    static func civil(_ ts: CELTimestamp, zone: String?) -> Result<Civil, CELEvalErrorMessage> {
        var offset = 0
        if let zone {
            switch TimeZones.offset(zone, at: ts) {
            case .success(let o): offset = o
            case .failure(let e): return .failure(e)
            }
        }
        let (days, sod) = CivilTime.split(ts.seconds + Int64(offset))
        let (y, m, d) = CivilTime.civil(fromDays: days)
        let jan1 = CivilTime.days(fromYear: y, month: 1, day: 1)
        var dow = Int((days + 4) % 7)
        if dow < 0 { dow += 7 }
        return .success(Civil(year: y, month: m, day: d, hour: Int(sod / 3600), minute: Int(sod / 60 % 60),
                              second: Int(sod % 60), dayOfWeek: dow, dayOfYear: Int(days - jan1), nanos: ts.nanos))
    }

    static func registerTime(_ t: inout FunctionTable) {
        let fields: [(String, @Sendable (Civil) -> Int)] = [
            ("getFullYear", { $0.year }), ("getMonth", { $0.month - 1 }), ("getDate", { $0.day }),
            ("getDayOfMonth", { $0.day - 1 }), ("getDayOfWeek", { $0.dayOfWeek }), ("getDayOfYear", { $0.dayOfYear }),
            ("getHours", { $0.hour }), ("getMinutes", { $0.minute }), ("getSeconds", { $0.second }),
            ("getMilliseconds", { Int($0.nanos / 1_000_000) }),
        ]
        for (name, field) in fields {
            t.member(name) { v in
                guard case .timestamp(let ts) = v else { return nil }
                switch civil(ts, zone: nil) {
                case .success(let c): return .int(Int64(field(c)))
                case .failure(let e): return .error(e.text)
                }
            }
            t.member(name) { v, z in
                guard case .timestamp(let ts) = v, case .string(let zone) = z else { return nil }
                switch civil(ts, zone: zone) {
                case .success(let c): return .int(Int64(field(c)))
                case .failure(let e): return .error(e.text)
                }
            }
        }
        let durationFields: [(String, @Sendable (Int64) -> Int64)] = [
            ("getHours", { $0 / 3_600_000_000_000 }), ("getMinutes", { $0 / 60_000_000_000 }),
            ("getSeconds", { $0 / 1_000_000_000 }), ("getMilliseconds", { $0 % 1_000_000_000 / 1_000_000 }),
        ]
        for (name, field) in durationFields {
            t.member(name) { v in
                guard case .duration(let d) = v else { return nil }
                return .int(field(d.nanoseconds))
            }
        }
    }
}
