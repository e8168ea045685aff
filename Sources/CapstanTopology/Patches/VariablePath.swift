import CapstanModel

/// `valueFrom.variable` lookup (core/reconcilers/topology/cluster/patches/variables/value.go `GetVariableValue`):
/// `a.b[0].c`, split on every `.`, each segment with an optional `[n]`.
enum VariablePath {
    struct Segment {
        var name: String
        var index: Int?
    }

    static func segment(_ s: Substring) throws(TopologyError) -> Segment {
        let hasOpen = s.contains("["), hasClose = s.contains("]")
        if hasOpen != hasClose { throw TopologyError("failed to parse path segment \(GoQuote.quote(String(s)))") }
        guard hasOpen, let open = s.firstIndex(of: "["), let close = s.firstIndex(of: "]") else { return Segment(name: String(s)) }
        guard open < close else { throw TopologyError("failed to parse path segment \(GoQuote.quote(String(s)))") }
        let text = s[s.index(after: open)..<close]
        guard let index = Int(text) else {
            throw TopologyError("failed to parse array index in path segment \(GoQuote.quote(String(s))): strconv.Atoi: parsing \(GoQuote.quote(String(text))): invalid syntax")
        }
        if index < 0 { throw TopologyError("invalid array index \(index) in path segment \(GoQuote.quote(String(s)))") }
        return Segment(name: String(s[..<open]), index: index)
    }

    static func element(_ v: Value, _ seg: Segment, _ full: String) throws(TopologyError) -> Value {
        guard let index = seg.index else { return v }
        guard case .list(let l) = v else {
            throw TopologyError("variable \(GoQuote.quote(full)) is invalid: failed to get array \(GoQuote.quote(seg.name)): value doesn't contain array; it contains \(goJSONType(v))")
        }
        // Upstream prints the index pointer with %d; we print the index itself.
        guard index < l.count else { throw TopologyError("variable \(GoQuote.quote(full)) is invalid: array does not have index \(index)") }
        return l[index]
    }

    static func goJSONType(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int, .double: "number"
        case .string: "string"
        case .list: "array"
        case .map: "object"
        }
    }

    /// The selected value, with its original types.
    static func lookup(_ variables: ObjectMap, _ path: String) throws(TopologyError) -> Value {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        let first: Segment
        do {
            first = try segment(parts[0])
        } catch {
            throw error.wrapped("variable \(GoQuote.quote(path)) is invalid")
        }
        guard var value = variables[first.name] else {
            throw TopologyError("variable \(GoQuote.quote(String(parts[0]))) does not exist")
        }
        value = try element(value, first, path)
        for part in parts.dropFirst() {
            let seg: Segment
            do {
                seg = try segment(part)
            } catch {
                throw error.wrapped("variable \(GoQuote.quote(path)) has invalid syntax")
            }
            guard case .map(let m) = value, let next = m[seg.name] else {
                throw TopologyError("variable \(GoQuote.quote(path)) does not exist: failed to lookup segment \(GoQuote.quote(seg.name))")
            }
            value = try element(next, seg, path)
        }
        return value
    }
}
