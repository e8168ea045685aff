/// Generates object names the way Kubernetes' `generateName` does (`<prefix><5 characters>` from an alphabet
/// without vowels), from a seeded generator so a simulation is reproducible.
final class NameGenerator: Sendable {
    private let state: Guarded<UInt64>
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    init(seed: UInt64) { state = Guarded(seed) }

    /// `prefix` plus five random characters.
    func next(prefix: String) -> String {
        let suffix = state.withLock { s -> String in
            var out = ""
            for _ in 0..<5 {
                out.append(Self.alphabet[Int(Self.splitMix(&s) % UInt64(Self.alphabet.count))])
            }
            return out
        }
        return prefix + suffix
    }

    /// SplitMix64: a small, well-mixed deterministic generator.
    static func splitMix(_ s: inout UInt64) -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
