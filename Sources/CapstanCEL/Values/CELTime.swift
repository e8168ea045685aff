import CapstanModel

/// A point in time (`google.protobuf.Timestamp`): seconds since the Unix epoch plus nanoseconds,
/// limited to 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999999Z.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    public let seconds: Int64
    public let nanos: Int32

    static let minSeconds: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maxSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    /// A timestamp, or nil outside the CEL range. `nanos` is normalised into 0..<1e9.
    public init?(seconds: Int64, nanos: Int64 = 0) {
        let (q, r) = nanos.quotientAndRemainder(dividingBy: 1_000_000_000)
        var s = seconds.addingReportingOverflow(q)
        var n = r
        if n < 0 {
            n += 1_000_000_000
            s = s.partialValue.subtractingReportingOverflow(1)
        }
        guard !s.overflow, s.partialValue >= Self.minSeconds, s.partialValue <= Self.maxSeconds else { return nil }
        self.seconds = s.partialValue
        self.nanos = Int32(n)
    }

    public static func < (a: CELTimestamp, b: CELTimestamp) -> Bool {
        (a.seconds, a.nanos) < (b.seconds, b.nanos)
    }

    /// RFC 3339 in UTC with fractional seconds only when non-zero (Go's `time.RFC3339Nano`).
    public var rfc3339: String { format(offsetSeconds: 0) }

    /// RFC 3339 in a fixed offset.
    func format(offsetSeconds: Int) -> String {
        let local = seconds + Int64(offsetSeconds)
        let (days, secOfDay) = CivilTime.split(local)
        let (y, m, d) = CivilTime.civil(fromDays: days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        s += pad(Int(secOfDay / 3600), 2) + ":" + pad(Int(secOfDay / 60 % 60), 2) + ":" + pad(Int(secOfDay % 60), 2)
        if nanos != 0 {
            var frac = pad(Int(nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        if offsetSeconds == 0 { return s + "Z" }
        let o = abs(offsetSeconds) / 60
        return s + (offsetSeconds < 0 ? "-" : "+") + pad(o / 60, 2) + ":" + pad(o % 60, 2)
    }

    /// Parses RFC 3339 (`2006-01-02T15:04:05.999999999Z07:00`) as Go's `time.Parse(time.RFC3339, s)` does.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t")
        else { return nil }
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2) else {
            return nil
        }
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if count < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanos *= 10 }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let negative = b[i] == UInt8(ascii: "-")
            i += 1
            guard let oh = digits(2), expect(58), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilTime.days(fromYear: year, month: month, day: day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        self.init(seconds: secs, nanos: nanos)
    }
}

/// A signed span of time (`google.protobuf.Duration`) in nanoseconds (the int64 range, about ±292 years).
public struct CELDuration: Sendable, Hashable, Comparable {
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func < (a: CELDuration, b: CELDuration) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Seconds with an `s` suffix, shortest form (`"1.5s"`, `"-0.000000001s"`), as cel-go prints durations.
    public var text: String {
        let seconds = Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9
        return GoFloat.formatF(seconds) + "s"
    }

    /// Parses Go's duration syntax (`1h2m3.5s`, `-1.5ms`, `0`); nil when invalid or out of range.
    public init?(text: String) {
        let b = Array(text.utf8)
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        if b.count - i == 1, b[i] == UInt8(ascii: "0") {
            self.nanoseconds = 0
            return
        }
        guard i < b.count else { return nil }
        var total: UInt64 = 0
        while i < b.count {
            // Integer part.
            var whole: UInt64 = 0
            var sawDigits = false
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b[i] - 48))
                guard !o1, !o2 else { return nil }
                whole = a
                sawDigits = true
                i += 1
            }
            // Fraction.
            var frac: UInt64 = 0
            var scale: Double = 1
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if frac < UInt64.max / 100 {
                        frac = frac * 10 + UInt64(b[i] - 48)
                        scale *= 10
                    }
                    sawDigits = true
                    i += 1
                }
            }
            guard sawDigits else { return nil }
            // Unit.
            let start = i
            while i < b.count, !(b[i] >= 48 && b[i] <= 57), b[i] != UInt8(ascii: ".") { i += 1 }
            let unit: UInt64
            switch String(decoding: b[start..<i], as: UTF8.self) {
            case "ns": unit = 1
            case "us", "µs", "μs": unit = 1_000
            case "ms": unit = 1_000_000
            case "s": unit = 1_000_000_000
            case "m": unit = 60_000_000_000
            case "h": unit = 3_600_000_000_000
            default: return nil
            }
            let (w, o1) = whole.multipliedReportingOverflow(by: unit)
            guard !o1 else { return nil }
            let f = UInt64((Double(frac) * (Double(unit) / scale)).rounded(.down))
            let (t1, o2) = total.addingReportingOverflow(w)
            let (t2, o3) = t1.addingReportingOverflow(f)
            guard !o2, !o3 else { return nil }
            total = t2
        }
        if negative {
            guard total <= UInt64(Int64.max) + 1 else { return nil }
            self.nanoseconds = total == UInt64(Int64.max) + 1 ? Int64.min : -Int64(total)
        } else {
            guard total <= UInt64(Int64.max) else { return nil }
            self.nanoseconds = Int64(total)
        }
    }
}

/// Proleptic Gregorian calendar arithmetic (days since 1970-01-01), after Howard Hinnant's algorithms.
enum CivilTime {
    static func days(fromYear y0: Int, month m: Int, day d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Splits seconds since the epoch into days and the second of the day (floor division).
    static func split(_ seconds: Int64) -> (days: Int64, secondOfDay: Int64) {
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        return (days, rem)
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
