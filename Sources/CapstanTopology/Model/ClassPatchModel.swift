import CapstanModel

/// `ClusterClassVariable` (v1beta2).
struct ClassVariable: Sendable {
    var index: Int
    var name: String
    var required: Bool
    /// `schema.openAPIV3Schema` as written.
    var schema: Value
    var raw: Value

    init(index: Int, _ v: Value) {
        self.index = index
        raw = v
        name = v["name"]?.stringValue ?? ""
        required = v["required"]?.boolValue ?? false
        schema = v[path: ["schema", "openAPIV3Schema"]] ?? .map([:])
    }
}

/// One `jsonPatches` entry of an inline patch definition.
struct JSONPatchEntry: Sendable {
    var index: Int
    var op: String
    var path: String
    /// `value` as written; nil when the key is absent.
    var value: Value?
    var hasValueFrom: Bool
    var valueFromVariable: String
    var valueFromTemplate: String

    init(index: Int, _ v: Value) {
        self.index = index
        op = v["op"]?.stringValue ?? ""
        path = v["path"]?.stringValue ?? ""
        value = v["value"]
        hasValueFrom = v.member("valueFrom") != nil
        valueFromVariable = v[path: ["valueFrom", "variable"]]?.stringValue ?? ""
        valueFromTemplate = v[path: ["valueFrom", "template"]]?.stringValue ?? ""
    }
}

/// `PatchSelector`: apiVersion/kind plus the holders it applies to.
struct PatchSelector: Sendable {
    var apiVersion: String
    var kind: String
    var infrastructureCluster: Bool
    var controlPlane: Bool
    /// nil when `machineDeploymentClass` is absent.
    var machineDeploymentClassNames: [String]?
    var machinePoolClassNames: [String]?
    var raw: Value

    init(_ v: Value) {
        raw = v
        apiVersion = v["apiVersion"]?.stringValue ?? ""
        kind = v["kind"]?.stringValue ?? ""
        let m = v["matchResources"] ?? .map([:])
        infrastructureCluster = m["infrastructureCluster"]?.boolValue ?? false
        controlPlane = m["controlPlane"]?.boolValue ?? false
        machineDeploymentClassNames = m.member("machineDeploymentClass").map { ($0["names"]?.listValue ?? []).compactMap(\.stringValue) }
        machinePoolClassNames = m.member("machinePoolClass").map { ($0["names"]?.listValue ?? []).compactMap(\.stringValue) }
    }
}

/// One inline patch definition: a selector and its JSON patches.
struct PatchDefinition: Sendable {
    var index: Int
    var selector: PatchSelector
    var jsonPatches: [JSONPatchEntry]

    init(index: Int, _ v: Value) {
        self.index = index
        selector = PatchSelector(v["selector"] ?? .map([:]))
        jsonPatches = (v["jsonPatches"]?.listValue ?? []).enumerated().map { JSONPatchEntry(index: $0.offset, $0.element) }
    }
}

/// `external` of a patch: Runtime Extension names.
struct ExternalPatch: Sendable {
    var generatePatchesExtension: String
    var validateTopologyExtension: String
    var discoverVariablesExtension: String

    init(_ v: Value) {
        generatePatchesExtension = v["generatePatchesExtension"]?.stringValue ?? ""
        validateTopologyExtension = v["validateTopologyExtension"]?.stringValue ?? ""
        discoverVariablesExtension = v["discoverVariablesExtension"]?.stringValue ?? ""
    }

    /// The extension names, for messages.
    var names: [String] {
        [generatePatchesExtension, validateTopologyExtension, discoverVariablesExtension].filter { !$0.isEmpty }
    }
}

/// `ClusterClassPatch` (v1beta2).
struct ClassPatch: Sendable {
    var index: Int
    var name: String
    var enabledIf: String
    /// nil when `definitions` is absent (distinct from an empty list for admission).
    var definitions: [PatchDefinition]?
    var external: ExternalPatch?
    var raw: Value

    init(index: Int, _ v: Value) {
        self.index = index
        raw = v
        name = v["name"]?.stringValue ?? ""
        enabledIf = v["enabledIf"]?.stringValue ?? ""
        definitions = v.member("definitions").map { ($0.listValue ?? []).enumerated().map { PatchDefinition(index: $0.offset, $0.element) } }
        external = v.member("external").map(ExternalPatch.init)
    }
}
