import CapstanModel
/// Go's `text/template` builtin functions (`funcs.go`), with the same argument rules and error texts.
enum GoBuiltins {
    static let all: [TemplateFunction] = [
        TemplateFunction("and", [.value], variadic: .value, special: .and) { _ throws(FunctionError) in .invalid },
        TemplateFunction("or", [.value], variadic: .value, special: .or) { _ throws(FunctionError) in .invalid },
        TemplateFunction("call", [.value], variadic: .value, special: .call) { args throws(FunctionError) in
            // args[0] is the callee's source text; templates have no function values.
            let fn = args[1].unboxed
            if fn.isNilLike { throw FunctionError("call of nil") }
            guard case .string(let name) = args[0] else { throw FunctionError("call of nil") }
            throw FunctionError("non-function \(name) of type \(fn.goTypeName)")
        },
        TemplateFunction("html", [], variadic: .any) { args throws(FunctionError) in .string(htmlEscape(evalArgs(args))) },
        TemplateFunction("js", [], variadic: .any) { args throws(FunctionError) in .string(jsEscape(evalArgs(args))) },
        TemplateFunction("urlquery", [], variadic: .any) { args throws(FunctionError) in .string(GoURL.queryEscape(evalArgs(args))) },
        TemplateFunction("index", [.value], variadic: .value) { args throws(FunctionError) in try index(args[0], Array(args.dropFirst())) },
        TemplateFunction("slice", [.value], variadic: .value) { args throws(FunctionError) in try slice(args[0], Array(args.dropFirst())) },
        TemplateFunction("len", [.value]) { args throws(FunctionError) in try length(args[0]) },
        TemplateFunction("not", [.value]) { args throws(FunctionError) in .bool(!Executor.isTrue(args[0])) },
        TemplateFunction("print", [], variadic: .any) { args throws(FunctionError) in .string(GoFormatter.sprint(args)) },
        TemplateFunction("printf", [.string], variadic: .any) { args throws(FunctionError) in
            guard case .string(let format) = args[0] else { return .string("") }
            return .string(GoFormatter.sprintf(format, Array(args.dropFirst())))
        },
        TemplateFunction("println", [], variadic: .any) { args throws(FunctionError) in .string(GoFormatter.sprintln(args)) },
        TemplateFunction("eq", [.value], variadic: .value) { args throws(FunctionError) in .bool(try GoCompare.eq(args[0], Array(args.dropFirst()))) },
        TemplateFunction("ne", [.value, .value]) { args throws(FunctionError) in .bool(!(try GoCompare.eq(args[0], [args[1]]))) },
        TemplateFunction("lt", [.value, .value]) { args throws(FunctionError) in .bool(try GoCompare.lt(args[0], args[1])) },
        TemplateFunction("le", [.value, .value]) { args throws(FunctionError) in .bool(try GoCompare.le(args[0], args[1])) },
        TemplateFunction("gt", [.value, .value]) { args throws(FunctionError) in .bool(!(try GoCompare.le(args[0], args[1]))) },
        TemplateFunction("ge", [.value, .value]) { args throws(FunctionError) in .bool(!(try GoCompare.lt(args[0], args[1]))) },
    ]

    /// Go's `evalArgs` for `html`/`js`/`urlquery`: one string as is, else `fmt.Sprint` with nil shown as
    /// `<no value>`.
    static func evalArgs(_ args: [TemplateValue]) -> String {
        if args.count == 1, case .string(let s) = args[0] { return s }
        return GoFormatter.sprint(args.map { $0.isNilLike ? .string("<no value>") : $0 })
    }

    /// `template.HTMLEscapeString`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "\0": out.append("\u{FFFD}")
            case "\"": out.append("&#34;")
            case "'": out.append("&#39;")
            case "&": out.append("&amp;")
            case "<": out.append("&lt;")
            case ">": out.append("&gt;")
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `template.JSEscapeString`.
    static func jsEscape(_ s: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for r in s.unicodeScalars {
            switch r {
            case "\\": out.append("\\\\")
            case "'": out.append("\\'")
            case "\"": out.append("\\\"")
            case "<": out.append("\\u003C")
            case ">": out.append("\\u003E")
            case "&": out.append("\\u0026")
            case "=": out.append("\\u003D")
            default:
                if r.value < 0x20 {
                    out.append("\\u00")
                    out.append(hex[Int(r.value >> 4)])
                    out.append(hex[Int(r.value & 0xF)])
                } else if r.value < 0x80 || GoQuote.isPrint(r) {
                    out.unicodeScalars.append(r)
                } else {
                    var h = String(r.value, radix: 16, uppercase: true)
                    while h.count < 4 { h = "0" + h }
                    out.append("\\u" + h)
                }
            }
        }
        return out
    }

