/// A Kubernetes label selector: requirements that must all hold (`app=web,tier in (a,b),!legacy`).
///
/// Built from the string form (`LabelSelector(parsing:)`, as `kubectl -l` takes it) or from the
/// `matchLabels`/`matchExpressions` form objects carry (`LabelSelector(value:)`). The empty selector matches
/// everything. `!=` and `notin` also match objects without the key, as in Kubernetes.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement on one label key.
    public struct Requirement: Sendable, Hashable, CustomStringConvertible {
        /// How a requirement compares the label's value.
        public enum Operator: String, Sendable, Hashable {
            case equals = "="
            case notEquals = "!="
            case `in` = "in"
            case notIn = "notin"
            case exists = "exists"
            case doesNotExist = "!"
            case greaterThan = "gt"
            case lessThan = "lt"
        }

        public var key: String
        public var op: Operator
        /// Sorted, without duplicates.
        public var values: [String]

        public init(key: String, op: Operator, values: [String] = []) {
            self.key = key
            self.op = op
            self.values = Array(Set(values)).sorted()
        }

        /// Whether a label set satisfies this requirement.
        public func matches(_ labels: [String: String]) -> Bool { matches(value: labels[key]) }

        /// Whether a label value (nil: the key is absent) satisfies this requirement.
        public func matches(value: String?) -> Bool {
            switch op {
            case .equals, .in: return value.map { values.contains($0) } ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let v = value.flatMap({ Int64($0) }), let bound = values.first.flatMap({ Int64($0) }) else { return false }
                return op == .greaterThan ? v > bound : v < bound
            }
        }

        /// The string form Kubernetes prints.
        public var description: String {
            switch op {
            case .equals: "\(key)=\(values.first ?? "")"
            case .notEquals: "\(key)!=\(values.first ?? "")"
            case .in: "\(key) in (\(values.joined(separator: ",")))"
            case .notIn: "\(key) notin (\(values.joined(separator: ",")))"
            case .exists: key
            case .doesNotExist: "!\(key)"
            case .greaterThan: "\(key)>\(values.first ?? "")"
            case .lessThan: "\(key)<\(values.first ?? "")"
            }
        }
    }

    /// All must hold; kept sorted by key (then operator) so equal selectors compare equal.
    public private(set) var requirements: [Requirement]

    /// A selector from requirements.
    public init(_ requirements: [Requirement] = []) {
        self.requirements = requirements.sorted { ($0.key, $0.op.rawValue) < ($1.key, $1.op.rawValue) }
    }

    /// The selector matching exactly these labels (`matchLabels`).
    public init(matchLabels: [String: String]) {
        self.init(matchLabels.map { Requirement(key: $0.key, op: .equals, values: [$0.value]) })
    }

    /// Matches every object.
    public static let everything = LabelSelector()

    public var isEmpty: Bool { requirements.isEmpty }

    /// Whether a label set satisfies every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether an object's labels satisfy every requirement (read in place, without building a dictionary).
    public func matches(_ object: KubeObject) -> Bool {
        if requirements.isEmpty { return true }
        let labels = object.body["metadata"]?["labels"]?.mapValue
        return requirements.allSatisfy { $0.matches(value: labels?[$0.key]?.stringValue) }
    }

    /// `a=b,c in (d,e)`: the form `kubectl -l` accepts.
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// The requirement a label index can answer best: an equality or set membership (smallest value set), else
    /// an existence test; nil when only negative requirements remain (they need a scan).
    public var indexableRequirement: Requirement? {
        let positive = requirements.filter { $0.op == .equals || $0.op == .in }
        if let best = positive.min(by: { $0.values.count < $1.values.count }) { return best }
        return requirements.first { $0.op == .exists || $0.op == .greaterThan || $0.op == .lessThan }
    }
}
