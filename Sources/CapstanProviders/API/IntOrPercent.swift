import CapstanModel

/// A Kubernetes `IntOrString` used as a count or a percentage (`maxSurge`, `maxUnavailable`,
/// `unhealthyLessThanOrEqualTo`).
enum IntOrPercent: Sendable, Hashable {
    case count(Int)
    case percent(Int)

    /// Reads `3`, `"3"` or `"25%"`; nil for anything else.
    init?(_ v: Value?) {
        switch v {
        case .int(let i)?: self = .count(Int(i))
        case .string(let s)?:
            if s.hasSuffix("%"), let p = Int(s.dropLast()) { self = .percent(p) } else if let i = Int(s) { self = .count(i) } else { return nil }
        default: return nil
        }
    }

    /// The absolute value for `total` (percentages rounded up or down, as `intstr.GetScaledValueFromIntOrPercent`).
    func scaled(_ total: Int, roundUp: Bool) -> Int {
        switch self {
        case .count(let c): return c
        case .percent(let p):
            let num = p * total
            return roundUp ? (num + 99) / 100 : num / 100
        }
    }
}
