import CapstanModel
import CapstanPolicy

/// One entry of the ClusterClass variable catalogue ("status.variables"), inline definitions only.
struct VariableDefinition: Sendable {
    var name: String
    var required: Bool
    var schema: JSONSchema
    /// `{type: object, properties: {<name>: schema}}`: the Kubernetes schema libraries need an object root.
    var wrapper: JSONSchema
    /// Index in `spec.variables` (for source positions).
    var index: Int
    /// The schema's `x-kubernetes-validations`, compiled once per class.
    var rules: SchemaRules
    /// `from`: always "inline" here; external (discovered) variables need a Runtime Extension.
    var from: String { "inline" }
}

/// The variable catalogue of a ClusterClass, sorted by name as the ClusterClass controller sorts
/// `status.variables` (core/reconcilers/clusterclass/clusterclass_controller.go `reconcileVariables`).
struct VariableSet: Sendable {
    let catalogue: [VariableDefinition]
    private let byName: [String: Int]

    init(_ variables: [ClassVariable]) {
        var seen = Set<String>()
        var defs: [VariableDefinition] = []
        for v in variables where seen.insert(v.name).inserted {
            let schema = JSONSchema(v.schema)
            let wrapper = JSONSchema(.map(["type": "object", "properties": .map([v.name: v.schema])]))
            defs.append(VariableDefinition(
                name: v.name, required: v.required, schema: schema, wrapper: wrapper, index: v.index,
                rules: SchemaRules(schema: v.schema)))
        }
        catalogue = defs.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        byName = Dictionary(uniqueKeysWithValues: catalogue.enumerated().map { ($0.element.name, $0.offset) })
    }

    func definition(_ name: String) -> VariableDefinition? {
        if catalogue.count <= 16 {
            for d in catalogue where d.name == name { return d }
            return nil
        }
        return byName[name].map { catalogue[$0] }
    }

    /// `newValuesIndex`: a name set twice is an error.
    func duplicateErrors(_ values: [ClusterVariable], path: FieldPath) -> [FieldError]? {
        var errs: [FieldError] = []
        for (i, v) in values.enumerated() where values[..<i].contains(where: { $0.name == v.name }) {
            errs.append(.invalid(path.key(v.name), v.rawText, "variable \(GoQuote.quote(v.name)) is set more than once"))
        }
        return errs.isEmpty ? nil : errs
    }

    /// `newDefinitionsIndex`: inline-only catalogues never conflict (names are unique), so this is nil.
    func conflictErrors(path: FieldPath) -> [FieldError]? { nil }

}
