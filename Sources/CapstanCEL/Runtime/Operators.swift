import CapstanModel

/// The standard operators on values (arguments are never errors; callers propagate those first).
/// Messages follow cel-go (common/types).
enum Operators {
    static let intOverflow = CELValue.error("integer overflow")
    static let uintOverflow = CELValue.error("unsigned integer overflow")
    static let durationOverflow = CELValue.error("duration overflow")
    static let timestampOverflow = CELValue.error("timestamp overflow")
    static let divideByZero = CELValue.error("division by zero")
    static let modulusByZero = CELValue.error("modulus by zero")

    static func add(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? intOverflow : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? uintOverflow : .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            return addDuration(t, d.nanoseconds)
        case (.duration(let x), .duration(let y)):
            let (r, o) = x.nanoseconds.addingReportingOverflow(y.nanoseconds)
            return o ? durationOverflow : .duration(CELDuration(nanoseconds: r))
        default: return .noSuchOverload
        }
    }

    static func subtract(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? intOverflow : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? uintOverflow : .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp(let x), .timestamp(let y)):
            // seconds difference fits easily; nanoseconds may overflow int64.
            let secs = x.seconds - y.seconds
            let (ns, o1) = secs.multipliedReportingOverflow(by: 1_000_000_000)
            let (r, o2) = ns.addingReportingOverflow(Int64(x.nanos) - Int64(y.nanos))
            return o1 || o2 ? durationOverflow : .duration(CELDuration(nanoseconds: r))
        case (.timestamp(let t), .duration(let d)):
            if d.nanoseconds == Int64.min { return timestampOverflow }
            return addDuration(t, -d.nanoseconds)
        case (.duration(let x), .duration(let y)):
            let (r, o) = x.nanoseconds.subtractingReportingOverflow(y.nanoseconds)
            return o ? durationOverflow : .duration(CELDuration(nanoseconds: r))
        default: return .noSuchOverload
        }
    }

    static func multiply(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? intOverflow : .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? uintOverflow : .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: return .noSuchOverload
        }
    }

    static func divide(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return divideByZero }
            let (r, o) = x.dividedReportingOverflow(by: y)
            return o ? intOverflow : .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { return divideByZero }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: return .noSuchOverload
        }
    }

    static func modulo(_ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { return modulusByZero }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            return o ? intOverflow : .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { return modulusByZero }
            return .uint(x % y)
        default: return .noSuchOverload
        }
    }

    static func negate(_ a: CELValue) -> CELValue {
        switch a {
        case .int(let x):
            return x == Int64.min ? intOverflow : .int(-x)
        case .double(let x): return .double(-x)
        case .duration(let d):
            return d.nanoseconds == Int64.min ? durationOverflow : .duration(CELDuration(nanoseconds: -d.nanoseconds))
        default: return .noSuchOverload
        }
    }

    static func addDuration(_ t: CELTimestamp, _ ns: Int64) -> CELValue {
        let (q, r) = ns.quotientAndRemainder(dividingBy: 1_000_000_000)
        let (s, o) = t.seconds.addingReportingOverflow(q)
        guard !o, let ts = CELTimestamp(seconds: s, nanos: Int64(t.nanos) + r) else { return timestampOverflow }
        return .timestamp(ts)
    }

    /// `a[i]` for lists (int, uint or integral double index) and maps.
    static func index(_ a: CELValue, _ i: CELValue) -> CELValue {
        switch a {
        case .list(let l):
            let idx: Int64
            switch i {
            case .int(let x): idx = x
            case .uint(let x):
                guard x <= UInt64(Int64.max) else { return .error("index out of range") }
                idx = Int64(x)
            case .double(let d):
                guard let x = Int64(exactly: d) else { return .error("unsupported index value \(GoFloat.formatG(d)) in list") }
                idx = x
            default: return .error("unsupported index type '\(i.celType.name)' in list")
            }
            guard idx >= 0, idx < Int64(l.count) else {
                return .error("index '\(idx)' out of range in list size '\(l.count)'")
            }
            return l[Int(idx)]
        case .map(let m):
            if let v = m.lookup(i) { return v }
            switch i {
            case .bool, .int, .uint, .string, .double: return .error("no such key: \(i.displayText)")
            default: return .error("unsupported key type: \(i.celType.name)")
            }
        default:
            return .noSuchOverload
        }
    }

    /// `a[?i]`: an optional of the element or entry, `optional.none()` when absent.
    static func optionalIndex(_ a: CELValue, _ i: CELValue) -> CELValue {
        switch a {
        case .optional(let o):
            guard let inner = o.value else { return .optional(.none) }
            return optionalIndex(inner, i)
        case .list(let l):
            let idx: Int64?
            switch i {
            case .int(let x): idx = x
            case .uint(let x): idx = x <= UInt64(Int64.max) ? Int64(x) : nil
            case .double(let d): idx = Int64(exactly: d)
            default: return .noSuchOverload
            }
            guard let idx, idx >= 0, idx < Int64(l.count) else { return .optional(.none) }
            return .optional(.of(l[Int(idx)]))
        case .map(let m):
            return .optional(m.lookup(i).map(CELOptional.of) ?? .none)
        default:
            return .noSuchOverload
        }
    }

    /// `e in list` / `k in map`.
    static func membership(_ e: CELValue, _ container: CELValue) -> CELValue {
        switch container {
        case .list(let l):
            for x in l where celEquals(e, x) { return .bool(true) }
            return .bool(false)
        case .map(let m):
            return .bool(m.lookup(e) != nil)
        default:
            return .noSuchOverload
        }
    }
}
