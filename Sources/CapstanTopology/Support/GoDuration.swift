/// Go `time.Duration` text, as `metav1.Duration` fields carry it in v1beta1 objects and v1beta1-contract
/// control planes.
enum GoDuration {
    /// Parses `1h2m3.5s`, `300ms`, `-1m` into seconds (nil when malformed), as `time.ParseDuration`.
    static func seconds(_ text: String) -> Double? {
        var s = Substring(text)
        var negative = false
        if s.first == "-" || s.first == "+" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        if s == "0" { return 0 }
        if s.isEmpty { return nil }
        var total = 0.0
        while !s.isEmpty {
            let numEnd = s.firstIndex { !($0.isNumber || $0 == ".") } ?? s.endIndex
            guard numEnd != s.startIndex, let n = Double(s[..<numEnd]) else { return nil }
            s = s[numEnd...]
            let unitEnd = s.firstIndex { $0.isNumber || $0 == "." } ?? s.endIndex
            let unit = s[..<unitEnd]
            s = s[unitEnd...]
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += n * scale
        }
        return negative ? -total : total
    }

    /// `clusterv1.ConvertToSeconds`: truncated toward zero, capped at 2147483647.
    static func convertToSeconds(_ text: String) -> Int64? {
        guard let s = seconds(text) else { return nil }
        let t = s.rounded(.towardZero)
        return t > 2147483647 ? 2147483647 : Int64(t)
    }

    /// `time.Duration(seconds * time.Second).String()` for whole seconds: `0s`, `20s`, `1m30s`, `1h0m0s`.
    static func format(seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        let sign = seconds < 0 ? "-" : ""
        var s = seconds.magnitude
        let h = s / 3600
        s %= 3600
        let m = s / 60
        s %= 60
        if h > 0 { return "\(sign)\(h)h\(m)m\(s)s" }
        if m > 0 { return "\(sign)\(m)m\(s)s" }
        return "\(sign)\(s)s"
    }
}
