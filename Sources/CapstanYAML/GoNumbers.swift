/// Go's `strconv` number parsing, as far as YAML 1.1 resolution depends on it (facts from Go's
/// `strconv/atoi.go` and `atof.go`; our code). Every function works on bytes and returns nil where Go
/// returns an error.
enum GoNumbers {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// `strconv.ParseUint(s, base, 64)`; base 0 reads Go prefixes (`0x`, `0o`, `0b`, and a bare leading
    /// `0` for octal). Callers have already removed underscores, so none are accepted here.
    static func parseUint(_ s: Bytes, base: Int) -> UInt64? {
        guard !s.isEmpty else { return nil }
        var digits = s[...]
        var radix = UInt64(base)
        if base == 0 {
            radix = 10
            if s[0] == UInt8(ascii: "0") {
                let second = s.count >= 3 ? s[1] | 0x20 : 0
                switch second {
                case UInt8(ascii: "b"): radix = 2; digits = s[2...]
                case UInt8(ascii: "o"): radix = 8; digits = s[2...]
                case UInt8(ascii: "x"): radix = 16; digits = s[2...]
                default: radix = 8; digits = s[1...]
                }
            }
        }
        var n: UInt64 = 0
        for c in digits {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard d < radix else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = a
        }
        return n
    }

    /// `strconv.ParseInt(s, base, 64)`: an optional sign, then `parseUint` within int64's range.
    static func parseInt(_ s: Bytes, base: Int) -> Int64? {
        guard let first = s.first else { return nil }
        var negative = false
        var rest = s
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            rest = UnsafeBufferPointer(rebasing: s[1...])
        }
        guard let u = parseUint(rest, base: base) else { return nil }
        if negative {
            if u == UInt64(Int64.max) + 1 { return Int64.min }
            return u <= UInt64(Int64.max) ? -Int64(u) : nil
        }
        return u <= UInt64(Int64.max) ? Int64(u) : nil
    }

    /// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    static func isYAMLStyleFloat(_ s: Bytes) -> Bool {
        var i = 0
        let n = s.count
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        if i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        if i < n, s[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < n, isDigit(s[i]) { i += 1 }
            if i == start { return false }
        } else {
            let start = i
            while i < n, isDigit(s[i]) { i += 1 }
            if i == start { return false }
            if i < n, s[i] == UInt8(ascii: ".") {
                i += 1
                while i < n, isDigit(s[i]) { i += 1 }
            }
        }
        if i < n, s[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            let start = i
            while i < n, isDigit(s[i]) { i += 1 }
            if i == start { return false }
        }
        return i == n
    }

    /// `strconv.ParseFloat(s, 64)` for decimal text already checked by `isYAMLStyleFloat`: nil when the
    /// value overflows (Go reports a range error); underflow gives zero, as in Go.
    static func parseDecimalFloat(_ s: Bytes) -> Double? {
        let text = String(decoding: s, as: UTF8.self)
        guard let d = Double(text), d.isFinite else { return nil }
        return d
    }

    /// `strconv.ParseFloat(s, 64)` for text starting with `.` (go-yaml's `.` hint): digits, an optional
    /// exponent, and underscores only between digits.
    static func parseDotFloat(_ s: Bytes) -> Double? {
        guard s.count >= 2, s[0] == UInt8(ascii: ".") else { return nil }
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(s.count)
        var previous: UInt8 = UInt8(ascii: ".")  // the class of the last byte: digit or not
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        for c in s {
            if c == UInt8(ascii: "_") {
                guard isDigit(previous) else { return nil }
            } else {
                if previous == UInt8(ascii: "_"), !isDigit(c) { return nil }
                cleaned.append(c)
            }
            previous = c
        }
        if previous == UInt8(ascii: "_") { return nil }
        return cleaned.withUnsafeBufferPointer { p in
            guard isYAMLStyleFloat(p) else { return nil }
            return parseDecimalFloat(p)
        }
    }
}

/// go-yaml v2's timestamp test (`parseTimestamp`), needed only for `!!timestamp`-tagged scalars:
/// `YYYY-M-D`, optionally followed by `T`/`t`/space, `h:m:s`, a fraction, and (for `T`/`t`) `Z` or `±hh:mm`.
enum GoTimestamp {
    static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        func number(maxDigits: Int) -> Int? {
            var v = 0
            let start = i
            while i < n, i - start < maxDigits, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
                v = v * 10 + Int(s[i] - UInt8(ascii: "0"))
                i += 1
            }
            return i == start ? nil : v
        }
        func expect(_ c: Character) -> Bool {
            guard i < n, s[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        let yearStart = i
        guard let year = number(maxDigits: 4), i - yearStart == 4, expect("-"),
            let month = number(maxDigits: 2), (1...12).contains(month), expect("-"),
            let day = number(maxDigits: 2), day >= 1, day <= daysIn(month: month, year: year)
        else { return false }
        if i == n { return true }
        let separator = s[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        i += 1
        guard let h = number(maxDigits: 2), h < 24, expect(":"), let m = number(maxDigits: 2), m < 60, expect(":"),
            let sec = number(maxDigits: 2), sec < 60
        else { return false }
        if i < n, s[i] == UInt8(ascii: ".") {
            i += 1
            guard number(maxDigits: 9) != nil else { return false }
        }
        if separator == UInt8(ascii: " ") { return i == n }
        if expect("Z") { return i == n }
        guard i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return false }
        i += 1
        let zoneStart = i
        guard let zh = number(maxDigits: 2), i - zoneStart == 2, zh < 24, expect(":") else { return false }
        let minuteStart = i
        guard let zm = number(maxDigits: 2), i - minuteStart == 2, zm < 60 else { return false }
        return i == n
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
