import CapstanModel

/// ClusterClass variable definition checks (internal/topology/variables/clusterclass_variable_validation.go),
/// run by the renderer because classes read from Git never met the admission webhook. CEL expressions
/// are checked for hygiene only (non-empty, no line breaks, reason); compiling them needs CapstanCEL.
enum ClassVariableAdmission {
    static let validTypes = ["array", "boolean", "integer", "number", "object", "string"]

    static func validate(_ variables: [ClassVariable], path: FieldPath = FieldPath("spec", "variables")) -> [FieldError] {
        var errs: [FieldError] = []
        var seen = Set<String>()
        for v in variables {
            if !seen.insert(v.name).inserted {
                errs.append(.invalid(path.key(v.name).child("name"), v.name,
                                     "variable name must be unique. Variable with name \(GoQuote.quote(v.name)) is defined more than once"))
            }
        }
        for v in variables {
            let fld = path.key(v.name)
            errs += nameErrors(v.name, fld.child("name"))
            errs += MetadataAdmission.validate(Metadata(v.raw["deprecatedV1Beta1Metadata"]), fld.child("deprecatedV1Beta1Metadata"))
            errs += xMetadataErrors(v.schema, fld.child("schema", "openAPIV3Schema"))
            errs += rootSchemaErrors(v.schema, fld.child("schema", "openAPIV3Schema"))
        }
        return errs
    }

    static func nameErrors(_ name: String, _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if name.isEmpty { errs.append(.required(fld, "variable name must be defined")) }
        if name == "builtin" { errs.append(.invalid(fld, name, "\"builtin\" is a reserved variable name")) }
        if name.contains(".") { errs.append(.invalid(fld, name, "variable name cannot contain \".\"")) }
        return errs
    }

    static func xMetadataErrors(_ schema: Value, _ fld: FieldPath) -> [FieldError] {
        var errs = MetadataAdmission.validate(Metadata(schema["x-metadata"]), fld.child("x-metadata"))
        if let ap = schema.member("additionalProperties") { errs += xMetadataErrors(ap, fld.child("additionalProperties")) }
        for e in (schema["properties"]?.mapValue ?? [:]).entries.sorted(by: { $0.key < $1.key }) {
            errs += xMetadataErrors(e.value, fld.child("properties").key(e.key))
        }
        if let items = schema.member("items") { errs += xMetadataErrors(items, fld.child("items")) }
        return errs
    }

    /// `validateRootSchema`: structural rules first (stop there on failure), then defaults, then per node.
    static func rootSchemaErrors(_ schema: Value, _ fld: FieldPath) -> [FieldError] {
        let structural = structuralErrors(schema, fld, level: .field)
        if !structural.isEmpty { return structural }
        let defaults = defaultErrors(JSONSchema(schema), fld)
        if !defaults.isEmpty { return defaults }
        return nodeErrors(JSONSchema(schema), fld)
    }

    enum Level { case field, item }

    /// The structural-schema invariants that ClusterClass schemas can break.
    static func structuralErrors(_ s: Value, _ fld: FieldPath, level: Level) -> [FieldError] {
        var errs: [FieldError] = []
        let type = s["type"]?.stringValue ?? ""
        if type == "array" && s.member("items") == nil { errs.append(.required(fld.child("items"), "must be specified")) }
        if let items = s.member("items") { errs += structuralErrors(items, fld.child("items"), level: .item) }
        for e in (s["properties"]?.mapValue ?? [:]).entries.sorted(by: { $0.key < $1.key }) {
            errs += structuralErrors(e.value, fld.child("properties").key(e.key), level: .field)
        }
        if let ap = s.member("additionalProperties"), ap.mapValue != nil {
            errs += structuralErrors(ap, fld.child("additionalProperties"), level: .field)
        }
        for junctor in ["allOf", "oneOf", "anyOf"] {
            for (i, sub) in (s[junctor]?.listValue ?? []).enumerated() { errs += nestedErrors(sub, fld.child(junctor).index(i)) }
        }
        if let not = s.member("not") { errs += nestedErrors(not, fld.child("not")) }
        let intOrString = s["x-kubernetes-int-or-string"]?.boolValue ?? false
        let preserve = s["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        if type.isEmpty && !intOrString && !preserve {
            errs.append(.required(fld.child("type"), level == .item ? "must not be empty for specified array items" : "must not be empty for specified object fields"))
        }
        if let p = s["pattern"]?.stringValue, !p.isEmpty, CompiledPattern(p).regex == nil {
            errs.append(.invalid(fld.child("pattern"), p, "must be a valid regular expression, but isn't: error parsing regexp"))
        }
        return errs
    }

