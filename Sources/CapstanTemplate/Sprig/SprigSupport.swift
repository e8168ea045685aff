/// Conversions sprig relies on: spf13/cast (`ToInt64`, `ToFloat64`), sprig's `strval`/`strslice`/`empty`,
/// `reflect.DeepEqual`, and the Go runtime panics sprig's reflection code raises on nil.
enum SprigSupport {
    /// `cast.ToInt64` (spf13/cast v1.10): numbers truncate, bools 1/0, nil 0, strings via `ParseInt(base 0)`
    /// after dropping a decimal part; anything unparsable is 0.
    static func toInt64(_ v: TemplateValue) -> Int64 {
        switch v {
        case .int(let i): return Int64(i)
        case .int64(let i): return i
        case .uint64(let u): return Int64(bitPattern: u)
        case .uint8(let u): return Int64(u)
        case .float64(let d): return d.goInt64
        case .bool(let b): return b ? 1 : 0
        case .invalid, .null: return 0
        case .string(let s):
            if s.isEmpty { return 0 }
            if case .success(let i) = GoNumberParsing.parseInt(trimDecimal(s), base: 0) { return i }
            return 0
        default: return 0
        }
    }

    /// `cast.ToFloat64`: numbers convert, bools 1/0, nil 0, strings via `ParseFloat`; failures are 0.
    static func toFloat64(_ v: TemplateValue) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .int64(let i): return Double(i)
        case .uint64(let u): return Double(u)
        case .uint8(let u): return Double(u)
        case .float64(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            if s.isEmpty { return 0 }
            if case .success(let d) = GoNumberParsing.parseFloat(s) { return d }
            return 0
        default: return 0
        }
    }

    /// cast's `trimDecimal`: `12.7` → `12`, `-.5` → `-0`; other text unchanged.
    static func trimDecimal(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var rest = Substring(s)
        var intPart = ""
        if let f = rest.first, f == "+" || f == "-" {
            intPart.append(f)
            rest = rest.dropFirst()
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        rest = rest.dropFirst(digits.count)
        guard rest.first == "." else { return s }
        let frac = rest.dropFirst()
        guard frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return s }
        intPart += digits
        switch intPart {
        case "-", "+": return intPart + "0"
        case "": return "0"
        default: return intPart
        }
    }

    /// sprig's `strval`: strings as is, Stringers via `String()`, everything else `%v`.
    static func strval(_ v: TemplateValue) -> String {
        switch v {
        case .string(let s): return s
        case .semver(let s): return s.description
        case .invalid, .null: return "<nil>"
        default: return GoFormatter.formatV(v)
        }
    }

    /// sprig's `strslice`: a list's non-nil elements as strings; nil → empty; anything else one element.
    static func strslice(_ v: TemplateValue) -> [String] {
        switch v {
        case .list(let l): return l.items.compactMap { $0.isNilLike ? nil : strval($0) }
        case .invalid, .null: return []
        default: return [strval(v)]
        }
    }

    /// sprig's `empty`: nil, false, 0, and empty strings, lists and maps.
    static func isEmpty(_ v: TemplateValue) -> Bool { !Executor.isTrue(v) && !isSemver(v) }

    private static func isSemver(_ v: TemplateValue) -> Bool {
        if case .semver = v { return true }
        return false
    }

    /// `reflect.DeepEqual` over template values (types must match: `1` and `1.0` differ).
    static func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a.unboxed, b.unboxed) {
        case (.invalid, .invalid): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int64(let x), .int64(let y)): return x == y
        case (.uint64(let x), .uint64(let y)): return x == y
        case (.uint8(let x), .uint8(let y)): return x == y
        case (.float64(let x), .float64(let y)): return x == y
        case (.semver(let x), .semver(let y)): return x === y || (x.description == y.description && x.original == y.original)
        case (.list(let x), .list(let y)):
            guard x.element == y.element, x.isNil == y.isNil, x.items.count == y.items.count else { return false }
            return zip(x.items, y.items).allSatisfy { deepEqual($0, $1) }
        case (.map(let x), .map(let y)):
            guard x.element == y.element, x.isNil == y.isNil, x.entries.count == y.entries.count else { return false }
            if x === y { return true }
            for (k, v) in x.entries {
                guard let w = y.entries[k], deepEqual(v, w) else { return false }
            }
            return true
        default: return false
        }
    }

    /// The panic Go raises when sprig calls `reflect.TypeOf(nil).Kind()`.
    static let nilDereference = FunctionError("runtime error: invalid memory address or nil pointer dereference")

    /// The elements of a slice argument, or the `Cannot <verb> on type <kind>` error sprig returns.
    static func listItems(_ v: TemplateValue, _ message: (String) -> String) throws(FunctionError) -> TemplateList {
        switch v {
        case .list(let l): return l
        case .invalid, .null: throw nilDereference
        default: throw FunctionError(message(v.goKindName))
        }
    }

    /// `interface conversion` panic text for a failed Go type assertion.
    static func conversionError(_ v: TemplateValue, to type: String) -> FunctionError {
        let actual = v.isNilLike ? "nil" : v.goTypeName
        return FunctionError("interface conversion: interface {} is \(actual), not \(type)")
    }

    /// Unwraps an argument declared `string`, `int`, ... (already type-checked by the evaluator).
    static func string(_ v: TemplateValue) -> String {
        if case .string(let s) = v { return s }
        return ""
    }

    static func int(_ v: TemplateValue) -> Int {
        switch v {
        case .int(let i): return i
        case .int64(let i): return Int(i)
        default: return 0
        }
    }

    static func map(_ v: TemplateValue) -> TemplateMap {
        if case .map(let m) = v { return m }
        return TemplateMap([:], isNil: true)
    }

    static func deepCopy(_ v: TemplateValue) -> TemplateValue {
        switch v {
        case .list(var l):
            l.items = l.items.map(deepCopy)
            return .list(l)
        case .map(let m):
            return .map(TemplateMap(m.entries.mapValues(deepCopy), element: m.element, isNil: m.isNil))
        default:
            return v
        }
    }
}
