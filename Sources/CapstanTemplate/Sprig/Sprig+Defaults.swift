/// sprig's defaults, JSON, reflection and flow-control functions (`defaults.go`, `reflect.go`).
extension Sprig {
    private typealias S = SprigSupport

    static let defaults: [TemplateFunction] = [
        TemplateFunction("default", [.any], variadic: .any) { a throws(FunctionError) in
            if a.count < 2 || S.isEmpty(a[1]) { return a[0] }
            return a[1]
        },
        TemplateFunction("empty", [.any]) { a throws(FunctionError) in .bool(S.isEmpty(a[0])) },
        TemplateFunction("coalesce", [], variadic: .any) { a throws(FunctionError) in a.first(where: { !S.isEmpty($0) }) ?? .null },
        TemplateFunction("all", [], variadic: .any) { a throws(FunctionError) in .bool(a.allSatisfy { !S.isEmpty($0) }) },
        TemplateFunction("any", [], variadic: .any) { a throws(FunctionError) in .bool(a.contains { !S.isEmpty($0) }) },
        TemplateFunction("ternary", [.any, .any, .bool]) { a throws(FunctionError) in
            if case .bool(true) = a[2] { return a[0] }
            return a[1]
        },
        TemplateFunction("fromJson", [.string]) { a throws(FunctionError) in (try? GoJSON.decode(S.string(a[0]))) ?? .null },
        TemplateFunction("mustFromJson", [.string]) { a throws(FunctionError) in try GoJSON.decode(S.string(a[0])) },
        TemplateFunction("toJson", [.any]) { a throws(FunctionError) in .string((try? GoJSON.encode(a[0], escapeHTML: true)) ?? "") },
        TemplateFunction("mustToJson", [.any]) { a throws(FunctionError) in .string(try json(a[0], escapeHTML: true)) },
        TemplateFunction("toPrettyJson", [.any]) { a throws(FunctionError) in .string((try? GoJSON.encode(a[0], escapeHTML: true, indent: "  ")) ?? "") },
        TemplateFunction("mustToPrettyJson", [.any]) { a throws(FunctionError) in .string(try json(a[0], escapeHTML: true, indent: "  ")) },
        TemplateFunction("toRawJson", [.any]) { a throws(FunctionError) in .string(try json(a[0], escapeHTML: false)) },
        TemplateFunction("mustToRawJson", [.any]) { a throws(FunctionError) in .string(try json(a[0], escapeHTML: false)) },
        TemplateFunction("typeOf", [.any]) { a throws(FunctionError) in .string(a[0].goTypeName) },
        TemplateFunction("typeIs", [.string, .any]) { a throws(FunctionError) in .bool(S.string(a[0]) == a[1].goTypeName) },
        TemplateFunction("typeIsLike", [.string, .any]) { a throws(FunctionError) in
            let t = a[1].goTypeName
            let target = S.string(a[0])
            return .bool(target == t || "*" + target == t)
        },
        TemplateFunction("kindOf", [.any]) { a throws(FunctionError) in .string(a[0].goKindName) },
        TemplateFunction("kindIs", [.string, .any]) { a throws(FunctionError) in .bool(S.string(a[0]) == a[1].goKindName) },
        TemplateFunction("deepEqual", [.any, .any]) { a throws(FunctionError) in .bool(S.deepEqual(a[0], a[1])) },
        TemplateFunction("fail", [.string]) { a throws(FunctionError) in throw FunctionError(S.string(a[0])) },
    ]

    private static func json(_ v: TemplateValue, escapeHTML: Bool, indent: String? = nil) throws(FunctionError) -> String {
        do {
            return try GoJSON.encode(v, escapeHTML: escapeHTML, indent: indent)
        } catch {
            throw FunctionError(error.message)
        }
    }
}