    /// Go's `indexArg`: an integer index within `0...cap`.
    static func indexArg(_ index: TemplateValue, cap: Int) throws(FunctionError) -> Int {
        let x: Int64
        switch index.unboxed {
        case .int(let i): x = Int64(i)
        case .int64(let i): x = i
        case .uint64(let u): x = Int64(bitPattern: u)
        case .uint8(let u): x = Int64(u)
        case .invalid: throw FunctionError("cannot index slice/array with nil")
        default: throw FunctionError("cannot index slice/array with type \(index.goTypeName)")
        }
        if x < 0 || x > Int64(cap) { throw FunctionError("index out of range: \(x)") }
        return Int(x)
    }

    /// Go's `index`: `index x 1 2` is `x[1][2]`; missing map keys give the element type's zero value.
    static func index(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionError) -> TemplateValue {
        var item = item.unboxed
        if case .invalid = item { throw FunctionError("index of untyped nil") }
        for index in indexes {
            if case .null = item { throw FunctionError("index of nil pointer") }
            switch item {
            case .list(let l):
                let x = try indexArg(index, cap: l.items.count)
                if x == l.items.count { throw FunctionError("reflect: slice index out of range") }
                item = l.items[x]
            case .string(let s):
                let bytes = Array(s.utf8)
                let x = try indexArg(index, cap: bytes.count)
                if x == bytes.count { throw FunctionError("reflect: string index out of range") }
                item = .uint8(bytes[x])
            case .map(let m):
                let key: String
                switch index.unboxed {
                case .invalid: key = ""
                case .string(let s): key = s
                default: throw FunctionError("value has type \(index.goTypeName); should be string")
                }
                if let v = m.entries[key] {
                    item = v
                } else {
                    item = m.element == .string ? .string("") : .null
                }
            default:
                throw FunctionError("can't index item of type \(item.goTypeName)")
            }
        }
        return item
    }

    /// Go's builtin `slice` (replaced by sprig's in the sprig function set).
    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(FunctionError) -> TemplateValue {
        let item = item.unboxed
        if case .invalid = item { throw FunctionError("slice of untyped nil") }
        if indexes.count > 3 { throw FunctionError("too many slice indexes: \(indexes.count)") }
        let length: Int
        switch item {
        case .string(let s):
            if indexes.count == 3 { throw FunctionError("cannot 3-index slice a string") }
            length = s.utf8.count
        case .list(let l): length = l.items.count
        default: throw FunctionError("can't slice item of type \(item.goTypeName)")
        }
        var idx = [0, length, length]
        for (i, index) in indexes.enumerated() { idx[i] = try indexArg(index, cap: length) }
        if idx[0] > idx[1] { throw FunctionError("invalid slice index: \(idx[0]) > \(idx[1])") }
        if indexes.count == 3 && idx[1] > idx[2] { throw FunctionError("invalid slice index: \(idx[1]) > \(idx[2])") }
        switch item {
        case .string(let s): return .string(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self))
        case .list(var l):
            l.items = Array(l.items[idx[0]..<idx[1]])
            l.isNil = false
            return .list(l)
        default: return .invalid
        }
    }

    /// Go's `len`.
    static func length(_ item: TemplateValue) throws(FunctionError) -> TemplateValue {
        switch item {
        case .null: throw FunctionError("len of nil pointer")
        case .invalid: throw FunctionError("reflect: call of reflect.Value.Type on zero Value")
        case .string(let s): return .int(s.utf8.count)
        case .list(let l): return .int(l.items.count)
        case .map(let m): return .int(m.entries.count)
        case .semver: throw FunctionError("len of type semver.Version")
        default: throw FunctionError("len of type \(item.goTypeName)")
        }
    }
}
