import CapstanCEL
import CapstanModel
import CapstanPolicy

/// Label and annotation syntax (apimachinery `ValidateLabels`, `ValidateAnnotations`).
enum MetadataAdmission {
    static func validate(_ m: Metadata, _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (k, v) in (m.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            for msg in KubeNames.qualifiedNameErrors(k) { errs.append(.invalid(fld.child("labels"), k, msg)) }
            for msg in KubeNames.labelValueErrors(v) { errs.append(.invalid(fld.child("labels"), v, msg)) }
        }
        var total = 0
        for (k, v) in (m.annotations ?? [:]).sorted(by: { $0.key < $1.key }) {
            for msg in KubeNames.qualifiedNameErrors(k.lowercased()) { errs.append(.invalid(fld.child("annotations"), k, msg)) }
            total += k.utf8.count + v.utf8.count
        }
        if total > 262_144 {
            errs.append(FieldError(kind: .tooLong, field: fld.child("annotations"), badValue: .none, detail: "may not be more than 262144 bytes"))
        }
        return errs
    }
}

/// `x-kubernetes-validations` rule hygiene, then compilation with CapstanCEL.
enum CELRuleAdmission {
    static let reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]

    static func hygieneErrors(_ rules: [Value], _ fld: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, rule) in rules.enumerated() {
            let p = fld.index(i)
            let text = rule["rule"]?.stringValue ?? ""
            let message = rule["message"]?.stringValue ?? ""
            let trimmedRule = text.trimmingWhitespace
            let trimmedMessage = message.trimmingWhitespace
            if trimmedRule.isEmpty {
                errs.append(.required(p.child("rule"), "rule is not specified"))
            } else if !message.isEmpty && trimmedMessage.isEmpty {
                errs.append(.invalid(p.child("message"), message, "message must be non-empty if specified"))
            } else if message.utf8.count > 2048 {
                errs.append(.invalid(p.child("message"), String(message.prefix(10)) + "...", "message must have a maximum length of 2048 characters"))
            } else if trimmedMessage.contains("\n") {
                errs.append(.invalid(p.child("message"), message, "message must not contain line breaks"))
            } else if trimmedRule.contains("\n") && trimmedMessage.isEmpty {
                errs.append(.required(p.child("message"), "message must be specified if rule contains line breaks"))
            }
            if let me = rule["messageExpression"]?.stringValue, !me.isEmpty, me.trimmingWhitespace.isEmpty {
                errs.append(.required(p.child("messageExpression"), "messageExpression must be non-empty if specified"))
            }
            if let reason = rule["reason"]?.stringValue, !reasons.contains(reason) {
                errs.append(.notSupported(p.child("reason"), reason, reasons))
            }
            if let fp = rule["fieldPath"]?.stringValue {
                if !fp.isEmpty && fp.trimmingWhitespace.isEmpty {
                    errs.append(.invalid(p.child("fieldPath"), fp, "fieldPath must be non-empty if specified"))
                }
                if fp.contains("\n") { errs.append(.invalid(p.child("fieldPath"), fp, "fieldPath must not contain line breaks")) }
            }
        }
        if errs.isEmpty {
            for (i, rule) in rules.enumerated() {
                let text = rule["rule"]?.stringValue ?? ""
                if case .failure(let e) = Result(catching: { () throws(CELError) in try CELProgram(text, environment: SchemaRules.celEnvironment) }) {
                    errs.append(FieldError(kind: .invalid, field: fld.index(i).child("rule"), badValue: .number(JSON.serialize(rule)),
                                           detail: "compilation failed: \(e.message)"))
                }
            }
        }
        return errs
    }
}

extension String {
    /// Without leading and trailing whitespace (Go `strings.TrimSpace`).
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
