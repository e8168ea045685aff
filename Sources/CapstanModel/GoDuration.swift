/// Go's `time.Duration` text form and `time.ParseDuration` (nanoseconds in an `Int64`), shared by templates,
/// the renderer (v1beta1 `metav1.Duration` fields), the controllers and configuration.
public enum GoDuration {
    /// `Duration.String()` for nanoseconds: `1h2m3s`, `1.5s`, `300ms`, `0s`.
    public static func string(_ d: Int64) -> String {
        var u = d.magnitude
        let neg = d < 0
        var out = ""
        func frac(_ v: UInt64, _ prec: Int) -> (String, UInt64) {
            var v = v
            var digits = ""
            var print = false
            for _ in 0..<prec {
                let digit = v % 10
                print = print || digit != 0
                if print { digits = String(digit) + digits }
                v /= 10
            }
            return (print ? "." + digits : "", v)
        }
        if u < 1_000_000_000 {
            if u == 0 { return "0s" }
            let (prec, unit): (Int, String) = u < 1000 ? (0, "ns") : (u < 1_000_000 ? (3, "µs") : (6, "ms"))
            let (f, rest) = frac(u, prec)
            out = String(rest) + f + unit
        } else {
            let (f, secs) = frac(u, 9)
            u = secs
            out = String(u % 60) + f + "s"
            u /= 60
            if u > 0 {
                out = String(u % 60) + "m" + out
                u /= 60
                if u > 0 { out = String(u) + "h" + out }
            }
        }
        return neg ? "-" + out : out
    }

    /// `time.ParseDuration`, nil on error.
    public static func parse(_ s: String) -> Int64? {
        var rest = Substring(s)
        var neg = false
        if let f = rest.first, f == "-" || f == "+" {
            neg = f == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let v = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += v * unit.1
        }
        if total > 9.223372036854775807e18 { return nil }
        let ns = Int64(total)
        return neg ? -ns : ns
    }

    /// `time.ParseDuration` as seconds (fractional), nil on error.
    public static func seconds(_ s: String) -> Double? { parse(s).map { Double($0) / 1e9 } }

    /// `time.ParseDuration` as a Swift `Duration`, nil on error.
    public static func duration(_ s: String) -> Duration? { parse(s).map { .nanoseconds($0) } }
}
