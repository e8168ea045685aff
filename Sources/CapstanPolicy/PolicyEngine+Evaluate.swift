import CapstanCEL
import CapstanModel

extension PolicyEngine {
    /// Evaluates every active policy against one request: policy match, binding match, parameters, then
    /// one evaluation per (policy, binding, parameter) with its own cost budget.
    public func evaluate(_ request: AdmissionRequest) -> PolicyEvaluation {
        var result = PolicyEvaluation()
        guard !active.isEmpty, !Self.isAdmissionPolicyObject(request.subject.key) else { return result }
        let target = matchTarget(for: request)
        var context: RequestContext?
        for (p, bindingIndices) in active {
            let policy = policies[p]
            guard policy.matchConstraints.matches(target, namespaceLabels: namespaceLabels) else { continue }
            let reporter = VerdictReporter(policy: policy, request: request)
            if let error = policy.configurationError {
                if policy.failurePolicy == .fail {
                    result.verdicts.append(reporter.verdict(binding: nil, actions: [.deny], message: error, cause: .failure))
                }
                continue
            }
            for b in bindingIndices {
                let binding = bindings[b]
                guard binding.matchResources.matches(target, namespaceLabels: namespaceLabels) else { continue }
                let ctx = context ?? RequestContext(request: request, target: target, engine: self)
                context = ctx
                switch collectParams(policy, binding, namespace: target.namespace, namespaced: target.namespaced) {
                case .failure(let message):
                    if policy.failurePolicy == .fail {
                        result.verdicts.append(reporter.verdict(
                            binding: binding.name, actions: [.deny], message: "failed to configure binding: \(message)", cause: .failure))
                    }
                case .success(let params):
                    for param in params {
                        evaluate(policy, binding, param: param, context: ctx, reporter: reporter, into: &result)
                    }
                }
            }
        }
        return result
    }

    /// Resource, scope, names and labels of the request, resolved once.
    func matchTarget(for request: AdmissionRequest) -> MatchTarget {
        let subject = request.subject
        let gvk = subject.gvk
        let mapping = mapper.mapping(for: gvk.groupKind)
        let isNamespace = gvk.group.isEmpty && gvk.kind == "Namespace"
        // A namespaced object written without a namespace lands in `default` when applied.
        let namespace = mapping.namespaced ? (subject.namespace.isEmpty ? "default" : subject.namespace) : ""
        return MatchTarget(
            operation: request.operation, group: gvk.group, version: gvk.version, resource: mapping.resource,
            namespaced: mapping.namespaced, name: subject.name, namespace: namespace, isNamespace: isNamespace,
            objectLabels: request.object.map(\.labels), oldObjectLabels: request.oldObject.map(\.labels))
    }

    /// The parameter objects of a (policy, binding) pair: `[nil]` when the policy takes none, `[.null]`
    /// when it has a kind but the binding names no object, else the objects found.
    func collectParams(_ policy: AdmissionPolicy, _ binding: PolicyBinding, namespace: String, namespaced: Bool)
        -> ParamResult
    {
        guard let kind = policy.paramKind else { return .success([nil]) }
        guard let ref = binding.paramRef else { return .success([.null]) }
        let paramNamespaced = mapper.mapping(for: kind.groupKind).namespaced
        var searchNamespace: String?
        if paramNamespaced {
            if let ns = ref.namespace, !ns.isEmpty {
                searchNamespace = ns
            } else if namespaced {
                searchNamespace = namespace
            } else {
                return .failure("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources")
            }
        } else if let ns = ref.namespace, !ns.isEmpty {
            return .failure("paramRef.namespace must not be provided for a cluster-scoped `paramKind`")
        }
        var found = params.objects(of: kind.groupKind, namespace: searchNamespace)
        if let name = ref.name {
            found = found.filter { $0.name == name }.prefix(1).map { $0 }
        } else if let selector = ref.selector {
            found = found.filter { selector.matches($0.labels) }
        }
        if found.isEmpty {
            switch ref.notFoundAction {
            case .deny: return .failure("no params found for policy binding with `Deny` parameterNotFoundAction")
            case .allow: return .success([])
            }
        }
        return .success(found.map { .object($0) })
    }

    /// A parameter for one evaluation: none (no `paramKind`), null, or an object.
    enum Param {
        case null
        case object(KubeObject)
    }

    enum ParamResult {
        case success([Param?])
        case failure(String)
    }
}

/// Builds verdicts for one policy and request.
struct VerdictReporter {
    let policy: AdmissionPolicy
    let request: AdmissionRequest

    func verdict(
        binding: String?, actions: [ValidationAction], message: String, reason: ValidationReason = .invalid,
        cause: PolicyVerdict.Cause, expression: PolicyExpression? = nil
    ) -> PolicyVerdict {
        PolicyVerdict(
            policy: policy.name, binding: binding, object: request.subject.key, location: request.reportedLocation,
            locationIsDerived: request.location == nil && request.derivedFrom != nil, actions: actions, message: message,
            reason: reason, cause: cause, expressionLocation: expression?.location)
    }
}
