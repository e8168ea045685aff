import CapstanCEL
import CapstanModel

extension SchemaNode {
    /// Runs this node's rules on `value`, then its children's rules on the matching parts of it.
    func validate(_ value: Value, old: Value?, path: String, budget: CostBudget, into out: inout [FieldViolation]) {
        guard hasRules, !value.isNull else { return }
        let old = old?.isNull == true ? nil : old
        if !rules.isEmpty { runRules(value, old: old, path: path, budget: budget, into: &out) }
        switch value {
        case .map(let m):
            for p in properties where p.node.hasRules {
                guard let v = m[p.name], !v.isNull else { continue }
                p.node.validate(v, old: old?[p.name], path: path.isEmpty ? p.name : "\(path).\(p.name)", budget: budget, into: &out)
            }
            if let ap = additionalProperties, ap.hasRules {
                for e in m where !e.value.isNull {
                    ap.validate(e.value, old: old?[e.key], path: "\(path)[\(e.key)]", budget: budget, into: &out)
                }
            }
        case .list(let l):
            guard let items, items.hasRules else { return }
            let oldItems = old?.listValue ?? []
            for (i, v) in l.enumerated() {
                items.validate(v, old: correlatedOldItem(v, in: oldItems), path: "\(path)[\(i)]", budget: budget, into: &out)
            }
        default:
            break
        }
    }

    /// The old element an element is compared with by transition rules: only `x-kubernetes-list-type:
    /// map` lists correlate elements (by their key fields), as in the apiserver.
    func correlatedOldItem(_ item: Value, in oldItems: [Value]) -> Value? {
        guard listType == "map", !listMapKeys.isEmpty else { return nil }
        return oldItems.first { o in listMapKeys.allSatisfy { o[$0] == item[$0] } }
    }

    private func runRules(_ value: Value, old: Value?, path: String, budget: CostBudget, into out: inout [FieldViolation]) {
        let scope: [String: CELValue] = ["self": celValue(value), "oldSelf": old.map(celValue) ?? .null]
        for rule in rules {
            if rule.isTransition, old == nil { continue }
            let blamed = Self.join(path, rule.fieldPath)
            let program: CELProgram
            switch rule.program {
            case .success(let p): program = p
            case .failure(let e):
                out.append(FieldViolation(
                    path: path, message: "rule does not compile: \(e.location.map { "\($0): " } ?? "")\(e.message)", rule: rule.text,
                    isError: true, errorDetail: e.message))
                continue
            }
            switch budget.run(program, scope) {
            case .success(.bool(true)):
                continue
            case .success(.bool(false)):
                out.append(FieldViolation(path: blamed, message: message(rule, scope, budget), reason: rule.reason, rule: rule.text))
            case .success(let other):
                out.append(FieldViolation(
                    path: path, message: "rule must evaluate to bool, got \(other.celType.name): \(rule.text)", rule: rule.text, isError: true))
            case .failure(let e):
                out.append(FieldViolation(
                    path: path, message: "rule evaluation error: \(rule.text): \(e.message)", rule: rule.text, isError: true,
                    errorDetail: e.message))
            }
            if budget.exhausted { return }
        }
    }

    /// `messageExpression` when it yields a usable string, else `message`, else `failed rule: <rule>`.
    private func message(_ rule: Rule, _ scope: [String: CELValue], _ budget: CostBudget) -> String {
        if case .success(let p)? = rule.messageExpression, case .success(.string(let s)) = budget.run(p, scope) {
            let text = s.trimmed
            if !text.isEmpty, !text.utf8.contains(10), text.utf8.count <= PolicyEngine.maxMessageBytes { return text }
        }
        if let m = rule.message?.trimmed, !m.isEmpty { return m }
        return "failed rule: \(rule.text.trimmed)"
    }

    /// The blamed path: the node's path extended by a rule's `fieldPath` (`.a.b`, `['x.y']`, `.l[0]`).
    static func join(_ path: String, _ fieldPath: String?) -> String {
        guard let f = fieldPath?.trimmed, !f.isEmpty else { return path }
        if f.hasPrefix(".") { return path.isEmpty ? String(f.dropFirst()) : path + f }
        if f.hasPrefix("[") { return path + f }
        return path.isEmpty ? f : "\(path).\(f)"
    }

    /// `value` as CEL sees it under this schema: null fields dropped, only declared properties visible
    /// (escaped), integers and numbers typed by schema, `date`/`date-time` strings as timestamps,
    /// `duration` strings as durations, `byte` strings as bytes.
    func celValue(_ value: Value) -> CELValue {
        if value.isNull { return .null }
        if intOrString || type == nil && properties.isEmpty && additionalProperties == nil && items == nil {
            return CELValue(value)
        }
        switch (type, value) {
        case ("string", .string(let s)):
            switch format {
            case "date-time":
                if let t = CELTimestamp(rfc3339: s) { return .timestamp(t) }
            case "date":
                if let t = CELTimestamp(rfc3339: s + "T00:00:00Z") { return .timestamp(t) }
            case "duration":
                if let d = CELDuration(text: s) { return .duration(d) }
            case "byte":
                if let b = Self.base64(s) { return .bytes(b) }
            default: break
            }
            return .string(s)
        case ("integer", .double(let d)):
            if let i = Int64(exactly: d) { return .int(i) }
            return .double(d)
        case ("number", .int(let i)):
            return .double(Double(i))
        case (_, .list(let l)):
            guard let items else { return CELValue(value) }
            return .list(l.map(items.celValue))
        case (_, .map(let m)):
            return mapValue(m)
        default:
            return CELValue(value)
        }
    }

    private func mapValue(_ m: ObjectMap) -> CELValue {
        var pairs: [(CELValue, CELValue)] = []
        if let ap = additionalProperties, properties.isEmpty {
            for e in m where !e.value.isNull { pairs.append((.string(e.key), ap.celValue(e.value))) }
            return .map(pairs)
        }
        if embeddedResource {
            // An embedded object exposes apiVersion, kind and metadata.name/generateName besides its properties.
            for key in ["apiVersion", "kind"] where properties.allSatisfy({ $0.name != key }) {
                if let v = m[key], !v.isNull { pairs.append((.string(key), CELValue(v))) }
            }
            if properties.allSatisfy({ $0.name != "metadata" }), let meta = m["metadata"]?.mapValue {
                var metaPairs: [(CELValue, CELValue)] = []
                for key in ["name", "generateName"] { if let v = meta[key], !v.isNull { metaPairs.append((.string(key), CELValue(v))) } }
                pairs.append((.string("metadata"), .map(metaPairs)))
            }
        }
        // Undeclared fields (kept by x-kubernetes-preserve-unknown-fields) are invisible to rules.
        for p in properties {
            guard let celName = p.celName, let v = m[p.name], !v.isNull else { continue }
            pairs.append((.string(celName), p.node.celValue(v)))
        }
        return .map(pairs)
    }

    /// Standard base64 (what `format: byte` holds); nil when invalid.
    static func base64(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0, bits = 0
        for c in s.utf8 where c != UInt8(ascii: "=") {
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - 71
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c + 4
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            default: return nil
            }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(acc >> UInt32(bits) & 0xFF))
            }
        }
        return out
    }
}
