import CapstanModel
import Foundation
import CapstanYAML

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

/// Every YAML document below `directory` (sorted paths), as source objects with their file positions
/// relative to `base`.
func loadYAMLTree(_ directory: URL, base: URL) throws -> [SourceObject] {
    let fm = FileManager.default
    var files: [String] = []
    if let e = fm.enumerator(atPath: directory.path) {
        for case let p as String in e where p.hasSuffix(".yaml") || p.hasSuffix(".yml") { files.append(p) }
    }
    var out: [SourceObject] = []
    for f in files.sorted() {
        let url = directory.appendingPathComponent(f)
        let rel = String(url.path.dropFirst(base.path.count + 1))
        let docs = try YAML.parseStream(try String(contentsOf: url, encoding: .utf8), file: rel)
        out += docs.filter { !$0.isEmpty }.map { SourceObject(document: $0) }
    }
    return out
}

/// Parses a YAML stream held in a string (test fixtures).
func yamlObjects(_ text: String, file: String = "fixture.yaml") throws -> [SourceObject] {
    try YAML.parseStream(text, file: file).filter { !$0.isEmpty }.map { SourceObject(document: $0) }
}

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
