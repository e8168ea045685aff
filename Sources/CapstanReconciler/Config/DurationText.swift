import CapstanModel

/// Durations as configuration writes them, in Go's `time.ParseDuration` form: `90s`, `1m30s`, `500ms`, `2h`,
/// `1.5m` (units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`; a bare `0` is zero).
public enum DurationText {
    /// The duration `text` writes, or nil when it is not one.
    public static func parse(_ text: String) -> Duration? {
        let s = text.trimmed
        if s == "0" { return .zero }
        guard !s.isEmpty, !s.hasPrefix("-") else { return nil }
        guard let ns = GoDuration.parse(s) else { return nil }
        return .milliseconds(Int64((Double(ns) / 1e6).rounded()))
    }

    /// `1m30s`, `500ms`, `0s`: the shortest form `parse` reads back (millisecond precision).
    public static func format(_ d: Duration) -> String {
        let ms = Int64(d.components.seconds) * 1000 + Int64(d.components.attoseconds / 1_000_000_000_000_000)
        if ms == 0 { return "0s" }
        if ms % 1000 != 0 && ms < 1000 { return "\(ms)ms" }
        var out = ""
        var seconds = ms / 1000
        let millis = ms % 1000
        if seconds >= 3600 { out += "\(seconds / 3600)h"; seconds %= 3600 }
        if seconds >= 60 { out += "\(seconds / 60)m"; seconds %= 60 }
        if seconds > 0 || millis > 0 {
            out += millis > 0 ? "\(seconds).\(String(format3: millis))s" : "\(seconds)s"
        }
        return out
    }
}

extension Duration {
    /// Seconds as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Three digits, zero-padded, trailing zeros dropped (`5` → `005`, `500` → `5`).
    fileprivate init(format3 value: Int64) {
        var s = String(value)
        while s.count < 3 { s = "0" + s }
        while s.hasSuffix("0") { s.removeLast() }
        self = s
    }
}
