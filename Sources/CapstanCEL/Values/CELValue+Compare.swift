import CapstanModel

/// The result of ordering two values.
enum CELOrder {
    case less, equal, greater
    /// NaN was involved: every ordering operator is false.
    case unordered
}

/// CEL runtime equality: numbers compare on the real line across int/uint/double, NaN equals
/// nothing, values of different types are unequal (never an error), lists element-wise, maps key-wise.
func celEquals(_ a: CELValue, _ b: CELValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.uint(let x), .uint(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.int, .uint), (.uint, .int), (.int, .double), (.double, .int), (.uint, .double), (.double, .uint):
        return numericOrder(a, b) == .equal
    case (.string(let x), .string(let y)): return CodePoints.equal(x, y)
    case (.bytes(let x), .bytes(let y)): return x == y
    case (.list(let x), .list(let y)):
        guard x.count == y.count else { return false }
        if case .json(let p) = x.storage, case .json(let q) = y.storage { return jsonEquals(p, q) }
        for i in 0..<x.count where !celEquals(x[i], y[i]) { return false }
        return true
    case (.map(let x), .map(let y)):
        guard x.count == y.count else { return false }
        if case .json(let p) = x.storage, case .json(let q) = y.storage {
            for e in p.entries {
                guard let other = q[e.key], jsonEquals(e.value, other) else { return false }
            }
            return true
        }
        for i in 0..<x.count {
            guard let other = y.lookup(x.key(at: i)), celEquals(x.value(at: i), other) else { return false }
        }
        return true
    case (.timestamp(let x), .timestamp(let y)): return x == y
    case (.duration(let x), .duration(let y)): return x == y
    case (.type(let x), .type(let y)): return x == y
    case (.optional(let x), .optional(let y)):
        switch (x.value, y.value) {
        case (nil, nil): return true
        case (let p?, let q?): return celEquals(p, q)
        default: return false
        }
    case (.opaque(let x), .opaque(let y)): return x.celEquals(y)
    default: return false
    }
}

/// JSON equality with CEL's rules (NaN unequal; 1 == 1.0). `Value ==` already follows them.
@inline(__always)
func jsonEquals(_ a: Value, _ b: Value) -> Bool { a == b }
@inline(__always)
func jsonEquals(_ a: [Value], _ b: [Value]) -> Bool { a == b }

/// Orders two numbers of any numeric types (int/uint exactly; against doubles as cel-go does).
func numericOrder(_ a: CELValue, _ b: CELValue) -> CELOrder? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return order(x, y)
    case (.uint(let x), .uint(let y)): return order(x, y)
    case (.double(let x), .double(let y)):
        if x.isNaN || y.isNaN { return .unordered }
        return order(x, y)
    case (.int(let x), .uint(let y)): return x < 0 ? .less : order(UInt64(x), y)
    case (.uint(let x), .int(let y)): return y < 0 ? .greater : order(x, UInt64(y))
    case (.int(let x), .double(let y)): return compareIntDouble(x, y)
    case (.double(let x), .int(let y)): return invert(compareIntDouble(y, x))
    case (.uint(let x), .double(let y)): return compareUintDouble(x, y)
    case (.double(let x), .uint(let y)): return invert(compareUintDouble(y, x))
    default: return nil
    }
}

/// Ordering for `<`, `<=`, `>`, `>=`: numbers (cross-type), strings, bytes, bools, timestamps, durations.
func celOrder(_ a: CELValue, _ b: CELValue) -> CELOrder? {
    switch (a, b) {
    case (.string(let x), .string(let y)):
        // Code point order equals UTF-8 byte order.
        return CodePoints.equal(x, y) ? .equal : (x.utf8.lexicographicallyPrecedes(y.utf8) ? .less : .greater)
    case (.bytes(let x), .bytes(let y)): return x == y ? .equal : (x.lexicographicallyPrecedes(y) ? .less : .greater)
    case (.bool(let x), .bool(let y)): return x == y ? .equal : (!x ? .less : .greater)
    case (.timestamp(let x), .timestamp(let y)): return order(x, y)
    case (.duration(let x), .duration(let y)): return order(x, y)
    default: return numericOrder(a, b)
    }
}

@inline(__always)
private func order<T: Comparable>(_ x: T, _ y: T) -> CELOrder { x < y ? .less : (x == y ? .equal : .greater) }

private func invert(_ o: CELOrder) -> CELOrder {
    switch o {
    case .less: .greater
    case .greater: .less
    default: o
    }
}

/// int vs double as cel-go compares them: out-of-range doubles order outside every int, otherwise the
/// int is converted to double (lossy above 2^53, which the conformance suite expects).
private func compareIntDouble(_ x: Int64, _ y: Double) -> CELOrder {
    if y.isNaN { return .unordered }
    if y < -9_223_372_036_854_775_808.0 { return .greater }
    if y > 9_223_372_036_854_775_807.0 { return .less }
    return order(Double(x), y)
}

private func compareUintDouble(_ x: UInt64, _ y: Double) -> CELOrder {
    if y.isNaN { return .unordered }
    if y < 0 { return .greater }
    if y > 18_446_744_073_709_551_615.0 { return .less }
    return order(Double(x), y)
}
