public import CapstanModel

/// Typed JSON: a lossless JSON encoding of CEL values, used by `capstan cel --jsonl` and the
/// conformance fixtures. Plain JSON for null, bool, string and lists; one-key objects for the rest:
/// `{"int": "<decimal>"}`, `{"uint": "<decimal>"}`, `{"double": n | "NaN" | "Infinity" | "-Infinity"}`,
/// `{"bytes": "<base64>"}`, `{"map": [[key, value], ...]}`, `{"duration": "1.5s"}`,
/// `{"timestamp": "<RFC 3339>"}`, `{"type": "<name>"}`, `{"optional": []}` / `{"optional": [value]}`.
/// Library values are written `{"opaque": "<type name>", "value": "<string form>"}` (output only).
extension CELValue {
    /// The typed JSON form of the value.
    public var typedJSON: Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .int(let i): return ["int": .string(String(i))]
        case .uint(let u): return ["uint": .string(String(u))]
        case .double(let d):
            if d.isNaN { return ["double": "NaN"] }
            if d.isInfinite { return ["double": .string(d < 0 ? "-Infinity" : "Infinity")] }
            return ["double": .double(d)]
        case .bytes(let b): return ["bytes": .string(Base64.encode(b))]
        case .list(let l): return .list(l.map(\.typedJSON))
        case .map(let m): return ["map": .list(m.entries.map { .list([$0.key.typedJSON, $0.value.typedJSON]) })]
        case .duration(let d): return ["duration": .string(d.text)]
        case .timestamp(let t): return ["timestamp": .string(t.rfc3339)]
        case .type(let t): return ["type": .string(t.name)]
        case .optional(let o): return ["optional": .list(o.value.map { [$0.typedJSON] } ?? [])]
        case .opaque(let o): return ["opaque": .string(o.celType.name), "value": .string(o.celDescription)]
        case .error(let e): return ["error": .string(e.message)]
        }
    }

    /// A value from its typed JSON form; throws a conversion error naming the offending part.
    public init(typedJSON json: Value) throws(CELError) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .string(let s): self = .string(s)
        case .int, .double:
            throw CELError(.conversion, "bare JSON number \(json): write {\"int\": \"\(json)\"} or {\"double\": \(json)}")
        case .list(let items):
            var out: [CELValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try CELValue(typedJSON: item)) }
            self = .list(out)
        case .map(let m):
            guard m.count == 1, let entry = m.entries.first else {
                throw CELError(.conversion, "typed JSON object must have exactly one key (int, uint, double, bytes, map, duration, timestamp, type, optional): \(json)")
            }
            self = try Self.decodeTagged(entry.key, entry.value)
        }
    }

    private static func decodeTagged(_ tag: String, _ v: Value) throws(CELError) -> CELValue {
        func bad() -> CELError { CELError(.conversion, "invalid typed JSON {\"\(tag)\": \(v)}") }
        switch tag {
        case "int":
            switch v {
            case .string(let s): guard let i = Int64(s) else { throw bad() }; return .int(i)
            case .int(let i): return .int(i)
            default: throw bad()
            }
        case "uint":
            switch v {
            case .string(let s): guard let u = UInt64(s) else { throw bad() }; return .uint(u)
            case .int(let i) where i >= 0: return .uint(UInt64(i))
            default: throw bad()
            }
        case "double":
            switch v {
            case .double(let d): return .double(d)
            case .int(let i): return .double(Double(i))
            case .string("NaN"): return .double(.nan)
            case .string("Infinity"): return .double(.infinity)
            case .string("-Infinity"): return .double(-.infinity)
            default: throw bad()
            }
        case "bytes":
            guard case .string(let s) = v, let b = Base64.decode(s) else { throw bad() }
            return .bytes(b)
        case "map":
            guard case .list(let pairs) = v else { throw bad() }
            var builder = CELMapBuilder()
            for pair in pairs {
                guard case .list(let kv) = pair, kv.count == 2 else { throw bad() }
                let k = try CELValue(typedJSON: kv[0])
                let val = try CELValue(typedJSON: kv[1])
                switch builder.insert(k, val) {
                case .ok: break
                case .duplicate: throw CELError(.conversion, "duplicate map key \(k) in typed JSON")
                case .badKey: throw CELError(.conversion, "map key \(k) must be bool, int, uint or string")
                }
            }
            return .map(builder.build())
        case "duration":
            guard case .string(let s) = v, let d = CELDuration(text: s) else { throw bad() }
            return .duration(d)
        case "timestamp":
            guard case .string(let s) = v, let t = CELTimestamp(rfc3339: s) else { throw bad() }
            return .timestamp(t)
        case "type":
            guard case .string(let s) = v else { throw bad() }
            return .type(CELType(name: s))
        case "optional":
            guard case .list(let items) = v, items.count <= 1 else { throw bad() }
            guard let first = items.first else { return .optional(.none) }
            return .optional(.of(try CELValue(typedJSON: first)))
        default:
            throw CELError(.conversion, "unknown typed JSON tag '\(tag)' (expected int, uint, double, bytes, map, duration, timestamp, type, optional)")
        }
    }
}
