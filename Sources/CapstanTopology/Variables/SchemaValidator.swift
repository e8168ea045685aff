import CapstanModel

/// One kube-openapi validation result (k8s.io/kube-openapi pkg/validation/errors `Validation`): `name` is the
/// dotted path inside the value (`""`, `enabled`, `.url`, `[0]`), `message` the library text.
struct OpenAPIError {
    enum Code { case required, enumFail, tooLong, maxItems, tooManyProperties, invalidType, other, composite }
    var code: Code
    var name: String
    var message: String
    var enumValues: [Value] = []
    var limit: Int64 = -1
    var actual: Int64 = -1
}

/// Value validation with kube-openapi semantics (pkg/validation/validate): every validator runs, in the
/// library's order (type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object).
enum SchemaValidator {
    static func validate(_ value: Value, _ s: JSONSchema, path: String = "") -> [OpenAPIError] {
        var errs: [OpenAPIError] = []
        if value.isNull {
            if !s.acceptedTypes.isEmpty { errs.append(typeError(path, s.acceptedTypes.joined(separator: ","), data: "null")) }
            errs += enumErrors(value, s, path)
            return errs
        }
        let actual = jsonType(value)
        let accepted = s.acceptedTypes
        if !accepted.isEmpty && !(accepted.contains(actual) || (actual == "integer" && accepted.contains("number"))) {
            errs.append(typeError(path, accepted.joined(separator: ","), data: actual))
        }
        errs += compositeErrors(value, s, path)
        if case .string(let str) = value {
            if let e = stringError(str, s, path) { errs.append(e) }
            if !s.format.isEmpty, let valid = StringFormats.check(s.format, str), !valid {
                errs.append(typeError(path, s.format, data: str))
            }
        }
        if let n = value.numberValue { errs += numberErrors(value, n, s, path) }
        if case .list(let items) = value { errs += arrayErrors(items, s, path) }
        errs += enumErrors(value, s, path)
        if case .map(let m) = value { errs += objectErrors(m, s, path) }
        return errs
    }

