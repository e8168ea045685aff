import CapstanModel
import CapstanPolicy
import Testing

/// Resource rules, selectors, binding narrowing and kind-to-resource mapping.
@Suite struct MatchingTests {
    /// A policy that always fails, with the given matchConstraints body and binding extras.
    func alwaysFails(_ constraints: String, binding: String = "") -> PolicyEngine {
        engine("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: p}
            spec:
              matchConstraints:
            \(constraints.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
              validations: [{expression: "false", message: matched}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: b}
            spec:
              policyName: p
              validationActions: [Deny]
            \(binding.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: prod-ns, labels: {tier: production}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: dev-ns, labels: {tier: dev}}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgetries.example.com}
            spec:
              group: example.com
              scope: Cluster
              names: {kind: Widget, plural: widgetries}
            """)
    }

    func matched(_ e: PolicyEngine, _ request: AdmissionRequest) -> Bool { !e.evaluate(request).verdicts.isEmpty }

    @Test func resourceRulesMatchGroupVersionResourceAndOperation() {
        let e = alwaysFails("resourceRules:\n  - {apiGroups: [cluster.x-k8s.io], apiVersions: [v1beta2], operations: [CREATE], resources: [clusters]}\nmatchPolicy: Exact")
        #expect(matched(e, .create(cluster("c"))))
        #expect(!matched(e, .update(cluster("c"), from: cluster("c"))))
        let v1beta1 = object("apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c, namespace: fleet}")
        #expect(!matched(e, .create(v1beta1)))
        #expect(!matched(e, .create(object("apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: c, namespace: fleet}"))))
        // Equivalent (the default) also matches other versions of the same resource.
        let eq = alwaysFails("resourceRules:\n  - {apiGroups: [cluster.x-k8s.io], apiVersions: [v1beta2], operations: [CREATE], resources: [clusters]}")
        #expect(matched(eq, .create(v1beta1)))
    }

    @Test func wildcardsSubresourcesScopeAndNames() {
        let all = alwaysFails("resourceRules:\n  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*/*']}")
        #expect(matched(all, .delete(cluster("c"))))
        let sub = alwaysFails("resourceRules:\n  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: [clusters/status, '*/scale']}")
        #expect(!matched(sub, .create(cluster("c"))))
        let clusterScoped = alwaysFails("resourceRules:\n  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'], scope: Cluster}")
        #expect(!matched(clusterScoped, .create(cluster("c"))))
        #expect(matched(clusterScoped, .create(object("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}"))))
        // A CustomResourceDefinition in the repository gives the resource name and scope.
        let widget = object("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}")
        #expect(matched(clusterScoped, .create(widget)))
        let byName = alwaysFails("resourceRules:\n  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: [widgetries], resourceNames: [w]}")
        #expect(matched(byName, .create(widget)))
        #expect(!matched(byName, .create(object("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: other}"))))
    }

    @Test func exclusionWinsOverInclusion() {
        let e = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
            excludeResourceRules:
              - {apiGroups: [''], apiVersions: ['*'], operations: ['*'], resources: [configmaps]}
            """)
        #expect(matched(e, .create(cluster("c"))))
        #expect(!matched(e, .create(object("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}"))))
    }

