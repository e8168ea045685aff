/// cel-go's optional types library (cel/library.go, version 2): `optional.of/none/ofNonZeroValue`,
/// `hasValue`, `value`, `first`, `last`, `optional.unwrap`, `unwrapOpt`. `or`/`orValue` are lazy nodes
/// and `optMap`/`optFlatMap` macros.
enum OptionalsLibrary {
    static func register(_ t: inout FunctionTable) {
        t.global("optional.of") { v in .optional(.of(v)) }
        t.global0("optional.none") { .optional(.none) }
        t.global("optional.ofNonZeroValue") { v in .optional(isZero(v) ? .none : .of(v)) }
        t.member("hasValue") { v in
            guard case .optional(let o) = v else { return nil }
            return .bool(o.value != nil)
        }
        t.member("value") { v in
            guard case .optional(let o) = v else { return nil }
            return o.value ?? .error("optional.none() dereference")
        }
        t.member("first") { v in
            guard case .list(let l) = v else { return nil }
            return .optional(l.first.map(CELOptional.of) ?? .none)
        }
        t.member("last") { v in
            guard case .list(let l) = v else { return nil }
            return .optional(l.last.map(CELOptional.of) ?? .none)
        }
        let unwrap: Fn1 = { v in
            guard case .list(let l) = v else { return nil }
            var out: [CELValue] = []
            for e in l {
                guard case .optional(let o) = e else { return .error("value \(e) is not optional") }
                if let x = o.value { out.append(x) }
            }
            return .list(out)
        }
        t.global("optional.unwrap", cost: .linear(0), unwrap)
        t.member("unwrapOpt", cost: .linear(0), unwrap)
    }

    /// Zero values: null, false, 0, 0u, 0.0, empty string/bytes/list/map, a zero duration, and the zero
    /// timestamp (0001-01-01T00:00:00Z, Go's zero time).
    static func isZero(_ v: CELValue) -> Bool {
        switch v {
        case .null: true
        case .bool(let b): !b
        case .int(let i): i == 0
        case .uint(let u): u == 0
        case .double(let d): d == 0
        case .string(let s): s.isEmpty
        case .bytes(let b): b.isEmpty
        case .list(let l): l.isEmpty
        case .map(let m): m.isEmpty
        case .duration(let d): d.nanoseconds == 0
        case .timestamp(let t): t.seconds == CELTimestamp.minSeconds && t.nanos == 0
        case .optional(let o): o.value == nil
        default: false
        }
    }
}

/// `cel.@mapInsert`, the step function of `transformMap`/`transformMapEntry` expansions (used only when a
/// comprehension is evaluated generically).
enum MapInsert {
    static func register(_ t: inout FunctionTable) {
        t.global("cel.@mapInsert") { m, k, v in
            guard case .map(let map) = m else { return nil }
            var b = CELMapBuilder(map)
            if b.insert(k, v) != .ok { return .error("insert failed: key \(k.displayText) already exists") }
            return .map(b.build())
        }
        t.global("cel.@mapInsert") { m, entries in
            guard case .map(let map) = m, case .map(let add) = entries else { return nil }
            var b = CELMapBuilder(map)
            for (k, v) in add.entries where b.insert(k, v) != .ok {
                return .error("insert failed: key \(k.displayText) already exists")
            }
            return .map(b.build())
        }
    }
}

/// cel-go `ext.Encoders`: `base64.encode(bytes)`, `base64.decode(string)`.
enum EncodersExtension {
    static func register(_ t: inout FunctionTable) {
        t.global("base64.encode", cost: .output) { v in
            guard case .bytes(let b) = v else { return nil }
            return .string(Base64.encode(b))
        }
        t.global("base64.decode", cost: .output) { v in
            guard case .string(let s) = v else { return nil }
            guard let b = Base64.decode(s) else { return .error("illegal base64 data") }
            return .bytes(b)
        }
    }
}
