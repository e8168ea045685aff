import CapstanModel
import CapstanYAML

/// One `resourceRules` / `excludeResourceRules` entry (`NamedRuleWithOperations`).
struct ResourceRule: Sendable, Hashable {
    var apiGroups: [String]
    var apiVersions: [String]
    var resources: [String]
    var operations: [String]
    /// `Cluster`, `Namespaced` or `*`.
    var scope: String
    var resourceNames: [String]

    /// True when the rule covers this request. Only main resources are evaluated offline, so a
    /// subresource entry (`clusters/status`, `*/scale`) never matches; `*/*` does.
    func matches(_ target: MatchTarget, versionsMatter: Bool) -> Bool {
        guard operations.contains("*") || operations.contains(target.operation.rawValue) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(target.group) else { return false }
        if versionsMatter, !(apiVersions.contains("*") || apiVersions.contains(target.version)) { return false }
        guard resources.contains(where: { $0 == "*" || $0 == "*/*" || $0 == target.resource }) else { return false }
        switch scope {
        case "Cluster": if target.namespaced { return false }
        case "Namespaced": if !target.namespaced { return false }
        default: break
        }
        return resourceNames.isEmpty || resourceNames.contains(target.name)
    }

    static func read(_ path: [PathElement], _ reader: inout SpecReader) -> ResourceRule {
        let rule = ResourceRule(
            apiGroups: reader.strings(path + ["apiGroups"]), apiVersions: reader.strings(path + ["apiVersions"]),
            resources: reader.strings(path + ["resources"]), operations: reader.strings(path + ["operations"]),
            scope: reader.string(path + ["scope"]) ?? "*", resourceNames: reader.strings(path + ["resourceNames"]))
        for field in ["apiGroups", "apiVersions", "resources", "operations"] {
            let values: [String] = switch field {
            case "apiGroups": rule.apiGroups
            case "apiVersions": rule.apiVersions
            case "resources": rule.resources
            default: rule.operations
            }
            if reader.value(path + [.key(field)]) == nil {
                reader.problem("required field is missing", at: path + [.key(field)])
            } else if values.contains("*"), values.count > 1 {
                reader.problem("if '*' is present, it must be the only entry", at: path + [.key(field)])
            }
        }
        for (i, op) in rule.operations.enumerated() where op != "*" && AdmissionOperation(rawValue: op) == nil {
            reader.problem("unsupported operation \"\(op)\" (CREATE, UPDATE, DELETE, CONNECT or *)", at: path + ["operations", .index(i)])
        }
        if !["*", "Cluster", "Namespaced"].contains(rule.scope) {
            reader.problem("unsupported scope \"\(rule.scope)\" (Cluster, Namespaced or *)", at: path + ["scope"])
        }
        return rule
    }
}

/// What the match rules look at in a request: the resolved resource, scope, names and labels.
struct MatchTarget {
    var operation: AdmissionOperation
    var group: String
    var version: String
    var resource: String
    var namespaced: Bool
    var name: String
    /// The namespace used for selection (`default` for a namespaced object written without one).
    var namespace: String
    var isNamespace: Bool
    var objectLabels: [String: String]?
    var oldObjectLabels: [String: String]?
}

/// `MatchResources`: which requests a policy (`matchConstraints`) or binding (`matchResources`) covers.
struct MatchResources: Sendable {
    var namespaceSelector: LabelSelector = .everything
    var objectSelector: LabelSelector = .everything
    var resourceRules: [ResourceRule] = []
    var excludeResourceRules: [ResourceRule] = []
    var matchPolicy: MatchPolicy = .equivalent
    /// Without resource rules, a binding's `matchResources` narrows nothing by resource.
    var requiresRule: Bool = true

    /// True when the request is covered. `namespaceLabels` gives the labels of a namespace.
    func matches(_ t: MatchTarget, namespaceLabels: (String) -> [String: String]) -> Bool {
        let versionsMatter = matchPolicy == .exact
        if requiresRule || !resourceRules.isEmpty {
            guard resourceRules.contains(where: { $0.matches(t, versionsMatter: versionsMatter) }) else { return false }
        }
        if excludeResourceRules.contains(where: { $0.matches(t, versionsMatter: versionsMatter) }) { return false }
        // Cluster-scoped objects are never filtered by the namespace selector, except a Namespace, which
        // is selected by its own labels.
        if namespaceSelector.isEmpty {
            // Matches every namespace (and cluster-scoped objects).
        } else if t.isNamespace {
            var own = t.objectLabels ?? t.oldObjectLabels ?? [:]
            own["kubernetes.io/metadata.name"] = t.name
            if !namespaceSelector.matches(own) { return false }
        } else if t.namespaced, !namespaceSelector.matches(namespaceLabels(t.namespace)) {
            return false
        }
        // The object selector is tried on the new and the old object; either may match; a missing object never does.
        if objectSelector.isEmpty { return t.objectLabels != nil || t.oldObjectLabels != nil }
        let new = t.objectLabels.map(objectSelector.matches) ?? false
        let old = t.oldObjectLabels.map(objectSelector.matches) ?? false
        return new || old
    }

    static func read(_ path: [PathElement], _ reader: inout SpecReader, requireRules: Bool) -> MatchResources {
        var m = MatchResources()
        m.requiresRule = requireRules
        guard reader.isMap(path) else {
            if requireRules { reader.problem("required field is missing", at: path) }
            return m
        }
        m.namespaceSelector = LabelSelector.read(path + ["namespaceSelector"], &reader)
        m.objectSelector = LabelSelector.read(path + ["objectSelector"], &reader)
        for (i, _) in reader.list(path + ["resourceRules"]).enumerated() {
            m.resourceRules.append(ResourceRule.read(path + ["resourceRules", .index(i)], &reader))
        }
        for (i, _) in reader.list(path + ["excludeResourceRules"]).enumerated() {
            m.excludeResourceRules.append(ResourceRule.read(path + ["excludeResourceRules", .index(i)], &reader))
        }
        if requireRules, m.resourceRules.isEmpty {
            reader.problem("resourceRules is required and must not be empty", at: path + ["resourceRules"])
        }
        m.matchPolicy = reader.choice(path + ["matchPolicy"], MatchPolicy.self) ?? .equivalent
        return m
    }
}
