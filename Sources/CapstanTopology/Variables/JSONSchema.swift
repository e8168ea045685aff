import CapstanRegex
import CapstanModel

/// The ClusterClass variable schema subset (api/core/v1beta2 `JSONSchemaProps`), parsed once per class.
/// Only keywords that affect defaulting and validation are read; `description` and `x-metadata` are kept
/// in `raw` for admission checks only.
final class JSONSchema: Sendable {
    let raw: Value
    let type: String
    let properties: [(name: String, schema: JSONSchema)]
    let propertyIndex: [String: Int]
    let additionalProperties: JSONSchema?
    let items: JSONSchema?
    let required: [String]
    let minProperties: Int64?
    let maxProperties: Int64?
    let minItems: Int64?
    let maxItems: Int64?
    let uniqueItems: Bool
    let format: String
    let minLength: Int64?
    let maxLength: Int64?
    let pattern: String
    let compiledPattern: CompiledPattern?
    let minimum: Value?
    let maximum: Value?
    let exclusiveMinimum: Bool
    let exclusiveMaximum: Bool
    let enumValues: [Value]?
    let defaultValue: Value?
    let example: Value?
    let preserveUnknownFields: Bool
    let intOrString: Bool
    /// `x-kubernetes-validations` rules as written (compiled per variable by `SchemaRules`).
    let validations: [Value]
    let allOf: [JSONSchema]
    let oneOf: [JSONSchema]
    let anyOf: [JSONSchema]
    let not: JSONSchema?

    init(_ v: Value) {
        raw = v
        type = v["type"]?.stringValue ?? ""
        var props: [(String, JSONSchema)] = []
        if case .map(let m)? = v["properties"] {
            // kube-openapi walks a Go map; sorted names make our error order stable.
            for e in m.entries.sorted(by: { $0.key < $1.key }) { props.append((e.key, JSONSchema(e.value))) }
        }
        properties = props.map { (name: $0.0, schema: $0.1) }
        propertyIndex = Dictionary(uniqueKeysWithValues: props.enumerated().map { ($0.element.0, $0.offset) })
        additionalProperties = v.member("additionalProperties").flatMap { $0.mapValue != nil ? JSONSchema($0) : nil }
        items = v.member("items").flatMap { $0.mapValue != nil ? JSONSchema($0) : nil }
        required = (v["required"]?.listValue ?? []).compactMap(\.stringValue)
        minProperties = v["minProperties"]?.intValue
        maxProperties = v["maxProperties"]?.intValue
        minItems = v["minItems"]?.intValue
        maxItems = v["maxItems"]?.intValue
        uniqueItems = v["uniqueItems"]?.boolValue ?? false
        format = v["format"]?.stringValue ?? ""
        minLength = v["minLength"]?.intValue
        maxLength = v["maxLength"]?.intValue
        pattern = v["pattern"]?.stringValue ?? ""
        compiledPattern = pattern.isEmpty ? nil : CompiledPattern(pattern)
        minimum = v.member("minimum")
        maximum = v.member("maximum")
        exclusiveMinimum = v["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = v["exclusiveMaximum"]?.boolValue ?? false
        enumValues = v.member("enum")?.listValue
        defaultValue = v["default"]
        example = v["example"]
        preserveUnknownFields = v["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = v["x-kubernetes-int-or-string"]?.boolValue ?? false
        validations = v["x-kubernetes-validations"]?.listValue ?? []
        allOf = (v["allOf"]?.listValue ?? []).map(JSONSchema.init)
        oneOf = (v["oneOf"]?.listValue ?? []).map(JSONSchema.init)
        anyOf = (v["anyOf"]?.listValue ?? []).map(JSONSchema.init)
        not = v.member("not").map(JSONSchema.init)
    }

    /// The schema of a declared property (a linear scan for the few properties schemas usually have).
    func property(_ name: String) -> JSONSchema? {
        if properties.count <= 8 {
            for p in properties where p.name == name { return p.schema }
            return nil
        }
        return propertyIndex[name].map { properties[$0].schema }
    }

    /// The accepted JSON types: `x-kubernetes-int-or-string` means integer or string.
    var acceptedTypes: [String] {
        if intOrString { return ["integer", "string"] }
        return type.isEmpty ? [] : [type]
    }

}

/// A `pattern` compiled once with the RE2 engine the CEL rules use (`CapstanRegex`): Go's syntax and
/// semantics, and linear-time matching, so a pathological pattern in a ClusterClass cannot stall a render
/// (a backtracking engine can take exponential time on a crafted variable value).
struct CompiledPattern: Sendable {
    let regex: RegexProgram?

    init(_ pattern: String) { regex = try? RegexProgram(pattern: pattern) }

    /// Unanchored match, as Go's `regexp.MatchString`.
    func matches(_ s: String) -> Bool { regex?.matches(s) ?? false }
}
