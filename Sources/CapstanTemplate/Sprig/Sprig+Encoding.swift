import Crypto

/// sprig's encodings and digests: base64/base32 (standard alphabets, decode errors returned as text),
/// `sha1sum`/`sha256sum`/`sha512sum` (lower-case hex), `adler32sum` (decimal).
extension Sprig {
    private typealias S = SprigSupport

    static let encoding: [TemplateFunction] = [
        TemplateFunction("b64enc", [.string]) { a throws(FunctionError) in .string(Base.encode64(Array(S.string(a[0]).utf8))) },
        TemplateFunction("b64dec", [.string]) { a throws(FunctionError) in
            switch Base.decode64(S.string(a[0])) {
            case .success(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .failure(let e): return .string(e.message)
            }
        },
        TemplateFunction("b32enc", [.string]) { a throws(FunctionError) in .string(Base.encode32(Array(S.string(a[0]).utf8))) },
        TemplateFunction("b32dec", [.string]) { a throws(FunctionError) in
            switch Base.decode32(S.string(a[0])) {
            case .success(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .failure(let e): return .string(e.message)
            }
        },
        TemplateFunction("sha1sum", [.string]) { a throws(FunctionError) in .string(hex(Insecure.SHA1.hash(data: Array(S.string(a[0]).utf8)))) },
        TemplateFunction("sha256sum", [.string]) { a throws(FunctionError) in .string(hex(SHA256.hash(data: Array(S.string(a[0]).utf8)))) },
        TemplateFunction("sha512sum", [.string]) { a throws(FunctionError) in .string(hex(SHA512.hash(data: Array(S.string(a[0]).utf8)))) },
        TemplateFunction("adler32sum", [.string]) { a throws(FunctionError) in
            var s1: UInt32 = 1
            var s2: UInt32 = 0
            for b in S.string(a[0]).utf8 {
                s1 = (s1 + UInt32(b)) % 65521
                s2 = (s2 + s1) % 65521
            }
            return .string(String(s2 << 16 | s1))
        },
    ]

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in digest {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0xF)])
        }
        return s
    }
}

/// Go's `encoding/base64.StdEncoding` and `encoding/base32.StdEncoding`, with Go's error texts.
enum Base {
    struct CorruptInput: Error {
        var message: String
        init(_ offset: Int) { message = "illegal base64 data at input byte \(offset)" }
        init(base32 offset: Int) { message = "illegal base32 data at input byte \(offset)" }
    }

    private static let alphabet64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let alphabet32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode64(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= data.count {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet64[Int((v >> UInt32(shift)) & 0x3F)]) }
            i += 3
        }
        let rest = data.count - i
        if rest > 0 {
            var v = UInt32(data[i]) << 16
            if rest == 2 { v |= UInt32(data[i + 1]) << 8 }
            out.append(alphabet64[Int((v >> 18) & 0x3F)])
            out.append(alphabet64[Int((v >> 12) & 0x3F)])
            out.append(rest == 2 ? alphabet64[Int((v >> 6) & 0x3F)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's decoder: newlines are ignored; padding is required; trailing garbage is an error.
    static func decode64(_ s: String) -> Result<[UInt8], CorruptInput> {
        let input = Array(s.utf8)
        var values: [UInt8] = []
        var positions: [Int] = []
        var padding = 0
        var padStart = -1
        for (i, c) in input.enumerated() {
            if c == 0x0A || c == 0x0D { continue }
            if c == UInt8(ascii: "=") {
                if padStart < 0 { padStart = i }
                padding += 1
                continue
            }
            if padding > 0 { return .failure(CorruptInput(padStart)) }
            guard let v = alphabet64.firstIndex(of: c) else { return .failure(CorruptInput(i)) }
            values.append(UInt8(v))
            positions.append(i)
        }
        let total = values.count + padding
        if total % 4 != 0 || padding > 2 || (padding > 0 && values.count % 4 + padding != 4) {
            let quantumStart = values.count % 4 == 0 ? input.count : positions[values.count - values.count % 4]
            return .failure(CorruptInput(padding > 0 ? padStart : quantumStart))
        }
        var out: [UInt8] = []
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + 4, values.count)]
            var v: UInt32 = 0
            for (k, x) in chunk.enumerated() { v |= UInt32(x) << UInt32(18 - 6 * k) }
            out.append(UInt8((v >> 16) & 0xFF))
            if chunk.count > 2 { out.append(UInt8((v >> 8) & 0xFF)) }
            if chunk.count > 3 { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return .success(out)
    }

    static func encode32(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            let chunk = Array(data[i..<min(i + 5, data.count)])
            var v: UInt64 = 0
            for (k, b) in chunk.enumerated() { v |= UInt64(b) << UInt64(32 - 8 * k) }
            let chars = [2, 4, 5, 7, 8][chunk.count - 1]
            for k in 0..<8 {
                out.append(k < chars ? alphabet32[Int((v >> UInt64(35 - 5 * k)) & 0x1F)] : UInt8(ascii: "="))
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode32(_ s: String) -> Result<[UInt8], CorruptInput> {
        let input = Array(s.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        if input.count % 8 != 0 { return .failure(CorruptInput(base32: input.count / 8 * 8)) }
        var out: [UInt8] = []
        var i = 0
        while i < input.count {
            let block = input[i..<(i + 8)]
            var v: UInt64 = 0
            var chars = 0
            var ended = false
            for (k, c) in block.enumerated() {
                if c == UInt8(ascii: "=") {
                    ended = true
                    continue
                }
                if ended { return .failure(CorruptInput(base32: i + k)) }
                guard let d = alphabet32.firstIndex(of: c) else { return .failure(CorruptInput(base32: i + k)) }
                v |= UInt64(d) << UInt64(35 - 5 * k)
                chars += 1
            }
            let bytes: Int
            switch chars {
            case 8: bytes = 5
            case 7: bytes = 4
            case 5: bytes = 3
            case 4: bytes = 2
            case 2: bytes = 1
            default: return .failure(CorruptInput(base32: i + chars))
            }
            for k in 0..<bytes { out.append(UInt8((v >> UInt64(32 - 8 * k)) & 0xFF)) }
            if ended && i + 8 < input.count { return .failure(CorruptInput(base32: i + 8)) }
            i += 8
        }
        return .success(out)
    }
}
