import CapstanRegex
/// The Kubernetes `lists` library (k8s.io/apiserver/pkg/cel/library/lists.go, version 0):
/// `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`.
enum KubernetesLists {
    static func register(_ t: inout FunctionTable) {
        t.member("isSorted", cost: .linear(0)) { l in
            guard case .list(let list) = l else { return nil }
            var prev: CELValue?
            for v in list {
                if let p = prev {
                    guard let o = celOrder(p, v) else { return overloadError("isSorted", [p, v], node: 0) }
                    if o == .greater { return .bool(false) }
                }
                prev = v
            }
            return .bool(true)
        }
        t.member("sum", cost: .linear(0)) { l in
            guard case .list(let list) = l else { return nil }
            // The element type decides the zero value; an empty list has none at runtime, so it sums to int 0.
            guard var acc = list.first else { return .int(0) }
            switch acc {
            case .int, .uint, .double, .duration: break
            default: return overloadError("sum", [l], node: 0)
            }
            for v in list.dropFirst() {
                acc = Operators.add(acc, v)
                if case .error = acc { return acc }
            }
            return acc
        }
        t.member("min", cost: .linear(0)) { l in extreme(l, "min", prefer: .greater) }
        t.member("max", cost: .linear(0)) { l in extreme(l, "max", prefer: .less) }
        t.member("indexOf", cost: .linear(0)) { l, x in
            guard case .list(let list) = l else { return nil }
            for (i, v) in list.enumerated() where celEquals(v, x) { return .int(Int64(i)) }
            return .int(-1)
        }
        t.member("lastIndexOf", cost: .linear(0)) { l, x in
            guard case .list(let list) = l else { return nil }
            for i in list.indices.reversed() where celEquals(list[i], x) { return .int(Int64(i)) }
            return .int(-1)
        }
    }

    /// min/max: keeps the current result unless it compares as `prefer` against the next element.
    static func extreme(_ l: CELValue, _ name: String, prefer: CELOrder) -> CELValue? {
        guard case .list(let list) = l else { return nil }
        guard var result = list.first else { return .error("\(name) called on empty list") }
        for v in list.dropFirst() {
            guard let o = celOrder(result, v) else { return overloadError(name, [result, v], node: 0) }
            if o == prefer { result = v }
        }
        return result
    }
}

/// The Kubernetes `regex` library (regex.go): `find`, `findAll`.
enum KubernetesRegex {
    static func register(_ t: inout FunctionTable) {
        t.member("find", cost: .regex) { s, p in
            guard case .string(let str) = s, case .string(let pattern) = p else { return nil }
            switch RegexCache.shared.compile(pattern) {
            case .success(let re): return .string(re.firstMatch(str) ?? "")
            case .failure(let e): return .error(e.message)
            }
        }
        t.member("findAll", cost: .regex) { s, p in
            guard case .string(let str) = s, case .string(let pattern) = p else { return nil }
            switch RegexCache.shared.compile(pattern) {
            case .success(let re): return .list(re.allMatches(str, limit: -1).map(CELValue.string))
            case .failure(let e): return .error(e.message)
            }
        }
        t.member("findAll", cost: .regex) { s, p, n in
            guard case .string(let str) = s, case .string(let pattern) = p, case .int(let limit) = n else { return nil }
            switch RegexCache.shared.compile(pattern) {
            case .success(let re):
                // Go's FindAllString: a negative limit means all; zero means none.
                if limit == 0 { return .list([]) }
                return .list(re.allMatches(str, limit: limit < 0 ? -1 : Int(clamping: limit)).map(CELValue.string))
            case .failure(let e): return .error(e.message)
            }
        }
    }
}

/// cel-go `ext.Sets`: `sets.contains`, `sets.equivalent`, `sets.intersects` (CEL equality).
enum SetsExtension {
    static func register(_ t: inout FunctionTable) {
        t.global("sets.contains", cost: .linear(0)) { a, b in
            guard case .list(let x) = a, case .list(let y) = b else { return nil }
            return .bool(y.allSatisfy { e in x.contains { celEquals($0, e) } })
        }
        t.global("sets.equivalent", cost: .linear(0)) { a, b in
            guard case .list(let x) = a, case .list(let y) = b else { return nil }
            let sub = y.allSatisfy { e in x.contains { celEquals($0, e) } }
            let sup = x.allSatisfy { e in y.contains { celEquals($0, e) } }
            return .bool(sub && sup)
        }
        t.global("sets.intersects", cost: .linear(0)) { a, b in
            guard case .list(let x) = a, case .list(let y) = b else { return nil }
            return .bool(y.contains { e in x.contains { celEquals($0, e) } })
        }
    }
}
