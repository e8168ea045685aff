public import CapstanModel

extension TemplateValue {
    /// Template data from a JSON value the way CAPI builds it (`calculateTemplateData`): marshalled and
    /// unmarshalled through Go `encoding/json` into `interface{}`, so every number becomes a `float64`,
    /// objects become `map[string]interface{}` and arrays `[]interface{}`.
    public init(json value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .float64(Double(i))
        case .double(let d): self = .float64(d)
        case .string(let s): self = .string(s)
        case .list(let items): self = .list(TemplateList(items.map(TemplateValue.init(json:))))
        case .map(let object):
            var entries: [String: TemplateValue] = [:]
            entries.reserveCapacity(object.count)
            // encoding/json: a duplicate key keeps the last value.
            for entry in object.entries { entries[entry.key] = TemplateValue(json: entry.value) }
            self = .map(TemplateMap(entries))
        }
    }
}
