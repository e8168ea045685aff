import CapstanCEL
import CapstanModel

/// One node of a compiled OpenAPI schema: its type information, its rules and its children.
final class SchemaNode: Sendable {
    /// One `x-kubernetes-validations` entry.
    struct Rule: Sendable {
        let text: String
        let program: Result<CELProgram, CELError>
        let message: String?
        let messageExpression: Result<CELProgram, CELError>?
        let reason: FieldViolation.Reason
        let fieldPath: String?
        /// Mentions `oldSelf`: runs only when an old value exists.
        let isTransition: Bool
    }

    let type: String?
    let format: String?
    let intOrString: Bool
    let embeddedResource: Bool
    let properties: [(name: String, celName: String?, node: SchemaNode)]
    let additionalProperties: SchemaNode?
    let items: SchemaNode?
    let listType: String?
    let listMapKeys: [String]
    let rules: [Rule]
    let hasRules: Bool

    /// Schemas deeper than this are not descended into (a guard against hostile input).
    static let maxDepth = 64
    static let environment = CELEnvironment.kubernetes.declaring(["self", "oldSelf"])

    init(_ schema: Value, depth: Int) {
        type = schema["type"]?.stringValue
        format = schema["format"]?.stringValue
        intOrString = schema["x-kubernetes-int-or-string"]?.boolValue == true
        embeddedResource = schema["x-kubernetes-embedded-resource"]?.boolValue == true
        listType = schema["x-kubernetes-list-type"]?.stringValue
        listMapKeys = schema["x-kubernetes-list-map-keys"]?.listValue?.compactMap(\.stringValue) ?? []
        let deeper = depth < Self.maxDepth
        var properties: [(String, String?, SchemaNode)] = []
        if deeper, let props = schema["properties"]?.mapValue {
            for e in props where e.value.mapValue != nil {
                properties.append((e.key, SchemaPropertyNames.escape(e.key), SchemaNode(e.value, depth: depth + 1)))
            }
        }
        self.properties = properties
        if deeper, let ap = schema["additionalProperties"], ap.mapValue != nil {
            additionalProperties = SchemaNode(ap, depth: depth + 1)
        } else {
            additionalProperties = nil
        }
        if deeper, let it = schema["items"], it.mapValue != nil {
            items = SchemaNode(it, depth: depth + 1)
        } else {
            items = nil
        }
        var rules: [Rule] = []
        for entry in schema["x-kubernetes-validations"]?.listValue ?? [] {
            guard let text = entry["rule"]?.stringValue else { continue }
            let program = Result { () throws(CELError) in try CELProgram(text, environment: Self.environment) }
            let messageExpression = entry["messageExpression"]?.stringValue.map { source in
                Result { () throws(CELError) in try CELProgram(source, environment: Self.environment) }
            }
            let referencesOld = (try? program.get())?.referencedVariables.contains("oldSelf") ?? text.contains("oldSelf")
            rules.append(Rule(
                text: text, program: program, message: entry["message"]?.stringValue, messageExpression: messageExpression,
                reason: entry["reason"]?.stringValue.flatMap(FieldViolation.Reason.init(rawValue:)) ?? .invalid,
                fieldPath: entry["fieldPath"]?.stringValue, isTransition: referencesOld))
        }
        self.rules = rules
        hasRules = !rules.isEmpty || properties.contains { $0.2.hasRules } || additionalProperties?.hasRules == true
            || items?.hasRules == true
    }

    /// Rules that do not compile, as `schema.path: rule: error`.
    func compileErrors(path: String) -> [String] {
        var out: [String] = []
        for (i, r) in rules.enumerated() {
            let at = "\(path.isEmpty ? "" : path + ".")x-kubernetes-validations[\(i)]"
            if case .failure(let e) = r.program { out.append("\(at).rule: \(e.location.map { "\($0): " } ?? "")\(e.message)") }
            if case .failure(let e)? = r.messageExpression {
                out.append("\(at).messageExpression: \(e.location.map { "\($0): " } ?? "")\(e.message)")
            }
        }
        for p in properties where p.node.hasRules {
            out += p.node.compileErrors(path: (path.isEmpty ? "" : path + ".") + "properties.\(p.name)")
        }
        if let ap = additionalProperties, ap.hasRules { out += ap.compileErrors(path: (path.isEmpty ? "" : path + ".") + "additionalProperties") }
        if let it = items, it.hasRules { out += it.compileErrors(path: (path.isEmpty ? "" : path + ".") + "items") }
        return out
    }
}
