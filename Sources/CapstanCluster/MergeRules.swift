public import CapstanModel

/// How a list or map merges and how its ownership is recorded, by path: the one table server-side apply, the
/// diff and the plan read. Lists are atomic unless listed; maps merge key by key unless listed as atomic.
///
/// Facts come from the upstream markers: Kubernetes `ObjectMeta` (`finalizers` `listType=set`,
/// `ownerReferences` `listType=map` by `uid` with each `OwnerReference` `structType=atomic`), `metav1.LabelSelector`
/// (`structType=atomic`), `metav1.Condition` lists (`listType=map` by `type`), and the
/// kubernetes-sigs/cluster-api API types (`+listType`/`+listMapKey` on v1beta1/v1beta2 fields; the legacy v1beta1
/// `clusterv1.Conditions` type carries no marker and is therefore atomic).
public struct MergeRules: Sendable {
    /// How a list merges.
    public enum ListType: Sendable, Hashable {
        /// Replaced whole; owned as one field.
        case atomic
        /// Scalar items merged as a set; each item owned (`v:` elements).
        case set
        /// Map items merged by the listed key fields; each item owned (`k:` elements).
        case map(keys: [String])
    }

    /// What a rule says about the list or map at its path.
    public enum Strategy: Sendable, Hashable {
        case list(ListType)
        /// A map (or struct) replaced whole.
        case atomicMap
    }

    /// One entry: a path pattern and the strategy there.
    ///
    /// Patterns are dot-separated field names; `[]` stands for "an item of this list" (`metadata.ownerReferences[]`),
    /// `*` for any one segment and `**` for any number of segments (`**.conditions`). The last segment must be a
    /// field name or `[]`.
    public struct Rule: Sendable {
        public var pattern: String
        public var strategy: Strategy
        /// Limits the rule to some apiVersions (nil: all).
        public var appliesTo: (@Sendable (String) -> Bool)?
        let segments: [String]

        public init(_ pattern: String, _ strategy: Strategy, appliesTo: (@Sendable (String) -> Bool)? = nil) {
            self.pattern = pattern
            self.strategy = strategy
            self.appliesTo = appliesTo
            segments = Self.split(pattern)
        }

        static func split(_ pattern: String) -> [String] {
            var out: [String] = []
            for part in pattern.split(separator: ".") {
                var p = Substring(part)
                var items = 0
                while p.hasSuffix("[]") { p = p.dropLast(2); items += 1 }
                if !p.isEmpty { out.append(String(p)) }
                out += Array(repeating: "[]", count: items)
            }
            return out
        }

        /// Whether a schema path (field names and `[]`) matches the pattern.
        func matches(_ path: ArraySlice<String>) -> Bool { Self.match(segments[...], path) }

