import CapstanModel

/// ClusterClass patch admission (core/webhooks/admission/patch_validation.go), errors accumulated in
/// upstream order. External patches are rejected here too: RuntimeSDK is not available offline.
enum PatchAdmission {
    static func validate(_ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set<String>()
        let variableNames = Set(cc.variables.map(\.name))
        for patch in cc.patches {
            let p = FieldPath("spec", "patches").index(patch.index)
            if patch.name.isEmpty { errs.append(.required(p.child("name"), "patch name must be defined")) }
            if patch.name == "inline" { errs.append(.required(p.child("name"), "\"inline\" can not be used as the name of a patch")) }
            if names.contains(patch.name) {
                errs.append(.invalid(p.child("name"), patch.name, "patch names must be unique. Patch with name \(GoQuote.quote(patch.name)) is defined more than once"))
            }
            names.insert(patch.name)
            if !patch.enabledIf.isEmpty, let e = parseError(patch.enabledIf, name: "enabledIf") {
                errs.append(.invalid(p.child("enabledIf"), patch.enabledIf, "template can not be parsed: \(e)"))
            }
            if patch.definitions == nil && patch.external == nil {
                errs.append(.required(p, "one of definitions or external must be defined"))
            }
            if patch.definitions != nil && patch.external != nil {
                errs.append(.invalid(p, JSON.serializePretty(patch.raw), "only one of definitions or external can be defined"))
            }
            for def in patch.definitions ?? [] {
                let dp = p.child("definitions").index(def.index)
                errs += jsonPatchErrors(def.jsonPatches, variableNames, dp.child("jsonPatches"))
                errs += selectorErrors(def.selector, cc, dp.child("selector"))
            }
            if let ext = patch.external {
                errs.append(.forbidden(p.child("external"), "patch.external can be used only if the RuntimeSDK feature flag is enabled"))
                if ext.generatePatchesExtension.isEmpty && ext.validateTopologyExtension.isEmpty {
                    errs.append(.invalid(p.child("external"), JSON.serializePretty(patch.raw["external"] ?? .null), "one of validateTopologyExtension and generatePatchesExtension must be defined"))
                }
            }
        }
        return errs
    }

    /// Parses a patch template as admission does (sprig function map); the error text, or nil.
    static func parseError(_ text: String, name: String) -> String? {
        do {
            _ = try TemplateEngine.parse(text, name: name, functions: .sprigHermetic, missingKeyError: false)
            return nil
        } catch {
            return error.message
        }
    }

    static func pretty(_ e: JSONPatchEntry) -> String {
        var m = ObjectMap()
        m["op"] = .string(e.op)
        m["path"] = .string(e.path)
        if let v = e.value { m["value"] = v }
        if e.hasValueFrom { m["valueFrom"] = valueFrom(e) }
        return JSON.serializePretty(.map(m))
    }

    static func valueFrom(_ e: JSONPatchEntry) -> Value {
        var vf = ObjectMap()
        if !e.valueFromVariable.isEmpty { vf["variable"] = .string(e.valueFromVariable) }
        if !e.valueFromTemplate.isEmpty { vf["template"] = .string(e.valueFromTemplate) }
        return .map(vf)
    }

    static func jsonPatchErrors(_ patches: [JSONPatchEntry], _ variables: Set<String>, _ p: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for e in patches {
            let ep = p.index(e.index)
            if !["add", "remove", "replace"].contains(e.op) { errs.append(.notSupported(ep.child("op"), pretty(e), ["add", "remove", "replace"])) }
            if !e.path.hasPrefix("/spec") { errs.append(.invalid(ep.child("path"), pretty(e), "jsonPatch path must start with \"/spec\"")) }
            for part in e.path.split(separator: "/", omittingEmptySubsequences: false) where Int(part) != nil {
                if e.op == "add" && Int(part) != 0 {
                    errs.append(.invalid(ep.child("path"), e.path, "arrays can only be accessed using \"0\" (prepend) or \"-\" (append)"))
                }
                if e.op == "replace" || e.op == "remove" {
                    errs.append(.invalid(ep.child("path"), e.path, "elements in arrays can not be accessed in a \(e.op) operation"))
                }
            }
            errs += valueErrors(e, variables, ep)
        }
        return errs
    }

    static func valueErrors(_ e: JSONPatchEntry, _ variables: Set<String>, _ p: FieldPath) -> [FieldError] {
        guard e.op == "add" || e.op == "replace" else { return [] }
        var errs: [FieldError] = []
        if e.value == nil && !e.hasValueFrom { errs.append(.invalid(p, pretty(e), "jsonPatch must define one of value or valueFrom")) }
        if e.value != nil && e.hasValueFrom { errs.append(.invalid(p, pretty(e), "jsonPatch can not define both value and valueFrom")) }
        guard e.hasValueFrom else { return errs }
        let vf = JSON.serializePretty(valueFrom(e))
        if e.valueFromTemplate.isEmpty && e.valueFromVariable.isEmpty {
            errs.append(.invalid(p.child("valueFrom"), vf, "valueFrom must set either template or variable"))
        }
        if !e.valueFromTemplate.isEmpty && !e.valueFromVariable.isEmpty {
            errs.append(.invalid(p.child("valueFrom"), vf, "valueFrom can not set both template and variable"))
        }
        if !e.valueFromTemplate.isEmpty, let err = parseError(e.valueFromTemplate, name: "valueFrom.template") {
            errs.append(.invalid(p.child("valueFrom", "template"), e.valueFromTemplate, "template can not be parsed: \(err)"))
        }
        let v = e.valueFromVariable
        if !v.isEmpty {
            if v.hasPrefix("builtin.") {
                if !BuiltinVariables.admissionPaths.contains(v) {
                    errs.append(.invalid(p.child("valueFrom", "variable"), v, "not a defined builtin variable"))
                }
            } else {
                let name = String(v.split(whereSeparator: { $0 == "[" || $0 == "." }).first ?? "")
                if !variables.contains(name) {
                    errs.append(.invalid(p.child("valueFrom", "variable"), v, "variable with name \(v) cannot be found"))
                }
            }
        }
        return errs
    }
}
