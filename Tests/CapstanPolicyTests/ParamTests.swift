import CapstanFleet
import CapstanModel
import CapstanPolicy
import Testing

/// `paramKind` / `paramRef`: parameters by name and selector, namespaces, and missing parameters.
@Suite struct ParamTests {
    static let params = """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: limits, namespace: config, labels: {set: a}}
        data: {max: "5"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: strict, namespace: config, labels: {set: a}}
        data: {max: "2"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: limits, namespace: fleet}
        data: {max: "1"}
        """

    func run(paramRef: String, replicas: Int = 3, policyExtra: String = "", namespace: String = "fleet") -> PolicyEvaluation {
        engine(clusterPolicy("""
            paramKind: {apiVersion: v1, kind: ConfigMap}
            \(policyExtra)
            validations:
              - expression: "params == null || object.spec.replicas <= int(params.data.max)"
                messageExpression: "'at most ' + params.data.max + ' replicas (' + params.metadata.name + ')'"
            """, bindingExtra: paramRef) + "\n" + Self.params).evaluate(.create(cluster("c", namespace: namespace, spec: "{replicas: \(replicas)}")))
    }

    @Test func paramByNameAndNamespace() {
        #expect(run(paramRef: "paramRef: {name: limits, namespace: config, parameterNotFoundAction: Deny}", replicas: 5).verdicts.isEmpty)
        #expect(run(paramRef: "paramRef: {name: limits, namespace: config, parameterNotFoundAction: Deny}", replicas: 6).verdicts.map(\.message)
            == ["at most 5 replicas (limits)"])
        // Without a namespace, a namespaced parameter is looked up in the request's namespace.
        #expect(run(paramRef: "paramRef: {name: limits, parameterNotFoundAction: Deny}", replicas: 2).verdicts.map(\.message)
            == ["at most 1 replicas (limits)"])
    }

    @Test func selectorEvaluatesOncePerParameter() {
        let r = run(paramRef: "paramRef: {selector: {matchLabels: {set: a}}, namespace: config, parameterNotFoundAction: Deny}", replicas: 3)
        #expect(r.verdicts.map(\.message) == ["at most 2 replicas (strict)"])
        #expect(r.evaluated.count == 2)
    }

    @Test func missingParameterFollowsTheNotFoundAction() throws {
        let denied = run(paramRef: "paramRef: {name: nope, namespace: config, parameterNotFoundAction: Deny}")
        let v = try #require(denied.verdicts.first)
        #expect(v.denies && v.cause == .failure)
        #expect(v.message == "failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction")
        let allowed = run(paramRef: "paramRef: {name: nope, namespace: config, parameterNotFoundAction: Allow}")
        #expect(allowed.verdicts.isEmpty && allowed.evaluated.isEmpty)
        // With failurePolicy Ignore a missing parameter is dropped too.
        #expect(run(paramRef: "paramRef: {name: nope, namespace: config, parameterNotFoundAction: Deny}", policyExtra: "failurePolicy: Ignore").verdicts.isEmpty)
    }

    @Test func noParamRefBindsNull() {
        let r = run(paramRef: "")
        #expect(r.verdicts.isEmpty && r.evaluated.count == 1)
    }

    @Test func paramRefProblemsAreReported() {
        let e = engine(clusterPolicy("paramKind: {apiVersion: v1, kind: ConfigMap}\nvalidations: [{expression: 'true'}]",
                                     bindingExtra: "paramRef: {name: a, selector: {}}"))
        let messages = e.diagnostics.map(\.message)
        #expect(messages.contains("exactly one of name or selector is required"))
        #expect(messages.contains("parameterNotFoundAction is required (Allow or Deny)"))
    }

    @Test func paramsIsUndeclaredWithoutParamKind() {
        let e = engine(clusterPolicy("validations: [{expression: 'params == null'}]"))
        #expect(e.hasErrors)
        #expect(e.diagnostics.first?.message.contains("params") == true)
    }
}
