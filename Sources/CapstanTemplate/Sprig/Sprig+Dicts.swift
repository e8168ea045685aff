/// sprig's dictionary functions (`dict.go`). Maps are shared references: `set`, `unset`, `merge` and
/// `mergeOverwrite` change their first argument, as in Go. `keys` and `values` are sorted by key here;
/// Go returns them in random map order.
extension Sprig {
    private typealias S = SprigSupport

    static let dicts: [TemplateFunction] = [
        TemplateFunction("dict", [], variadic: .any) { a throws(FunctionError) in
            var entries: [String: TemplateValue] = [:]
            var i = 0
            while i < a.count {
                let key = S.strval(a[i])
                entries[key] = i + 1 < a.count ? a[i + 1] : .string("")
                i += 2
            }
            return .map(TemplateMap(entries))
        },
        TemplateFunction("get", [.stringMap, .string]) { a throws(FunctionError) in
            S.map(a[0]).entries[S.string(a[1])] ?? .string("")
        },
        TemplateFunction("set", [.stringMap, .string, .any]) { a throws(FunctionError) in
            let m = S.map(a[0])
            if m.isNil { throw FunctionError("assignment to entry in nil map") }
            m.entries[S.string(a[1])] = a[2]
            return a[0]
        },
        TemplateFunction("unset", [.stringMap, .string]) { a throws(FunctionError) in
            S.map(a[0]).entries[S.string(a[1])] = nil
            return a[0]
        },
        TemplateFunction("hasKey", [.stringMap, .string]) { a throws(FunctionError) in .bool(S.map(a[0]).entries[S.string(a[1])] != nil) },
        TemplateFunction("pluck", [.string], variadic: .stringMap) { a throws(FunctionError) in
            let key = S.string(a[0])
            return .anyList(a.dropFirst().compactMap { S.map($0).entries[key] })
        },
        TemplateFunction("keys", [], variadic: .stringMap) { a throws(FunctionError) in
            .stringList(a.flatMap { S.map($0).sortedKeys })
        },
        TemplateFunction("values", [.stringMap]) { a throws(FunctionError) in
            let m = S.map(a[0])
            return .anyList(m.sortedKeys.map { m.entries[$0]! })
        },
        TemplateFunction("pick", [.stringMap], variadic: .string) { a throws(FunctionError) in
            let m = S.map(a[0])
            var out: [String: TemplateValue] = [:]
            for k in a.dropFirst().map(S.string) { if let v = m.entries[k] { out[k] = v } }
            return .map(TemplateMap(out))
        },
        TemplateFunction("omit", [.stringMap], variadic: .string) { a throws(FunctionError) in
            let omit = Set(a.dropFirst().map(S.string))
            return .map(TemplateMap(S.map(a[0]).entries.filter { !omit.contains($0.key) }))
        },
        TemplateFunction("merge", [.stringMap], variadic: .stringMap) { a throws(FunctionError) in merge(a, overwrite: false) },
        TemplateFunction("mustMerge", [.stringMap], variadic: .stringMap) { a throws(FunctionError) in merge(a, overwrite: false) },
        TemplateFunction("mergeOverwrite", [.stringMap], variadic: .stringMap) { a throws(FunctionError) in merge(a, overwrite: true) },
        TemplateFunction("mustMergeOverwrite", [.stringMap], variadic: .stringMap) { a throws(FunctionError) in merge(a, overwrite: true) },
        TemplateFunction("deepCopy", [.any]) { a throws(FunctionError) in S.deepCopy(a[0]) },
        TemplateFunction("mustDeepCopy", [.any]) { a throws(FunctionError) in S.deepCopy(a[0]) },
        TemplateFunction("dig", [], variadic: .any) { a throws(FunctionError) in
            if a.count < 3 { throw FunctionError("dig needs at least three arguments") }
            guard case .map(var dict) = a[a.count - 1], dict.element == .any else { throw S.conversionError(a[a.count - 1], to: "map[string]interface {}") }
            let def = a[a.count - 2]
            var keys: [String] = []
            for k in a[0..<(a.count - 2)] {
                guard case .string(let s) = k else { throw S.conversionError(k, to: "string") }
                keys.append(s)
            }
            for (i, k) in keys.enumerated() {
                guard let step = dict.entries[k] else { return def }
                if i == keys.count - 1 { return step }
                guard case .map(let next) = step, next.element == .any else { throw S.conversionError(step, to: "map[string]interface {}") }
                dict = next
            }
            return def
        },
    ]

    /// `mergo.Merge` / `mergo.MergeWithOverwrite` over `map[string]interface{}` values, in place.
    private static func merge(_ a: [TemplateValue], overwrite: Bool) -> TemplateValue {
        var dst = S.map(a[0])
        for src in a.dropFirst() {
            let s = S.map(src)
            if dst.isNil && !s.isNil { dst = TemplateMap([:]) }
            mergeInto(dst, s, overwrite: overwrite)
        }
        return .map(dst)
    }

    private static func mergeInto(_ dst: TemplateMap, _ src: TemplateMap, overwrite: Bool) {
        let dstWasEmpty = dst.entries.isEmpty
        for (key, srcValue) in src.entries {
            let dstValue = dst.entries[key]
            if srcValue.isNilLike {
                if overwrite { dst.entries[key] = .null }
                continue
            }
            switch srcValue {
            case .map(let sm):
                if case .map(let dm)? = dstValue { mergeInto(dm, sm, overwrite: overwrite) }
            case .list:
                // mergo replaces a slice only when overwriting (or the whole destination was empty).
                if (overwrite || dstWasEmpty) && !src.entries.isEmpty {
                    dst.entries[key] = srcValue
                } else if let d = dstValue {
                    dst.entries[key] = d
                } else {
                    dst.entries[key] = .list(TemplateList([]))
                }
            default:
                break
            }
            if let d = dstValue, !S.isEmpty(d) {
                if case .list = srcValue { continue }
                if case .map = srcValue, case .map = d { continue }
            }
            if overwrite || dstValue == nil || S.isEmpty(dstValue!) {
                dst.entries[key] = srcValue
            }
        }
    }
}
