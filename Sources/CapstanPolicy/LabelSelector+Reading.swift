import CapstanModel
import CapstanYAML

extension LabelSelector {
    /// The `operator` of a `matchExpressions` entry as Kubernetes objects spell it.
    enum ExpressionOperator: String {
        case `in` = "In"
        case notIn = "NotIn"
        case exists = "Exists"
        case doesNotExist = "DoesNotExist"

        var requirementOperator: Requirement.Operator {
            switch self {
            case .in: .in
            case .notIn: .notIn
            case .exists: .exists
            case .doesNotExist: .doesNotExist
            }
        }
    }

    /// Reads the `metav1.LabelSelector` at `path` (`matchLabels` and `matchExpressions`, all ANDed);
    /// problems are recorded on `reader`. Absent means everything.
    static func read(_ path: [PathElement], _ reader: inout SpecReader) -> LabelSelector {
        guard reader.isMap(path) else { return .everything }
        var requirements: [Requirement] = []
        if reader.isMap(path + ["matchLabels"]), let m = reader.value(path + ["matchLabels"])?.mapValue {
            for e in m {
                guard case .string(let s) = e.value else {
                    reader.problem("label values must be strings, got \(e.value.kind)", at: path + ["matchLabels", .key(e.key)])
                    continue
                }
                requirements.append(Requirement(key: e.key, op: .equals, values: [s]))
            }
        }
        for (i, _) in reader.list(path + ["matchExpressions"]).enumerated() {
            let p = path + ["matchExpressions", .index(i)]
            guard let key = reader.string(p + ["key"], required: true),
                let op = reader.choice(p + ["operator"], ExpressionOperator.self)
            else {
                if reader.value(p + ["operator"]) == nil { reader.problem("required field is missing", at: p + ["operator"]) }
                continue
            }
            let values = reader.strings(p + ["values"])
            let needsValues = op == .in || op == .notIn
            if needsValues == values.isEmpty {
                reader.problem("values must be \(needsValues ? "non-empty" : "empty") for operator \(op.rawValue)", at: p + ["values"])
                continue
            }
            requirements.append(Requirement(key: key, op: op.requirementOperator, values: values))
        }
        return LabelSelector(requirements)
    }
}
