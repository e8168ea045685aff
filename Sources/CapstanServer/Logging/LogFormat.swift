/// How log records are written, chosen with `capstan run --log-format`.
public enum LogFormat: String, Sendable, CaseIterable {
    /// For people: `2026-11-21T06:00:00Z info reconciler: message key=value` (logfmt-style metadata).
    case text
    /// For machines: one JSON object per line with `time`, `level`, `label`, `message`, `metadata`.
    case json
}
