/// Makes object uids.
public protocol UIDGenerator: Sendable {
    func next() -> String
}

/// Random (version 4) UUIDs in the lower-case form Kubernetes uses.
public struct RandomUIDGenerator: UIDGenerator {
    public init() {}

    public func next() -> String {
        var g = SystemRandomNumberGenerator()
        let hi = (g.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        let lo = (g.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, nibble) in (0..<32).enumerated() {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? hi : lo
            out.append(digits[Int((word >> UInt64(60 - (nibble % 16) * 4)) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Deterministic uids (`00000000-0000-4000-8000-000000000001`, ...) for tests and golden files.
public final class SequentialUIDGenerator: UIDGenerator {
    private let counter = Locked<Int>(0)

    public init() {}

    public func next() -> String {
        let n = counter.withLock { c -> Int in
            c += 1
            return c
        }
        let digits = String(n, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}
