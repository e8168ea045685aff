import CapstanModel
import CapstanYAML

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`, all ANDed). An empty selector
/// matches everything.
struct LabelSelector: Sendable, Hashable {
    /// One `matchExpressions` entry.
    struct Requirement: Sendable, Hashable {
        enum Operator: String, Sendable, Hashable {
            case `in` = "In"
            case notIn = "NotIn"
            case exists = "Exists"
            case doesNotExist = "DoesNotExist"
        }
        var key: String
        var op: Operator
        var values: [String]

        func matches(_ labels: [String: String]) -> Bool {
            switch op {
            case .in: labels[key].map(values.contains) ?? false
            // A missing label satisfies NotIn, as in apimachinery.
            case .notIn: labels[key].map { !values.contains($0) } ?? true
            case .exists: labels[key] != nil
            case .doesNotExist: labels[key] == nil
            }
        }
    }

    var matchLabels: [String: String] = [:]
    var requirements: [Requirement] = []

    /// Matches everything.
    static let everything = LabelSelector()

    /// True when the selector has no requirement (so it matches any label set).
    var isEmpty: Bool { matchLabels.isEmpty && requirements.isEmpty }

    func matches(_ labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Reads the selector at `path`; problems are recorded on `reader`. Absent means everything.
    static func read(_ path: [PathElement], _ reader: inout SpecReader) -> LabelSelector {
        guard reader.isMap(path) else { return .everything }
        var selector = LabelSelector()
        if reader.isMap(path + ["matchLabels"]), let m = reader.value(path + ["matchLabels"])?.mapValue {
            for e in m {
                guard case .string(let s) = e.value else {
                    reader.problem("label values must be strings, got \(e.value.kind)", at: path + ["matchLabels", .key(e.key)])
                    continue
                }
                selector.matchLabels[e.key] = s
            }
        }
        for (i, _) in reader.list(path + ["matchExpressions"]).enumerated() {
            let p = path + ["matchExpressions", .index(i)]
            guard let key = reader.string(p + ["key"], required: true),
                let op = reader.choice(p + ["operator"], Requirement.Operator.self)
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
            selector.requirements.append(Requirement(key: key, op: op, values: values))
        }
        return selector
    }
}
