import CapstanModel

extension PatchEngine {
    /// The inline generator (patches/inline/json_patch_generator.go): per item, the matching definitions,
    /// `enabledIf`, then one JSON patch document per definition. Errors are collected over all items.
    func generate(_ compiled: CompiledPatch, items: [PatchItem]) throws(TopologyError) -> [(Int, JSONPatch)] {
        guard let definitions = compiled.patch.definitions, !definitions.isEmpty else {
            throw TopologyError("failed to create patch generator for patch \(GoQuote.quote(compiled.patch.name))")
        }
        var docs: [(Int, JSONPatch)] = []
        var errors: [String] = []
        var origin: ErrorOrigin?
        for (i, item) in items.enumerated() {
            let matching = definitions.filter { matches($0.selector, item) }
            if matching.isEmpty { continue }
            if let enabledIf = compiled.enabledIf {
                do {
                    let value = try Self.render(enabledIf, compiled.patch.enabledIf, item).wrappedError("failed to calculate value for enabledIf")
                    if value != .bool(true) { continue }
                } catch {
                    errors.append("failed to calculate if patch is enabled for \(GoQuote.quote(item.kind)): \(error.message)")
                    origin = origin ?? .clusterClass(["spec", "patches", String(compiled.patch.index), "enabledIf"])
                    continue
                }
            }
            for def in matching {
                do {
                    docs.append((i, try document(def, compiled.templates[def.index], compiled.pointers[def.index], item)))
                } catch {
                    errors.append("failed to generate JSON patches for \(GoQuote.quote(item.kind)): \(error.message)")
                    origin = origin ?? error.origin
                        ?? .clusterClass(["spec", "patches", String(compiled.patch.index), "definitions", String(def.index)])
                }
            }
        }
        if !errors.isEmpty {
            var seen = Set<String>()
            let unique = errors.filter { seen.insert($0).inserted }
            throw TopologyError(unique.count == 1 ? unique[0] : "[" + unique.joined(separator: ", ") + "]",
                                origin: origin ?? .clusterClass(["spec", "patches", String(compiled.patch.index)]))
        }
        return docs
    }

    /// `matchesSelector`: apiVersion and kind, then any enabled holder match.
    func matches(_ s: PatchSelector, _ item: PatchItem) -> Bool {
        guard item.apiVersion == s.apiVersion, item.kind == s.kind else { return false }
        if s.infrastructureCluster && item.holderKind == "Cluster" && item.holderFieldPath == "spec.infrastructureRef" { return true }
        if s.controlPlane {
            if item.holderKind == "Cluster" && item.holderFieldPath == "spec.controlPlaneRef" { return true }
            if item.holderFieldPath == ControlPlaneContract.v1beta1.holderFieldPath || item.holderFieldPath == ControlPlaneContract.v1beta2.holderFieldPath {
                return true
            }
        }
        let workerField = item.holderFieldPath == "spec.template.spec.bootstrap.configRef" || item.holderFieldPath == "spec.template.spec.infrastructureRef"
        if let names = s.machineDeploymentClassNames, item.holderKind == "MachineDeployment", workerField, let cls = item.workerClass {
            if names.contains(where: { ClassNamePattern.matches($0, cls) }) { return true }
        }
        if let names = s.machinePoolClassNames, item.holderKind == "MachinePool", workerField, let cls = item.workerClass {
            if names.contains(where: { ClassNamePattern.matches($0, cls) }) { return true }
        }
        return false
    }

    /// `MergeVariableMaps(global, item)`: item values win; `builtin` is merged by section.
    static func merge(_ global: ObjectMap, _ item: ObjectMap) -> ObjectMap {
        var out = global
        for e in item {
            if e.key == "builtin", let g = out["builtin"] {
                out["builtin"] = BuiltinVariables.merge([g, e.value])
            } else {
                out[e.key] = e.value
            }
        }
        return out
    }

    /// One RFC 6902 document from a definition's `jsonPatches` (`generateJSONPatches`).
    func document(_ def: PatchDefinition, _ templates: [Int: ParsedTemplate], _ pointers: [Result<JSONPointer, TopologyError>], _ item: PatchItem) throws(TopologyError) -> JSONPatch {
        var ops: [JSONPatch.Operation] = []
        ops.reserveCapacity(def.jsonPatches.count)
        for e in def.jsonPatches {
            let pointer = try pointers[e.index].wrappedError("error applying json patch (RFC6902)")
            switch e.op {
            case "add": ops.append(.add(path: pointer, value: try value(e, templates[e.index], item)))
            case "replace": ops.append(.replace(path: pointer, value: try value(e, templates[e.index], item)))
            case "remove": ops.append(.remove(path: pointer))
            default: throw TopologyError("Unexpected kind: \(e.op)")
            }
        }
        return JSONPatch(ops)
    }

    /// `calculateValue`: exactly one of `value`, `valueFrom.variable`, `valueFrom.template`.
    func value(_ e: JSONPatchEntry, _ template: ParsedTemplate?, _ item: PatchItem) throws(TopologyError) -> Value {
        if e.value == nil && !e.hasValueFrom { throw TopologyError("failed to calculate value: neither .value nor .valueFrom are set") }
        if e.value != nil && e.hasValueFrom { throw TopologyError("failed to calculate value: both .value and .valueFrom are set") }
        if let v = e.value { return v }
        if e.valueFromVariable.isEmpty && e.valueFromTemplate.isEmpty {
            throw TopologyError("failed to calculate value: .valueFrom is set, but neither .valueFrom.variable nor .valueFrom.template are set")
        }
        if !e.valueFromVariable.isEmpty && !e.valueFromTemplate.isEmpty {
            throw TopologyError("failed to calculate value: .valueFrom is set, but both .valueFrom.variable and .valueFrom.template are set")
        }
        if !e.valueFromVariable.isEmpty {
            do {
                return try VariablePath.lookup(item.variables, e.valueFromVariable)
            } catch {
                throw error.wrapped("failed to calculate value")
            }
        }
        guard let template else { throw TopologyError("failed to calculate value for template: template not parsed") }
        return try Self.render(template, e.valueFromTemplate, item).wrappedError("failed to calculate value for template")
    }

    /// `renderValueTemplate`: execute with the variables as Go JSON data, then read the output as YAML.
    static func render(_ template: ParsedTemplate, _ text: String, _ item: PatchItem) -> Result<Value, TopologyError> {
        switch template {
        case .failed(let message):
            return .failure(TopologyError("failed to parse template: \(GoQuote.quote(text)): \(message)"))
        case .ok(let t):
            let output: String
            do {
                output = try t.execute(item.templateData)
            } catch {
                return .failure(TopologyError("failed to render template: \(GoQuote.quote(text)): \(error.message)"))
            }
            return Result { () throws(TopologyError) in try TemplateOutput.parse(output) }
        }
    }

}

extension Result where Failure == TopologyError {
    /// The success value, or the failure wrapped with `prefix`.
    func wrappedError(_ prefix: String) throws(TopologyError) -> Success {
        switch self {
        case .success(let v): return v
        case .failure(let e): throw e.wrapped(prefix)
        }
    }
}
