import CapstanModel

/// Structural defaulting of variable values (apiextensions-apiserver schema/defaulting `Default`, as called by
/// internal/topology/variables/cluster_variable_defaulting.go).
enum StructuralDefaulting {
    /// Fills defaults into `value` below `schema`: absent or null properties with a default get a copy of
    /// it, null list items get the items default, then every present member is visited. `allOf`/`anyOf`/
    /// `oneOf`/`not` are never consulted.
    static func apply(_ value: inout Value, _ schema: JSONSchema) {
        switch value {
        case .map(var m):
            value = .null
            for (name, prop) in schema.properties {
                guard let def = prop.defaultValue else { continue }
                if let present = m[name], !present.isNull { continue }
                m[name] = def
            }
            for i in m.indices {
                let key = m[i].key
                var child = m[i].value
                if let prop = schema.property(key) {
                    apply(&child, prop)
                } else if let ap = schema.additionalProperties {
                    if child.isNull, let def = ap.defaultValue { child = def }
                    apply(&child, ap)
                } else {
                    continue
                }
                m[key] = child
            }
            value = .map(m)
        case .list(var l):
            guard let itemSchema = schema.items else { return }
            value = .null
            for i in l.indices {
                if l[i].isNull, let def = itemSchema.defaultValue { l[i] = def }
                apply(&l[i], itemSchema)
            }
            value = .list(l)
        default:
            return
        }
    }
}

/// Go `encoding/json` round trip of a decoded `interface{}`: keys sorted, every number through float64.
/// Integral results that print without an exponent come back as `.int` (as unstructured decoding reads them).
enum GoJSONNormalization {
    /// With `integersViaFloat` (a decode into `interface{}`), integers pass through float64 too; without it
    /// (YAML converted to JSON by sigs.k8s.io/yaml) int64 values stay exact.
    static func normalize(_ v: Value, integersViaFloat: Bool = true) -> Value {
        switch v {
        case .int(let i): return integersViaFloat ? number(Double(i)) : v
        case .double(let d): return number(d)
        case .list(let l): return .list(l.map { normalize($0, integersViaFloat: integersViaFloat) })
        case .map(let m):
            return .map(ObjectMap(uniqueEntries: m.entries.sorted { $0.key < $1.key }.map {
                .init(key: $0.key, value: normalize($0.value, integersViaFloat: integersViaFloat))
            }))
        default: return v
        }
    }

    static func number(_ d: Double) -> Value {
        if d == d.rounded(), Swift.abs(d) < 1e21, let i = Int64(exactly: d) { return .int(i) }
        return .double(d)
    }
}

extension VariableSet {
    /// Defaults one variable list (`defaultClusterVariables`): `create` adds absent variables that have a
    /// top-level default (the Cluster-wide list); override lists only default what is present.
    func defaulted(_ values: [ClusterVariable], create: Bool, path: FieldPath) -> ([ClusterVariable], [FieldError]) {
        if let errs = duplicateErrors(values, path: path) { return ([], errs) }
        if let errs = conflictErrors(path: path) { return ([], errs) }
        var errs: [FieldError] = []
        var out: [ClusterVariable] = []
        var all = values
        for def in catalogue where !values.contains(where: { $0.name == def.name }) { all.append(ClusterVariable(name: def.name, value: nil)) }
        for (i, variable) in all.enumerated() {
            let fld = path.key(variable.name)
            guard let def = definition(variable.name) else {
                errs.append(.invalid(fld, variable.rawText, "variable is not defined"))
                continue
            }
            let isPresent = i < values.count
            if !isPresent && (!create || def.schema.defaultValue == nil) { continue }
            var wrapped: Value = .map([def.name: variable.value ?? .null])
            StructuralDefaulting.apply(&wrapped, def.wrapper)
            out.append(ClusterVariable(name: def.name, value: GoJSONNormalization.normalize(wrapped[def.name] ?? .null)))
        }
        return errs.isEmpty ? (out, []) : ([], errs)
    }
}
