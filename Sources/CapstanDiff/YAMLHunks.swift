public import CapstanCluster
public import CapstanModel

/// Renders an `ObjectChange` as a unified diff of the YAML of both sides. The emitter is passed in (the
/// plan uses CapstanYAML's), keeping this module free of the YAML library. Before emitting, the new side's
/// map keys and keyed-list items are put in the old side's order, so the hunks show exactly the field
/// changes and never a reordering that server-side apply would not see.
public struct YAMLHunks: Sendable {
    public let emit: @Sendable (Value) -> String
    public let rules: MergeRules
    public let context: Int

    public init(rules: MergeRules = .kubernetes, context: Int = 3, emit: @escaping @Sendable (Value) -> String) {
        self.emit = emit
        self.rules = rules
        self.context = context
    }

    /// The hunks for one change: every line added for a create, removed for a delete, "" when unchanged.
    public func render(_ change: ObjectChange) -> String {
        let oldText = change.old.map { emit($0.body) } ?? ""
        var newText = ""
        if let n = change.new {
            let aligned = change.old.map { Self.align(n.body, to: $0.body, rules: rules, apiVersion: n.apiVersion) } ?? n.body
            newText = emit(aligned)
        }
        if oldText == newText { return "" }
        return UnifiedDiff.render(old: oldText, new: newText, context: context)
    }

    /// `value` with map keys and keyed-list items ordered as in `reference` (new ones after, in their order).
    public static func align(_ value: Value, to reference: Value, rules: MergeRules, apiVersion: String) -> Value {
        var schema: [String] = []
        return align(value, reference, rules: rules, apiVersion: apiVersion, schema: &schema)
    }

    static func align(_ v: Value, _ ref: Value, rules: MergeRules, apiVersion: String, schema: inout [String]) -> Value {
        switch (v, ref) {
        case (.map(let m), .map(let r)):
            var out = ObjectMap()
            for e in r {
                guard let value = m[e.key] else { continue }
                schema.append(e.key)
                out.append(key: e.key, value: align(value, e.value, rules: rules, apiVersion: apiVersion, schema: &schema))
                schema.removeLast()
            }
            for e in m where !r.contains(e.key) { out.append(key: e.key, value: e.value) }
            return .map(out)
        case (.list(let l), .list(let r)):
            let type = rules.listType(at: schema[...], apiVersion: apiVersion)
            schema.append("[]")
            defer { schema.removeLast() }
            if case .atomic = type {
                guard l.count == r.count else { return v }
                return .list(zip(l, r).map { align($0, $1, rules: rules, apiVersion: apiVersion, schema: &schema) })
            }
            guard let le = type.itemElements(l), let re = type.itemElements(r) else { return v }
            var index: [PathElement: Int] = [:]
            for (i, e) in le.enumerated() { index[e] = i }
            var out: [Value] = []
            var used = Set<Int>()
            for (j, e) in re.enumerated() {
                guard let i = index[e] else { continue }
                used.insert(i)
                out.append(align(l[i], r[j], rules: rules, apiVersion: apiVersion, schema: &schema))
            }
            for i in l.indices where !used.contains(i) { out.append(l[i]) }
            return .list(out)
        default:
            return v
        }
    }
}
