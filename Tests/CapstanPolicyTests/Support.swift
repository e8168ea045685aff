import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanYAML

/// Loads YAML text into fleet objects (file `file`).
func objects(_ yaml: String, file: String = "test.yaml") -> [FleetObject] {
    FleetLoader(checkIdentity: false).load(tree: MemoryTree(texts: [file: yaml])).objects
}

/// An engine over the policies, bindings and other objects in `yaml`.
func engine(_ yaml: String, file: String = "policy.yaml", limits: PolicyLimits = .default) -> PolicyEngine {
    PolicyEngine(objects: objects(yaml, file: file), limits: limits)
}

/// The first object in `yaml`.
func object(_ yaml: String) -> KubeObject {
    objects(yaml, file: "object.yaml")[0].object
}

/// A v1beta2 Cluster with the given extra metadata and spec (YAML flow maps).
func cluster(_ name: String, namespace: String = "fleet", labels: String = "{}", spec: String = "{}") -> KubeObject {
    object("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata: {name: \(name), namespace: \(namespace), labels: \(labels)}
        spec: \(spec)
        """)
}

/// A policy over Clusters (CREATE and UPDATE) with the given spec additions and a Deny binding.
func clusterPolicy(_ specYAML: String, name: String = "p", actions: String = "[Deny]", bindingExtra: String = "") -> String {
    """
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicy
    metadata: {name: \(name)}
    spec:
      matchConstraints:
        resourceRules:
          - {apiGroups: [cluster.x-k8s.io], apiVersions: ["*"], operations: [CREATE, UPDATE], resources: [clusters]}
    \(specYAML.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
    ---
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingAdmissionPolicyBinding
    metadata: {name: \(name)-binding}
    spec:
      policyName: \(name)
      validationActions: \(actions)
    \(bindingExtra.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
    """
}
