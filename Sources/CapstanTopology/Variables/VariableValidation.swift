import CapstanModel

extension VariableSet {
    /// Validates one defaulted list (`validateClusterVariables`); `required` only for the Cluster-wide list.
    func validate(_ values: [ClusterVariable], required: Bool, path: FieldPath, celRules: Bool = true) -> [FieldError] {
        if let errs = duplicateErrors(values, path: path) { return errs }
        if let errs = conflictErrors(path: path) { return errs }
        var errs: [FieldError] = []
        if required {
            for def in catalogue where def.required && !values.contains(where: { $0.name == def.name }) {
                errs.append(.required(path, "required variable \(GoQuote.quote(def.name)) must be set"))
            }
        }
        for v in values {
            let fld = path.key(v.name)
            guard let def = definition(v.name) else {
                errs.append(.invalid(fld, v.rawText, "variable is not defined"))
                continue
            }
            errs += validateValue(v, def, path: fld, celRules: celRules)
        }
        return errs
    }

    /// `ValidateClusterVariable`: OpenAPI validation, then unknown fields, then CEL; the first failing step wins.
    func validateValue(_ v: ClusterVariable, _ def: VariableDefinition, path: FieldPath, celRules: Bool = true) -> [FieldError] {
        let value = v.value ?? .null
        let raw = v.rawText
        let openAPI = SchemaValidator.validate(value, def.schema)
        if !openAPI.isEmpty { return openAPI.map { Self.fieldError($0, valuePath: path.child("value"), raw: raw) } }
        // The wrapper's property is the variable name (upstream uses "variableValue"); names hold no ".".
        let unknown = UnknownFields.paths(.map([def.name: value]), def.wrapper)
        if !unknown.isEmpty {
            let prefix = def.name + "."
            let fields = unknown.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
            return [.invalid(path, raw, "failed validation: \(GoQuote.quote(fields.joined(separator: ","))) field(s) are not specified in the variable schema of variable \(GoQuote.quote(v.name))")]
        }
        if celRules, !def.rules.isEmpty {
            return VariableRules.fieldErrors(def.rules.validate(value), valuePath: path.child("value"), rawText: raw)
        }
        return []
    }

    /// `kubeOpenAPIResultToFieldErrors` followed by cluster-api's rewrite (bad value = whole raw JSON,
    /// leading " in body " stripped).
    static func fieldError(_ e: OpenAPIError, valuePath: FieldPath, raw: String) -> FieldError {
        var fld = valuePath
        if !e.name.isEmpty && e.name != "." {
            fld = valuePath.child(e.name.hasPrefix(".") ? String(e.name.dropFirst()) : e.name)
        }
        let detail = e.message.hasPrefix(" in body ") ? String(e.message.dropFirst(" in body ".count)) : e.message
        switch e.code {
        case .required:
            return FieldError(kind: .required, field: fld, badValue: .none, detail: "")
        case .enumFail:
            let supported = e.enumValues.map { $0.stringValue ?? JSON.serialize($0) }
            return FieldError(kind: .notSupported, field: fld, badValue: .string(raw), detail: supported.isEmpty ? "" : "supported values: " + supported.map { GoQuote.quote($0) }.joined(separator: ", "))
        case .tooLong:
            let unit = e.limit == 1 ? "byte" : "bytes"
            return FieldError(kind: .tooLong, field: fld, badValue: .none, detail: e.limit >= 0 ? "may not be more than \(e.limit) \(unit)" : "value is too long")
        case .maxItems, .tooManyProperties:
            let unit = e.limit == 1 ? "item" : "items"
            return FieldError(kind: .tooMany, field: fld, badValue: .string(raw), detail: "must have at most \(e.limit) \(unit)")
        case .invalidType:
            return FieldError(kind: .typeInvalid, field: fld, badValue: .string(raw), detail: detail)
        case .composite:
            return FieldError(kind: .invalid, field: valuePath, badValue: .string(raw), detail: detail)
        case .other:
            return FieldError(kind: .invalid, field: fld, badValue: .string(raw), detail: detail)
        }
    }
}