    /// Inside allOf/anyOf/oneOf/not only value validations are allowed.
    static func nestedErrors(_ s: Value, _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if let items = s.member("items") { errs += nestedErrors(items, fld.child("items")) }
        for e in (s["properties"]?.mapValue ?? [:]).entries.sorted(by: { $0.key < $1.key }) {
            errs += nestedErrors(e.value, fld.child("properties").key(e.key))
        }
        let forbidden: [(String, String)] = [
            ("type", "must be empty to be structural"), ("additionalProperties", "must be undefined to be structural"),
            ("default", "must be undefined to be structural"), ("title", "must be empty to be structural"),
            ("description", "must be empty to be structural"), ("nullable", "must be false to be structural"),
            ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
            ("x-kubernetes-int-or-string", "must be false to be structural"),
            ("x-kubernetes-validations", "must be empty to be structural"),
        ]
        for (key, message) in forbidden where s.member(key) != nil && s[key] != .bool(false) {
            errs.append(.forbidden(fld.child(key), message))
        }
        return errs
    }

    /// `ValidateDefaults`: every default must be free of unknown fields and valid for its own node.
    static func defaultErrors(_ s: JSONSchema, _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if let def = s.defaultValue {
            if !UnknownFields.paths(def, s).isEmpty {
                errs.append(FieldError(kind: .invalid, field: fld.child("default"), badValue: badValue(def), detail: "must not have unknown fields"))
            } else {
                errs += SchemaValidator.validate(def, s).map { nestedFieldError($0, fld.child("default")) }
            }
        }
        if let items = s.items { errs += defaultErrors(items, fld.child("items")) }
        for (name, prop) in s.properties { errs += defaultErrors(prop, fld.child("properties").key(name)) }
        return errs
    }

    /// Per node: type, properties vs additionalProperties, examples and enums valid, CEL rule hygiene.
    static func nodeErrors(_ s: JSONSchema, _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if !s.type.isEmpty && !validTypes.contains(s.type) {
            return [FieldError(kind: .notSupported, field: fld.child("type"), badValue: .string(s.type),
                               detail: "supported values: " + validTypes.map { GoQuote.quote($0) }.joined(separator: ", "))]
        }
        if let example = s.example {
            errs += SchemaValidator.validate(example, s).map { nestedFieldError($0, fld.child("example")) }
        }
        for (i, e) in (s.enumValues ?? []).enumerated() where !e.isNull {
            errs += SchemaValidator.validate(e, s).map { nestedFieldError($0, fld.child("enum").index(i)) }
        }
        if let ap = s.additionalProperties {
            if !s.properties.isEmpty { errs.append(.forbidden(fld, "additionalProperties and properties are mutually exclusive")) }
            errs += nodeErrors(ap, fld.child("additionalProperties"))
        }
        for (name, prop) in s.properties { errs += nodeErrors(prop, fld.child("properties").key(name)) }
        if let items = s.items { errs += nodeErrors(items, fld.child("items")) }
        errs += CELRuleAdmission.hygieneErrors(s.validations, fld.child("x-kubernetes-validations"))
        return errs
    }

    static func badValue(_ v: Value) -> FieldError.BadValue {
        if case .string(let s) = v { return .string(s) }
        return .number(JSON.serialize(v, sortKeys: true))
    }

    /// kube-openapi errors for a value validated outside cluster variables (no bad-value rewrite).
    static func nestedFieldError(_ e: OpenAPIError, _ valuePath: FieldPath) -> FieldError {
        var fe = VariableSet.fieldError(e, valuePath: valuePath, raw: "")
        if e.code != .required && e.code != .tooLong { fe.badValue = .none }
        fe.detail = e.message
        if e.code == .enumFail || e.code == .maxItems || e.code == .tooManyProperties || e.code == .tooLong {
            fe.detail = VariableSet.fieldError(e, valuePath: valuePath, raw: "").detail
        }
        return fe
    }
}
