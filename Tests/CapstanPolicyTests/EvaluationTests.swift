import CapstanModel
import CapstanPolicy
import Testing

/// Validations, messages, variables, match conditions and failure policies.
@Suite struct EvaluationTests {
    @Test func falseValidationDeniesWithMessageAndLocation() throws {
        let e = engine(clusterPolicy("""
            validations:
              - expression: "object.spec.replicas % 2 == 1"
                message: replicas must be odd
                reason: Forbidden
            """))
        #expect(e.diagnostics.isEmpty)
        let bad = e.evaluate(.create(cluster("c1", spec: "{replicas: 2}"), at: SourceLocation(file: "fleet/c1.yaml", line: 3, column: 1)))
        #expect(bad.verdicts.count == 1)
        let v = try #require(bad.verdicts.first)
        #expect(v.policy == "p" && v.binding == "p-binding")
        #expect(v.actions == [.deny] && v.denies)
        #expect(v.message == "replicas must be odd")
        #expect(v.reason == .forbidden)
        #expect(v.cause == .violation(index: 0))
        #expect(v.description == "fleet/c1.yaml:3:1: Cluster fleet/c1: policy p (binding p-binding): Deny: replicas must be odd")
        #expect(e.evaluate(.create(cluster("c1", spec: "{replicas: 3}"))).verdicts.isEmpty)
        #expect(e.evaluate(.create(cluster("c1", spec: "{replicas: 3}"))).evaluated == [EvaluatedBinding(policy: "p", binding: "p-binding")])
    }

    @Test func messageFallsBackFromMessageExpressionToMessageToExpression() {
        let e = engine(clusterPolicy("""
            validations:
              - expression: "false"
                messageExpression: "'replicas: ' + string(object.spec.replicas)"
              - expression: "false"
                message: fixed text
                messageExpression: "object.spec.missing"
              - expression: "false"
                message: fixed again
                messageExpression: "'   '"
              - expression: " 1 > 2 "
              - expression: "false"
                message: also fixed
                messageExpression: "'two\\\\nlines'"
            """))
        let messages = e.evaluate(.create(cluster("c", spec: "{replicas: 4}"))).verdicts.map(\.message)
        #expect(messages == ["replicas: 4", "fixed text", "fixed again", "failed expression: 1 > 2", "also fixed"])
    }

    @Test func runtimeErrorsFailClosedUnlessIgnore() throws {
        let policy = """
            validations:
              - expression: "object.spec.topology.version.startsWith('v1.3')"
            """
        let closed = engine(clusterPolicy(policy)).evaluate(.create(cluster("c")))
        let v = try #require(closed.verdicts.first)
        #expect(v.cause == .failure && v.denies)
        #expect(v.message == "expression 'object.spec.topology.version.startsWith('v1.3')' resulted in error: no such key: topology")
        #expect(v.expressionLocation == SourceLocation(file: "policy.yaml", line: 9, column: 19))
        #expect(v.description.hasSuffix("[policy.yaml:9:19]"))

        let open = engine(clusterPolicy("failurePolicy: Ignore\n" + policy)).evaluate(.create(cluster("c")))
        #expect(open.verdicts.isEmpty)
        // A validation that fails (false) is enforced whatever the failure policy.
        let ignoreButFalse = engine(clusterPolicy("failurePolicy: Ignore\nvalidations:\n  - expression: 'false'")).evaluate(.create(cluster("c")))
        #expect(ignoreButFalse.verdicts.count == 1)
    }

    @Test func nonBooleanResultIsAFailure() throws {
        let r = engine(clusterPolicy("validations:\n  - expression: \"'yes'\"")).evaluate(.create(cluster("c")))
        #expect(try #require(r.verdicts.first).message == "expression ''yes'' must evaluate to bool, got string")
    }

    @Test func compileErrorsAreLocatedAndFailClosed() throws {
        let e = engine(clusterPolicy("""
            validations:
              - expression: "object.spec.replicas >"
              - expression: "params.x == 1"
              - expression: "unknownVar == 1"
              - expression: "true"
            """))
        #expect(e.hasErrors)
        let d = e.diagnostics.map(\.description)
        #expect(d.count == 3)
        #expect(d[0].hasPrefix("policy.yaml:9:7: ValidatingAdmissionPolicy p: spec.validations[0].expression: expression does not compile: 1:"))
        #expect(d[1].contains("spec.validations[1].expression: expression does not compile: 1:1:") && d[1].contains("params"))
        #expect(d[2].contains("unknownVar"))
        // Each broken validation fails on its own; the good one still runs.
        let verdicts = e.evaluate(.create(cluster("c"))).verdicts
        #expect(verdicts.count == 3)
        #expect(verdicts.allSatisfy { $0.cause == .failure && $0.message.contains("does not compile") })
    }

