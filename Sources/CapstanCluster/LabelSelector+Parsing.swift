public import CapstanModel

extension LabelSelector {
    /// Parses the string form: comma-separated `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
    /// `k>n`, `k<n`. Keys must be qualified names and values label values; errors are `.badRequest`.
    public init(parsing text: String) throws(ClusterError) {
        var parser = SelectorParser(text: text)
        self.init(try parser.parse())
    }

    /// Reads a `metav1.LabelSelector` (`matchLabels` and `matchExpressions` with `In`, `NotIn`, `Exists`,
    /// `DoesNotExist`); `field` names the selector's path in error messages.
    public init(value: Value, field: String = "selector") throws(ClusterError) {
        guard case .map(let m) = value else {
            throw .badRequest("\(field): Invalid value: expected an object with matchLabels/matchExpressions")
        }
        var reqs: [Requirement] = []
        if let labels = m["matchLabels"], !labels.isNull {
            guard case .map(let lm) = labels else { throw .badRequest("\(field).matchLabels: Invalid value: expected a map") }
            for e in lm {
                guard let v = e.value.stringValue else { throw .badRequest("\(field).matchLabels.\(e.key): Invalid value: expected a string") }
                try Self.validate(key: e.key, values: [v], field: "\(field).matchLabels")
                reqs.append(Requirement(key: e.key, op: .equals, values: [v]))
            }
        }
        if let exprs = m["matchExpressions"], !exprs.isNull {
            guard case .list(let list) = exprs else { throw .badRequest("\(field).matchExpressions: Invalid value: expected a list") }
            for (i, expr) in list.enumerated() {
                let path = "\(field).matchExpressions[\(i)]"
                guard let key = expr["key"]?.stringValue, let op = expr["operator"]?.stringValue else {
                    throw .badRequest("\(path): Required value: key and operator are required")
                }
                let values = expr["values"]?.listValue?.compactMap(\.stringValue) ?? []
                let mapped: Requirement.Operator
                switch op {
                case "In": mapped = .in
                case "NotIn": mapped = .notIn
                case "Exists": mapped = .exists
                case "DoesNotExist": mapped = .doesNotExist
                default: throw .badRequest("\(path).operator: Unsupported value: \"\(op)\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"")
                }
                if (mapped == .in || mapped == .notIn) && values.isEmpty {
                    throw .badRequest("\(path).values: Required value: must be specified when `operator` is 'In' or 'NotIn'")
                }
                if (mapped == .exists || mapped == .doesNotExist) && !values.isEmpty {
                    throw .badRequest("\(path).values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
                }
                try Self.validate(key: key, values: values, field: path)
                reqs.append(Requirement(key: key, op: mapped, values: values))
            }
        }
        self.init(reqs)
    }

    static func validate(key: String, values: [String], field: String) throws(ClusterError) {
        if let problem = KubeNames.qualifiedNameErrors(key).first {
            throw .badRequest("\(field): Invalid value: \"\(key)\": \(problem)")
        }
        for v in values {
            if let problem = KubeNames.labelValueErrors(v).first {
                throw .badRequest("\(field): Invalid value: \"\(v)\": \(problem)")
            }
        }
    }
}

/// A hand-written scanner for the selector string form (the grammar of k8s.io/apimachinery `labels.Parse`).
struct SelectorParser {
    let chars: [Character]
    var pos = 0
    let text: String

    init(text: String) {
        self.text = text
        chars = Array(text)
    }

    mutating func parse() throws(ClusterError) -> [LabelSelector.Requirement] {
        var reqs: [LabelSelector.Requirement] = []
        skipSpaces()
        if pos == chars.count { return [] }
        while true {
            reqs.append(try requirement())
            skipSpaces()
            if pos == chars.count { return reqs }
            guard chars[pos] == "," else { throw fail("found '\(chars[pos])', expected: ',' or end of string") }
            pos += 1
        }
    }

    mutating func requirement() throws(ClusterError) -> LabelSelector.Requirement {
        skipSpaces()
        var negated = false
        if pos < chars.count, chars[pos] == "!" {
            negated = true
            pos += 1
            skipSpaces()
        }
        let key = word()
        guard !key.isEmpty else { throw fail("found '\(pos < chars.count ? String(chars[pos]) : "end of string")', expected: identifier") }
        try LabelSelector.validate(key: key, values: [], field: "unable to parse requirement")
        skipSpaces()
        if negated {
            return .init(key: key, op: .doesNotExist)
        }
        guard pos < chars.count, chars[pos] != "," else { return .init(key: key, op: .exists) }
        let op: LabelSelector.Requirement.Operator
        if consume("==") || consume("=") {
            op = .equals
        } else if consume("!=") {
            op = .notEquals
        } else if consume(">") {
            op = .greaterThan
        } else if consume("<") {
            op = .lessThan
        } else {
            let w = word()
            switch w {
            case "in": op = .in
            case "notin": op = .notIn
            default: throw fail("found '\(w)', expected: in, notin, =, ==, !=, gt, lt")
            }
        }
        skipSpaces()
        var values: [String]
        if op == .in || op == .notIn {
            guard consume("(") else { throw fail("found '\(pos < chars.count ? String(chars[pos]) : "end of string")', expected: '('") }
            values = []
            while true {
                skipSpaces()
                values.append(word())
                skipSpaces()
                if consume(")") { break }
                guard consume(",") else { throw fail("found '\(pos < chars.count ? String(chars[pos]) : "end of string")', expected: ',' or ')'") }
            }
            if values == [""] { values = [] }
            if values.isEmpty { throw fail("for 'in', 'notin' operators, values set can't be empty") }
        } else {
            values = [word()]
            if op == .greaterThan || op == .lessThan, Int64(values[0]) == nil {
                throw fail("for 'Gt', 'Lt' operators, the value must be an integer")
            }
        }
        try LabelSelector.validate(key: key, values: values, field: "unable to parse requirement")
        return .init(key: key, op: op, values: values)
    }

    /// A run of characters that can appear in keys and values.
    mutating func word() -> String {
        let start = pos
        while pos < chars.count, !" \t,()=!<>".contains(chars[pos]) { pos += 1 }
        return String(chars[start..<pos])
    }

    mutating func consume(_ s: String) -> Bool {
        let cs = Array(s)
        guard pos + cs.count <= chars.count, Array(chars[pos..<pos + cs.count]) == cs else { return false }
        pos += cs.count
        return true
    }

    mutating func skipSpaces() {
        while pos < chars.count, chars[pos] == " " || chars[pos] == "\t" { pos += 1 }
    }

    func fail(_ message: String) -> ClusterError {
        .badRequest("unable to parse label selector \"\(text)\": \(message)")
    }
}