        static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
            guard let last = pattern.last else { return path.isEmpty }
            if last == "**" {
                let rest = pattern.dropLast()
                var p = path
                while true {
                    if match(rest, p) { return true }
                    guard !p.isEmpty else { return false }
                    p = p.dropLast()
                }
            }
            guard let end = path.last, last == "*" || last == end else { return false }
            return match(pattern.dropLast(), path.dropLast())
        }
    }

    public let rules: [Rule]
    private let byLastSegment: [String: [Int]]

    /// A table; earlier rules win when several match.
    public init(_ rules: [Rule]) {
        self.rules = rules
        var index: [String: [Int]] = [:]
        for (i, r) in rules.enumerated() { index[r.segments.last ?? "", default: []].append(i) }
        byLastSegment = index
    }

    /// The first rule for a schema path (`["status", "conditions"]`, `["metadata", "ownerReferences", "[]"]`).
    public func strategy(at path: ArraySlice<String>, apiVersion: String) -> Strategy? {
        guard let last = path.last, let candidates = byLastSegment[last] else { return nil }
        for i in candidates {
            let r = rules[i]
            if let applies = r.appliesTo, !applies(apiVersion) { continue }
            if r.matches(path) { return r.strategy }
        }
        return nil
    }

    /// The list type at a path (atomic unless a rule says otherwise).
    public func listType(at path: ArraySlice<String>, apiVersion: String) -> ListType {
        if case .list(let t)? = strategy(at: path, apiVersion: apiVersion) { return t }
        return .atomic
    }

    /// Whether the map at a path is replaced whole.
    public func isAtomicMap(at path: ArraySlice<String>, apiVersion: String) -> Bool {
        strategy(at: path, apiVersion: apiVersion) == .atomicMap
    }

    /// Legacy CAPI v1beta1 objects (`*cluster.x-k8s.io/v1beta1`), whose `status.conditions` is atomic.
    static let capiV1Beta1: @Sendable (String) -> Bool = { $0.hasSuffix("cluster.x-k8s.io/v1beta1") }

    /// The table for Kubernetes and Cluster API objects.
    public static let kubernetes = MergeRules([
        // ObjectMeta
        Rule("metadata.finalizers", .list(.set)),
        Rule("metadata.ownerReferences", .list(.map(keys: ["uid"]))),
        Rule("metadata.ownerReferences[]", .atomicMap),
        // Conditions: metav1.Condition lists are keyed by type; CAPI's legacy v1beta1 conditions are atomic.
        Rule("status.conditions", .list(.atomic), appliesTo: capiV1Beta1),
        Rule("status.deprecated.v1beta1.conditions", .list(.atomic)),
        Rule("**.conditions", .list(.map(keys: ["type"]))),
        // Cluster API
        Rule("**.readinessGates", .list(.map(keys: ["conditionType"]))),
        Rule("**.availabilityGates", .list(.map(keys: ["conditionType"]))),
        Rule("**.taints", .list(.map(keys: ["key", "effect"]))),
        Rule("spec.topology.variables", .list(.map(keys: ["name"]))),
        Rule("**.variables.overrides", .list(.map(keys: ["name"]))),
        Rule("spec.topology.workers.machineDeployments", .list(.map(keys: ["name"]))),
        Rule("spec.topology.workers.machinePools", .list(.map(keys: ["name"]))),
        Rule("spec.workers.machineDeployments", .list(.map(keys: ["class"]))),
        Rule("spec.workers.machinePools", .list(.map(keys: ["class"]))),
        Rule("**.x-kubernetes-validations", .list(.map(keys: ["rule"]))),
        Rule("**.extraArgs", .list(.map(keys: ["name", "value"]))),
        Rule("status.versions", .list(.map(keys: ["version"]))),
        Rule("status.failureDomains", .list(.map(keys: ["name"]))),
        Rule("status.handlers", .list(.map(keys: ["name"]))),
        Rule("spec.selector", .atomicMap),
        Rule("spec.clusterSelector", .atomicMap),
        // Pod templates (core/v1)
        Rule("**.containers", .list(.map(keys: ["name"]))),
        Rule("**.initContainers", .list(.map(keys: ["name"]))),
        Rule("**.ephemeralContainers", .list(.map(keys: ["name"]))),
        Rule("**.containers[].env", .list(.map(keys: ["name"]))),
        Rule("**.initContainers[].env", .list(.map(keys: ["name"]))),
        Rule("**.containers[].ports", .list(.map(keys: ["containerPort", "protocol"]))),
        Rule("**.containers[].volumeMounts", .list(.map(keys: ["mountPath"]))),
        Rule("**.initContainers[].volumeMounts", .list(.map(keys: ["mountPath"]))),
        Rule("**.volumes", .list(.map(keys: ["name"]))),
        Rule("**.imagePullSecrets", .list(.map(keys: ["name"]))),
    ])
}

extension MergeRules.ListType {
    /// The path element of every item of a list of this type, or nil when the list must be treated as
    /// atomic: by rule, or because an item lacks its key fields or has a non-scalar key, keys repeat, or a
    /// set item is not a scalar. Structured merge, field diffs and drift all identify list items this way.
    public func itemElements(_ list: [Value]) -> [PathElement]? {
        var out: [PathElement] = []
        out.reserveCapacity(list.count)
        var seen = Set<PathElement>()
        for item in list {
            let pe: PathElement
            switch self {
            case .atomic: return nil
            case .set:
                switch item {
                case .map, .list, .null: return nil
                default: pe = .value(item)
                }
            case .map(let keys):
                guard case .map(let m) = item else { return nil }
                var fields: [PathElement.KeyField] = []
                for k in keys.sorted() {
                    guard let v = m[k] else { continue }
                    switch v {
                    case .map, .list: return nil
                    default: fields.append(.init(name: k, value: v))
                    }
                }
                if fields.isEmpty { return nil }
                pe = .key(fields)
            }
            guard seen.insert(pe).inserted else { return nil }
            out.append(pe)
        }
        return out
    }
}