    @Test func structuralProblemsMakeThePolicyMisconfigured() throws {
        let e = engine("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: broken}
            spec:
              failurePolicy: Sometimes
              matchConstraints:
                resourceRules:
                  - {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE, PATCH], resources: ["*"]}
              validations:
                - expression: "true"
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: b}
            spec: {policyName: broken, validationActions: [Deny]}
            """)
        let messages = e.diagnostics.map(\.description)
        #expect(messages.contains("policy.yaml:5:3: ValidatingAdmissionPolicy broken: spec.failurePolicy: unsupported value \"Sometimes\""))
        #expect(messages.contains { $0.contains("spec.matchConstraints.resourceRules[0].operations[1]: unsupported operation \"PATCH\"") })
        let v = try #require(e.evaluate(.create(cluster("c"))).verdicts.first)
        #expect(v.binding == nil && v.denies && v.message.hasPrefix("policy is misconfigured: spec.failurePolicy"))
    }

    @Test func matchConditionsFollowTheThreeWayRule() {
        func run(_ conditions: String, failurePolicy: String = "Fail") -> PolicyEvaluation {
            engine(clusterPolicy("""
                failurePolicy: \(failurePolicy)
                matchConditions:
                \(conditions)
                validations:
                  - expression: "false"
                    message: validated
                """)).evaluate(.create(cluster("c", labels: "{env: prod}")))
        }
        // All true: evaluated.
        #expect(run("  - {name: a, expression: \"object.metadata.labels.env == 'prod'\"}").verdicts.map(\.message) == ["validated"])
        // Any false wins over errors: skipped.
        let skipped = run("  - {name: a, expression: \"object.spec.nope == 1\"}\n  - {name: b, expression: \"false\"}")
        #expect(skipped.verdicts.isEmpty && skipped.evaluated.isEmpty)
        // An error and no false: the failure policy decides.
        let failed = run("  - {name: a, expression: \"object.spec.nope == 1\"}\n  - {name: b, expression: \"true\"}")
        #expect(failed.verdicts.map(\.message) == ["matchCondition 'a' resulted in error: no such key: nope"])
        #expect(run("  - {name: a, expression: \"object.spec.nope == 1\"}", failurePolicy: "Ignore").verdicts.isEmpty)
    }

    @Test func matchConditionsCannotUseVariables() {
        let e = engine(clusterPolicy("""
            matchConditions:
              - {name: a, expression: "variables.x"}
            variables:
              - {name: x, expression: "true"}
            validations:
              - expression: "variables.x"
            """))
        #expect(e.diagnostics.count == 1)
        #expect(e.diagnostics.first?.fieldPath == "spec.matchConditions[0].expression")
    }

    @Test func variablesAreLazyOrderedAndComposable() {
        let e = engine(clusterPolicy("""
            variables:
              - {name: replicas, expression: "object.spec.replicas"}
              - {name: doubled, expression: "variables.replicas * 2"}
              - {name: broken, expression: "object.spec.nope"}
            validations:
              - expression: "variables.doubled == 6"
                messageExpression: "'doubled is ' + string(variables.doubled)"
              - expression: "variables.replicas > 0 || variables.broken"
            """))
        #expect(e.diagnostics.isEmpty)
        // `broken` is never needed, so its error never surfaces.
        #expect(e.evaluate(.create(cluster("c", spec: "{replicas: 3}"))).verdicts.isEmpty)
        #expect(e.evaluate(.create(cluster("c", spec: "{replicas: 4}"))).verdicts.map(\.message) == ["doubled is 8"])
        let failing = e.evaluate(.create(cluster("c", spec: "{replicas: 0}"))).verdicts.map(\.message)
        #expect(failing.contains { $0.contains("variable 'broken': no such key: nope") })
    }

    @Test func variablesMayOnlyUseEarlierVariables() {
        let e = engine(clusterPolicy("""
            variables:
              - {name: a, expression: "variables.b + 1"}
              - {name: b, expression: "1"}
              - {name: "not-an-identifier", expression: "1"}
            validations:
              - expression: "variables.a == 2 && variables.c == 1 && 'variables.c' != ''"
            """))
        let d = e.diagnostics
        #expect(d.count == 3)
        #expect(d.contains { $0.fieldPath == "spec.variables[0].expression" && $0.message.contains("undefined field 'b' of variables") })
        #expect(d.contains { $0.fieldPath == "spec.variables[2].name" })
        #expect(d.contains { $0.fieldPath == "spec.validations[0].expression" && $0.message.contains("1:31: undefined field 'c'") })
    }

    @Test func costLimitIsAFailureNotACrash() throws {
        let e = engine(clusterPolicy("""
            variables:
              - {name: big, expression: "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, a+b+c+d))))"}
            validations:
              - expression: "size(variables.big) == 10 || variables.big[0][0][0][0] == 4"
              - expression: "true"
            """), limits: PolicyLimits(perCall: 1_000_000, perEvaluation: 20_000))
        let verdicts = e.evaluate(.create(cluster("c"))).verdicts
        #expect(verdicts.count == 1)
        let v = try #require(verdicts.first)
        #expect(v.cause == .failure && v.message.contains("cost limit exceeded"))

        let ignored = engine(clusterPolicy("""
            failurePolicy: Ignore
            validations:
              - expression: "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, a))).size() > 0"
            """), limits: PolicyLimits(perCall: 500, perEvaluation: 10_000))
        #expect(ignored.evaluate(.create(cluster("c"))).verdicts.isEmpty)
    }

    @Test func warnAndAuditActions() throws {
        let e = engine(clusterPolicy("validations:\n  - expression: 'false'\n    message: nope", actions: "[Warn, Audit]"))
        let v = try #require(e.evaluate(.create(cluster("c"))).verdicts.first)
        #expect(v.actions == [.warn, .audit] && !v.denies)
        #expect(v.description.contains(": Warn+Audit: nope"))
    }

    @Test func bindingActionProblemsAreReported() {
        let e = engine(clusterPolicy("validations:\n  - expression: 'false'", actions: "[Deny, Warn, Deny, Block]"))
        let d = e.diagnostics.map(\.message)
        #expect(d.contains("duplicate validation action \"Deny\""))
        #expect(d.contains("unsupported validation action \"Block\" (Deny, Warn or Audit)"))
        #expect(d.contains("Deny and Warn may not be used together (use Deny and Audit instead)"))
        // An invalid binding is not used.
        #expect(e.evaluate(.create(cluster("c"))).verdicts.isEmpty)
    }

    @Test func bindingToUnknownPolicyIsAWarning() {
        let e = engine("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: orphan}
            spec: {policyName: nowhere, validationActions: [Deny]}
            """)
        #expect(e.diagnostics.map(\.description) == [
            "policy.yaml:1:1: ValidatingAdmissionPolicyBinding orphan: spec.policyName: warning: no ValidatingAdmissionPolicy named \"nowhere\"; the binding has no effect"
        ])
        #expect(!e.hasErrors)
    }

    @Test func auditAnnotationsAreEvaluated() {
        let e = engine(clusterPolicy("""
            auditAnnotations:
              - {key: replicas, valueExpression: "'replicas=' + string(object.spec.replicas)"}
              - {key: skipped, valueExpression: "null"}
              - {key: empty, valueExpression: "'  '"}
            """))
        let r = e.evaluate(.create(cluster("c", spec: "{replicas: 3}")))
        #expect(r.verdicts.isEmpty)
        #expect(r.auditAnnotations.map { "\($0.key)=\($0.value)" } == ["p/replicas=replicas=3"])
        // A value of the wrong type denies outright.
        let bad = engine(clusterPolicy("auditAnnotations:\n  - {key: k, valueExpression: '1'}", actions: "[Warn]"))
            .evaluate(.create(cluster("c")))
        #expect(bad.verdicts.map(\.actions) == [[.deny]])
        #expect(bad.verdicts.first?.message.contains("unsupported return type: int") == true)
    }

    @Test func requestAndNamespaceObjectAndAuthorizer() {
        let e = engine(clusterPolicy("""
            validations:
              - expression: "request.operation == 'UPDATE' && request.kind.kind == 'Cluster' && request.kind.version == 'v1beta2'"
              - expression: "request.resource.resource == 'clusters' && request.resource.group == 'cluster.x-k8s.io'"
              - expression: "request.name == 'c' && request.namespace == 'team-a' && request.userInfo.username == 'capstan'"
              - expression: "namespaceObject.metadata.labels['kubernetes.io/metadata.name'] == 'team-a' && namespaceObject.metadata.labels.tier == 'gold'"
              - expression: "oldObject.spec.replicas == 1 && object.spec.replicas == 3"
              - expression: "authorizer == null"
            """) + """

            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a, labels: {tier: gold}}
            """)
        let r = e.evaluate(.update(cluster("c", namespace: "team-a", spec: "{replicas: 3}"), from: cluster("c", namespace: "team-a", spec: "{replicas: 1}")))
        #expect(r.verdicts.map(\.message) == [])
    }

    @Test func deleteBindsOldObjectAndNullObject() {
        let e = engine(clusterPolicy("validations:\n  - expression: \"object == null && oldObject.metadata.name == 'gone'\"")
            .replacingOccurrences(of: "[CREATE, UPDATE]", with: "[DELETE]"))
        let r = e.evaluate(.delete(cluster("gone")))
        #expect(r.evaluated.count == 1 && r.verdicts.isEmpty)
        #expect(e.evaluate(.create(cluster("gone"))).evaluated.isEmpty)
    }

    @Test func renderedObjectsReportTheirSource() throws {
        let e = engine(clusterPolicy("validations:\n  - expression: 'false'"))
        let v = try #require(e.evaluate(.create(cluster("rendered"), derivedFrom: SourceLocation(file: "c.yaml", line: 4, column: 1))).verdicts.first)
        #expect(v.location == SourceLocation(file: "c.yaml", line: 4, column: 1) && v.locationIsDerived)
    }
}
