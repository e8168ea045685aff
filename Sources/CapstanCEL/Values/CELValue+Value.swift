public import CapstanModel

extension CELValue {
    /// A Kubernetes JSON value as CEL sees it: integers stay `int`, other numbers are `double`,
    /// objects are maps with string keys and arrays are lists. Nested values convert lazily, on access.
    ///
    /// Hook for schema-aware callers (CRD rules): values whose OpenAPI schema says otherwise
    /// (`format: date-time` strings as timestamps, `x-kubernetes-int-or-string`, list types `set`/`map`)
    /// should be converted by the caller before binding; this initializer is the schema-less default.
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .list(let l): self = .list(CELList(json: l))
        case .map(let m): self = .map(CELMap(json: m))
        }
    }

    /// The value as JSON: `uint` becomes an integer (or a double above the int64 range), bytes become
    /// base64 text, timestamps RFC 3339 text, durations `"1.5s"`, types their name, `optional.none()`
    /// null, library types their string form, and non-string map keys their decimal/text form.
    /// Throws for an error value.
    public func toValue() throws(CELError) -> Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Base64.encode(b))
        case .list(let l):
            if case .json(let j) = l.storage { return .list(j) }
            var out: [Value] = []
            out.reserveCapacity(l.count)
            for v in l { out.append(try v.toValue()) }
            return .list(out)
        case .map(let m):
            if case .json(let j) = m.storage { return .map(j) }
            var out = ObjectMap()
            for (k, v) in m.entries {
                let key: String
                switch k {
                case .string(let s): key = s
                default: key = k.displayText
                }
                out[key] = try v.toValue()
            }
            return .map(out)
        case .timestamp(let t): return .string(t.rfc3339)
        case .duration(let d): return .string(d.text)
        case .type(let t): return .string(t.name)
        case .optional(let o): return try o.value?.toValue() ?? .null
        case .opaque(let o): return .string(o.celDescription)
        case .error(let e): throw CELError(.evaluation, e.message)
        }
    }
}

/// Standard base64 with padding (RFC 4648), used for bytes in JSON.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes standard or URL-safe base64, with or without padding; nil when invalid.
    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case 65...90: v = UInt32(c - 65)
            case 97...122: v = UInt32(c - 71)
            case 48...57: v = UInt32(c + 4)
            case 43, 45: v = 62
            case 47, 95: v = 63
            case 61: padding += 1; continue
            default: return nil
            }
            if padding > 0 { return nil }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(acc >> UInt32(bits) & 0xFF))
            }
        }
        if bits >= 6 || padding > 2 { return nil }
        return out
    }
}
