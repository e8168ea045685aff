import CapstanModel

/// Structural pruning as a check (apiextensions-apiserver schema/pruning `PruneWithOptions` with unknown-field
/// tracking): lists the fields that pruning would drop, as sorted dotted paths (`a`, `b.c`, `d[0].e`).
enum UnknownFields {
    static func paths(_ value: Value, _ schema: JSONSchema?) -> [String] {
        var out: [String] = []
        prune(value, schema, parent: "", into: &out)
        return out.sorted()
    }

    static func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : parent + "." + key }

    static func prune(_ value: Value, _ s: JSONSchema?, parent: String, into out: inout [String]) {
        if let s, s.preserveUnknownFields {
            skipPrune(value, s, parent: parent, into: &out)
            return
        }
        switch value {
        case .map(let m):
            guard let s else {
                for e in m { out.append(join(parent, e.key)) }
                return
            }
            for e in m {
                if let prop = s.property(e.key) {
                    prune(e.value, prop, parent: join(parent, e.key), into: &out)
                } else if let ap = s.additionalProperties {
                    prune(e.value, ap, parent: join(parent, e.key), into: &out)
                } else {
                    out.append(join(parent, e.key))
                }
            }
        case .list(let l):
            for (i, item) in l.enumerated() { prune(item, s?.items, parent: parent + "[\(i)]", into: &out) }
        default:
            return
        }
    }

    /// Under `x-kubernetes-preserve-unknown-fields`: undeclared members are kept as they are, declared ones
    /// are pruned by their own schema.
    static func skipPrune(_ value: Value, _ s: JSONSchema, parent: String, into out: inout [String]) {
        switch value {
        case .map(let m):
            for e in m {
                if let prop = s.property(e.key) {
                    prune(e.value, prop, parent: join(parent, e.key), into: &out)
                } else if let ap = s.additionalProperties {
                    prune(e.value, ap, parent: join(parent, e.key), into: &out)
                }
            }
        case .list(let l):
            guard let items = s.items else { return }
            for (i, item) in l.enumerated() { skipPrune(item, items, parent: parent + "[\(i)]", into: &out) }
        default:
            return
        }
    }
}
