import Foundation
import Crypto

/// A webhook secret. Its text never leaves this type: `description` and `debugDescription` print `<redacted>`,
/// so a secret interpolated into a log line or an error by mistake shows nothing.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// A secret from its text as configured (file or environment); surrounding whitespace and a trailing
    /// newline from a secret file are removed. Returns nil for an empty secret, which would disable checking.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        bytes = Array(trimmed.utf8)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// True when `hexSignature` is the lower- or upper-case hex HMAC-SHA256 of `body` under this secret.
    /// The comparison is constant-time (swift-crypto's `isValidAuthenticationCode`).
    func verifyHMACSHA256(hexSignature: Substring, body: [UInt8]) -> Bool {
        guard let mac = Hex.decode(hexSignature), mac.count == SHA256.byteCount else { return false }
        let key = SymmetricKey(data: bytes)
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key)
    }

    /// True when `token` equals the secret. Both sides are hashed first so the comparison takes the same time
    /// whatever the lengths and contents, then the digests are compared without an early exit.
    func matchesToken(_ token: String) -> Bool {
        let given = SHA256.hash(data: Array(token.utf8))
        let expected = SHA256.hash(data: bytes)
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// The hex HMAC-SHA256 of `body` under this secret (what a sender puts after `sha256=`).
    public func signature(for body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: bytes))
        return Hex.encode(Array(mac))
    }
}

/// Lower-case hex encoding and strict decoding.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an even-length hex string, or nil if any character is not a hex digit.
    static func decode(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
