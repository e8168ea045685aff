public import CapstanModel

/// Keeps Secret values out of every report. A Secret's `data` and `stringData` values are replaced by
/// markers before anything is compared or printed, so a plan or drift report says which keys were added,
/// removed or changed, and never what they hold (not even a hash, which would let a reader test guesses).
public enum SecretMask {
    /// The marker for a value that is the same on both sides (or when only one side exists).
    public static let hidden = "***"
    /// The marker for a value that differs from the other side.
    public static let changed = "*** (changed)"

    static let maskedFields = ["data", "stringData"]

    /// Whether an object is a core/v1 Secret.
    public static func isSecret(_ key: ObjectKey) -> Bool { key.group.isEmpty && key.kind == "Secret" }

    /// Masks one object (every value becomes `***`); other kinds pass unchanged.
    public static func mask(_ object: KubeObject) -> KubeObject {
        guard isSecret(object.key) else { return object }
        var out = object
        for field in maskedFields {
            guard case .map(let m)? = object.body[field] else { continue }
            out.body[field] = .map(m.mapValues { _ in .string(hidden) })
        }
        return out
    }

    /// Masks both sides of a change: values equal on both sides become `***` on both, values that differ
    /// become `***` before and `*** (changed)` after, so the diff still shows which keys changed.
    public static func mask(old: KubeObject?, new: KubeObject?) -> (KubeObject?, KubeObject?) {
        let key = (new ?? old)?.key
        guard let key, isSecret(key) else { return (old, new) }
        guard let old, let new else { return (old.map(mask), new.map(mask)) }
        var o = old, n = new
        for field in maskedFields {
            let ov = old.body[field]?.mapValue, nv = new.body[field]?.mapValue
            if let ov { o.body[field] = .map(ov.mapValues { _ in .string(hidden) }) }
            if let nv {
                var masked = ObjectMap()
                for e in nv {
                    let same = ov?[e.key].map { $0 == e.value } ?? true
                    masked.append(key: e.key, value: .string(same ? hidden : changed))
                }
                n.body[field] = .map(masked)
            }
        }
        return (o, n)
    }

    /// Every secret value of `object` (raw and, for `data`, base64-decoded), for scrubbing free text such as
    /// policy messages. Values shorter than 4 characters are left out (they would match everywhere).
    public static func values(of object: KubeObject) -> [String] {
        guard isSecret(object.key) else { return [] }
        var out: [String] = []
        for field in maskedFields {
            for e in object.body[field]?.mapValue ?? ObjectMap() {
                guard let s = e.value.stringValue else { continue }
                out.append(s)
                if field == "data", let decoded = Base64.decode(s), let text = String(validating: decoded, as: UTF8.self) { out.append(text) }
            }
        }
        return out.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// `text` with every occurrence of a secret value replaced by `***`.
    public static func scrub(_ text: String, values: [String]) -> String {
        var t = text
        for v in values { t = t.replacingAll(v, with: hidden) }
        return t
    }
}

/// Minimal standard base64 decoding (padding optional), enough to recognise decoded Secret values.
enum Base64 {
    static func decode(_ s: String) -> [UInt8]? {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        var out: [UInt8] = []
        var acc: UInt32 = 0, bits = 0
        for c in s.utf8 {
            if c == UInt8(ascii: "=") { break }
            let v = table[Int(c)]
            if v == 255 { return nil }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced (byte-wise, left to right, non-overlapping).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8), bytes = Array(utf8)
        guard !t.isEmpty, bytes.count >= t.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + t.count <= bytes.count && bytes[i] == t[0] && Array(bytes[i..<(i + t.count)]) == t {
                out += replacement.utf8
                i += t.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
