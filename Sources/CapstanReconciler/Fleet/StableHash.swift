/// A 128-bit FNV-1a-style hash that is the same in every process (Swift's `Hasher` is seeded per process),
/// so input hashes written into the inventory still mean the same after a restart. It keys caches; it is not
/// a cryptographic digest.
struct StableHash: Sendable {
    private var a: UInt64 = 0xCBF2_9CE4_8422_2325
    private var b: UInt64 = 0x8422_2325_CBF2_9CE4

    init() {}

    /// Mixes in a string and a separator, so `("ab", "c")` and `("a", "bc")` differ.
    mutating func combine(_ s: String) {
        for byte in s.utf8 { mix(byte) }
        mix(0xFF)
    }

    mutating func combine(_ parts: String...) { for p in parts { combine(p) } }

    private mutating func mix(_ byte: UInt8) {
        a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        b = (b ^ UInt64(byte) ^ (a >> 29)) &* 0x0000_0100_0000_01B3
    }

    /// 32 hex digits.
    var hex: String {
        func h(_ x: UInt64) -> String {
            var x = x
            x ^= x >> 33
            x = x &* 0xFF51_AFD7_ED55_8CCD
            x ^= x >> 33
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return h(a) + h(b)
    }

    /// The hash of some strings.
    static func of(_ parts: [String]) -> String {
        var h = StableHash()
        for p in parts { h.combine(p) }
        return h.hex
    }
}
