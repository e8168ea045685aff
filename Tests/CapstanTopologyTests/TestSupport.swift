import CapstanModel
import Foundation

@testable import CapstanTopology

/// Parses JSON test input (tests fail loudly on malformed fixtures).
func json(_ text: String) -> Value {
    do { return try JSON.parse(text) } catch { fatalError("bad test JSON: \(error)\n\(text)") }
}

/// A variable catalogue from `[{name, required?, schema}]` where `schema` is the openAPIV3Schema.
func variableSet(_ text: String) -> VariableSet {
    let defs = (json(text).listValue ?? []).enumerated().map { i, v in
        var w = v
        w["schema"] = .map(["openAPIV3Schema": v["schema"] ?? .map([:])])
        return ClassVariable(index: i, w)
    }
    return VariableSet(defs)
}

/// Cluster variables from `[{name, value}]`.
func clusterVariables(_ text: String) -> [ClusterVariable] {
    (json(text).listValue ?? []).map(ClusterVariable.init)
}

/// The serialized values of a defaulted list, as upstream compares raw JSON.
func raw(_ vars: [ClusterVariable]) -> [String] { vars.map { "\($0.name)=\($0.rawText)" } }

let variablesPath = FieldPath("spec", "topology", "variables")
