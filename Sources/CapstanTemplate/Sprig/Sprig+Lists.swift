/// sprig's list functions (`list.go`): any slice is accepted, results are `[]interface{}`; the plain
/// forms panic (so the template reports `error calling push: Cannot push on type string`), the `must`
/// forms return the same error.
extension Sprig {
    private typealias S = SprigSupport

    /// Registers `name` and `mustName` with one body (both report the error the same way in templates).
    private static func pair(_ name: String, _ mustName: String, _ params: [TemplateFunction.Param], variadic: TemplateFunction.Param? = nil, _ body: @escaping TemplateFunction.Body) -> [TemplateFunction] {
        [TemplateFunction(name, params, variadic: variadic, body), TemplateFunction(mustName, params, variadic: variadic, body)]
    }

    private static func anyList(_ items: [TemplateValue], isNil: Bool = false) -> TemplateValue {
        .list(TemplateList(items, isNil: isNil))
    }

    static let lists: [TemplateFunction] =
        [
            TemplateFunction("list", [], variadic: .any) { a throws(FunctionError) in anyList(a) },
            TemplateFunction("tuple", [], variadic: .any) { a throws(FunctionError) in anyList(a) },
            TemplateFunction("sortAlpha", [.any]) { a throws(FunctionError) in
                if case .list = a[0] { return .stringList(S.strslice(a[0]).sorted(by: goStringLess)) }
                return .stringList([S.strval(a[0])])
            },
            TemplateFunction("concat", [], variadic: .any) { a throws(FunctionError) in
                var out: [TemplateValue] = []
                for l in a {
                    switch l {
                    case .list(let items): out += items.items
                    case .invalid, .null: throw S.nilDereference
                    default: throw FunctionError("Cannot concat type \(l.goKindName) as list")
                    }
                }
                return anyList(out, isNil: out.isEmpty)
            },
        ]
        + pair("append", "mustAppend", [.any, .any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot push on type \($0)" }
            return anyList(l.items + [a[1]])
        }
        + pair("push", "mustPush", [.any, .any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot push on type \($0)" }
            return anyList(l.items + [a[1]])
        }
        + pair("prepend", "mustPrepend", [.any, .any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot prepend on type \($0)" }
            return anyList([a[1]] + l.items)
        }
        + pair("first", "mustFirst", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find first on type \($0)" }
            return l.items.first ?? .null
        }
        + pair("last", "mustLast", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find last on type \($0)" }
            return l.items.last ?? .null
        }
        + pair("rest", "mustRest", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find rest on type \($0)" }
            return anyList(Array(l.items.dropFirst()), isNil: l.items.isEmpty)
        }
        + pair("initial", "mustInitial", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find initial on type \($0)" }
            return anyList(Array(l.items.dropLast()), isNil: l.items.isEmpty)
        }
        + pair("reverse", "mustReverse", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find reverse on type \($0)" }
            return anyList(l.items.reversed())
        }
        + pair("compact", "mustCompact", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot compact on type \($0)" }
            return anyList(l.items.filter { !S.isEmpty($0) })
        }
        + pair("uniq", "mustUniq", [.any]) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find uniq on type \($0)" }
            var out: [TemplateValue] = []
            for item in l.items where !out.contains(where: { S.deepEqual($0, item) }) { out.append(item) }
            return anyList(out)
        }
        + pair("without", "mustWithout", [.any], variadic: .any) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "Cannot find without on type \($0)" }
            let omit = a.dropFirst()
            return anyList(l.items.filter { item in !omit.contains(where: { S.deepEqual($0, item) }) })
        }
        + pair("has", "mustHas", [.any, .any]) { a throws(FunctionError) in
            if a[1].isNilLike { return .bool(false) }
            let l = try S.listItems(a[1]) { "Cannot find has on type \($0)" }
            return .bool(l.items.contains(where: { S.deepEqual(a[0], $0) }))
        }
        + pair("slice", "mustSlice", [.any], variadic: .any) { a throws(FunctionError) in
            let l = try S.listItems(a[0]) { "list should be type of slice or array but \($0)" }
            if l.items.isEmpty { return .null }
            let start = a.count > 1 ? Int(S.toInt64(a[1])) : 0
            let end = a.count > 2 ? Int(S.toInt64(a[2])) : l.items.count
            if start < 0 || start > end || end > l.items.count {
                throw FunctionError("reflect.Value.Slice: slice index out of bounds")
            }
            var out = l
            out.items = Array(l.items[start..<end])
            out.isNil = false
            return .list(out)
        }
        + pair("chunk", "mustChunk", [.int, .any]) { a throws(FunctionError) in
            let size = S.int(a[0])
            let l = try S.listItems(a[1]) { "Cannot chunk type \($0)" }
            if l.items.isEmpty { return .list(TemplateList([], element: .anyList)) }
            if size <= 0 { throw FunctionError("runtime error: makeslice: len out of range") }
            var rows: [TemplateValue] = []
            var i = 0
            while i < l.items.count {
                rows.append(anyList(Array(l.items[i..<min(i + size, l.items.count)])))
                i += size
            }
            return .list(TemplateList(rows, element: .anyList))
        }
}
