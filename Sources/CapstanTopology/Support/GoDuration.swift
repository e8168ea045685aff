import CapstanModel

/// Go `time.Duration` text as `metav1.Duration` fields carry it in v1beta1 objects and v1beta1-contract
/// control planes (parsing: `CapstanModel.GoDuration`).
extension GoDuration {
    /// `clusterv1.ConvertToSeconds`: truncated toward zero, capped at 2147483647.
    static func convertToSeconds(_ text: String) -> Int64? {
        guard let s = seconds(text) else { return nil }
        let t = s.rounded(.towardZero)
        return t > 2147483647 ? 2147483647 : Int64(t)
    }

    /// `time.Duration(seconds * time.Second).String()` for whole seconds: `0s`, `20s`, `1m30s`, `1h0m0s`.
    static func format(seconds: Int64) -> String { string(seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue) }
}