    static func jsonType(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double(let d): (d == d.rounded() && Swift.abs(d) < 9.007_199_254_740_992e15) ? "integer" : "number"
        case .string: "string"
        case .list: "array"
        case .map: "object"
        }
    }

    /// `"<name> in body <rest>"`, the library's message shape.
    static func text(_ name: String, _ rest: String) -> String { "\(name) in body \(rest)" }

    static func typeError(_ path: String, _ type: String, data: String) -> OpenAPIError {
        OpenAPIError(code: .invalidType, name: path, message: text(path, "must be of type \(type): \(GoQuote.quote(data))"))
    }

    static func stringError(_ s: String, _ schema: JSONSchema, _ path: String) -> OpenAPIError? {
        let length = Int64(s.unicodeScalars.count)
        if let max = schema.maxLength, length > max {
            return OpenAPIError(code: .tooLong, name: path, message: text(path, "should be at most \(max) chars long"), limit: max)
        }
        if let min = schema.minLength, length < min {
            return OpenAPIError(code: .other, name: path, message: text(path, "should be at least \(min) chars long"))
        }
        if let p = schema.compiledPattern, !p.matches(s) {
            return OpenAPIError(code: .other, name: path, message: text(path, "should match '\(schema.pattern)'"))
        }
        return nil
    }

    static func printNumber(_ v: Value) -> String {
        switch v {
        case .int(let i): String(i)
        case .double(let d): GoFloat.formatG(d)
        default: JSON.serialize(v)
        }
    }

    static func numberErrors(_ value: Value, _ n: Double, _ s: JSONSchema, _ path: String) -> [OpenAPIError] {
        var errs: [OpenAPIError] = []
        if let minV = s.minimum, let min = minV.numberValue {
            if s.exclusiveMinimum ? n <= min : n < min {
                let op = s.exclusiveMinimum ? "greater than" : "greater than or equal to"
                errs.append(OpenAPIError(code: .other, name: path, message: text(path, "should be \(op) \(printNumber(minV))")))
            }
        }
        if let maxV = s.maximum, let max = maxV.numberValue {
            if s.exclusiveMaximum ? n >= max : n > max {
                let op = s.exclusiveMaximum ? "less than" : "less than or equal to"
                errs.append(OpenAPIError(code: .other, name: path, message: text(path, "should be \(op) \(printNumber(maxV))")))
            }
        }
        return errs
    }

    static func arrayErrors(_ items: [Value], _ s: JSONSchema, _ path: String) -> [OpenAPIError] {
        var errs: [OpenAPIError] = []
        if let itemSchema = s.items {
            for (i, item) in items.enumerated() { errs += validate(item, itemSchema, path: "\(path)[\(i)]") }
        }
        let count = Int64(items.count)
        if let min = s.minItems, count < min {
            errs.append(OpenAPIError(code: .other, name: path, message: text(path, "should have at least \(min) items")))
        }
        if let max = s.maxItems, count > max {
            errs.append(OpenAPIError(code: .maxItems, name: path, message: text(path, "should have at most \(max) items"), limit: max, actual: count))
        }
        if s.uniqueItems && Set(items).count != items.count {
            errs.append(OpenAPIError(code: .other, name: path, message: text(path, "shouldn't contain duplicates")))
        }
        return errs
    }

    static func enumErrors(_ value: Value, _ s: JSONSchema, _ path: String) -> [OpenAPIError] {
        guard let allowed = s.enumValues, !allowed.isEmpty, !allowed.contains(value) else { return [] }
        let list = "[" + allowed.map { $0.stringValue ?? JSON.serialize($0) }.joined(separator: " ") + "]"
        return [OpenAPIError(code: .enumFail, name: path, message: text(path, "should be one of \(list)"), enumValues: allowed)]
    }

    static func objectErrors(_ m: ObjectMap, _ s: JSONSchema, _ path: String) -> [OpenAPIError] {
        var errs: [OpenAPIError] = []
        let count = Int64(m.count)
        if let min = s.minProperties, count < min {
            errs.append(OpenAPIError(code: .other, name: path, message: text(path, "should have at least \(min) properties")))
        }
        if let max = s.maxProperties, count > max {
            errs.append(OpenAPIError(code: .tooManyProperties, name: path, message: text(path, "should have at most \(max) properties"), limit: max, actual: count))
        }
        if let ap = s.additionalProperties {
            for e in m.entries.sorted(by: { $0.key < $1.key }) where s.property(e.key) == nil {
                errs += validate(e.value, ap, path: path + "." + e.key)
            }
        }
        for (name, prop) in s.properties {
            guard let v = m[name] else { continue }
            errs += validate(v, prop, path: path.isEmpty ? name : path + "." + name)
        }
        for k in s.required where m[k] == nil {
            errs.append(OpenAPIError(code: .required, name: path + "." + k, message: text(path + "." + k, "is required")))
        }
        return errs
    }

    static func compositeErrors(_ value: Value, _ s: JSONSchema, _ path: String) -> [OpenAPIError] {
        var errs: [OpenAPIError] = []
        let q = GoQuote.quote(path)
        if !s.anyOf.isEmpty {
            let results = s.anyOf.map { validate(value, $0, path: path) }
            if !results.contains(where: \.isEmpty) {
                errs.append(OpenAPIError(code: .composite, name: path, message: "\(q) must validate at least one schema (anyOf)"))
                errs += results.first ?? []
            }
        }
        if !s.oneOf.isEmpty {
            let results = s.oneOf.map { validate(value, $0, path: path) }
            let valid = results.filter(\.isEmpty).count
            if valid != 1 {
                let extra = valid == 0 ? "Found none valid" : "Found \(valid) valid alternatives"
                errs.append(OpenAPIError(code: .composite, name: path, message: "\(q) must validate one and only one schema (oneOf). \(extra)"))
                if valid == 0 { errs += results.first ?? [] }
            }
        }
        if !s.allOf.isEmpty {
            let results = s.allOf.map { validate(value, $0, path: path) }
            for r in results { errs += r }
            let valid = results.filter(\.isEmpty).count
            if valid != results.count {
                errs.append(OpenAPIError(code: .composite, name: path, message: "\(q) must validate all the schemas (allOf)\(valid == 0 ? ". None validated" : "")"))
            }
        }
        if let not = s.not, validate(value, not, path: path).isEmpty {
            errs.append(OpenAPIError(code: .composite, name: path, message: "\(q) must not validate the schema (not)"))
        }
        return errs
    }
}