    @Test func namespaceSelectorUsesNamespaceObjectsAndTheNameLabel() {
        let e = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
            namespaceSelector:
              matchExpressions:
                - {key: tier, operator: In, values: [production]}
            """)
        #expect(matched(e, .create(cluster("c", namespace: "prod-ns"))))
        #expect(!matched(e, .create(cluster("c", namespace: "dev-ns"))))
        #expect(!matched(e, .create(cluster("c", namespace: "undefined-ns"))))
        // Cluster-scoped objects are not filtered by it; a Namespace is selected by its own labels.
        #expect(matched(e, .create(object("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}"))))
        #expect(matched(e, .create(object("apiVersion: v1\nkind: Namespace\nmetadata: {name: n, labels: {tier: production}}"))))
        #expect(!matched(e, .create(object("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}"))))

        let byName = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: undefined-ns}
            """)
        #expect(matched(byName, .create(cluster("c", namespace: "undefined-ns"))))
        // A namespaced object written without a namespace is in `default`.
        let defaultNS = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: default}
            """)
        #expect(matched(defaultNS, .create(object("apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: c}"))))
    }

    @Test func objectSelectorTriesNewAndOldObjects() {
        let e = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
            objectSelector:
              matchExpressions:
                - {key: env, operator: NotIn, values: [dev]}
                - {key: team, operator: Exists}
            """)
        #expect(matched(e, .create(cluster("c", labels: "{team: a}"))))
        #expect(!matched(e, .create(cluster("c", labels: "{team: a, env: dev}"))))
        #expect(!matched(e, .create(cluster("c"))))
        #expect(matched(e, .update(cluster("c"), from: cluster("c", labels: "{team: a}"))))
        #expect(matched(e, .delete(cluster("c", labels: "{team: a}"))))
    }

    @Test func bindingMatchResourcesNarrowsThePolicy() {
        let e = alwaysFails(
            "resourceRules:\n  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}",
            binding: "matchResources:\n  namespaceSelector: {matchLabels: {tier: production}}\n  excludeResourceRules:\n    - {apiGroups: ['*'], apiVersions: ['*'], operations: [DELETE], resources: ['*']}")
        #expect(matched(e, .create(cluster("c", namespace: "prod-ns"))))
        #expect(!matched(e, .create(cluster("c", namespace: "dev-ns"))))
        #expect(!matched(e, .delete(cluster("c", namespace: "prod-ns"))))
    }

    @Test func selectorProblemsAreReported() {
        let e = alwaysFails("""
            resourceRules:
              - {apiGroups: ['*', apps], apiVersions: ['*'], operations: ['*'], resources: ['*']}
              - {apiVersions: ['*'], operations: ['*'], resources: ['*']}
            objectSelector:
              matchExpressions:
                - {key: a, operator: In}
                - {key: b, operator: Exists, values: [x]}
                - {key: c, operator: Near, values: [x]}
            """)
        let messages = e.diagnostics.map { "\($0.fieldPath ?? ""): \($0.message)" }
        #expect(messages.contains("spec.matchConstraints.resourceRules[0].apiGroups: if '*' is present, it must be the only entry"))
        #expect(messages.contains("spec.matchConstraints.resourceRules[1].apiGroups: required field is missing"))
        #expect(messages.contains("spec.matchConstraints.objectSelector.matchExpressions[0].values: values must be non-empty for operator In"))
        #expect(messages.contains("spec.matchConstraints.objectSelector.matchExpressions[1].values: values must be empty for operator Exists"))
        #expect(messages.contains("spec.matchConstraints.objectSelector.matchExpressions[2].operator: unsupported value \"Near\""))
    }

    @Test func kindsMapToResources() {
        let m = ResourceMapper()
        #expect(m.mapping(for: GroupKind(group: "cluster.x-k8s.io", kind: "ClusterClass")).resource == "clusterclasses")
        #expect(m.mapping(for: GroupKind(group: "cluster.x-k8s.io", kind: "MachineDeployment")).resource == "machinedeployments")
        #expect(m.mapping(for: GroupKind(group: "cluster.x-k8s.io", kind: "MachineHealthCheck")).resource == "machinehealthchecks")
        #expect(m.mapping(for: GroupKind(group: "controlplane.cluster.x-k8s.io", kind: "KubeadmControlPlane")).resource == "kubeadmcontrolplanes")
        #expect(m.mapping(for: GroupKind(group: "addons.cluster.x-k8s.io", kind: "ClusterResourceSetBinding")).resource == "clusterresourcesetbindings")
        #expect(m.mapping(for: GroupKind(group: "", kind: "Endpoints")).resource == "endpoints")
        #expect(m.mapping(for: GroupKind(group: "networking.k8s.io", kind: "NetworkPolicy")).resource == "networkpolicies")
        #expect(m.mapping(for: GroupKind(group: "", kind: "Namespace")) == .init(resource: "namespaces", namespaced: false))
        #expect(m.mapping(for: GroupKind(group: "runtime.cluster.x-k8s.io", kind: "ExtensionConfig")).namespaced == false)
        #expect(m.mapping(for: GroupKind(group: "cluster.x-k8s.io", kind: "Cluster")).namespaced)
    }
}
