import CapstanCluster
import CapstanDiff
import CapstanModel
import CapstanYAML
import Testing

/// Parses one YAML document into a Value (test input).
func yaml(_ text: String) -> Value {
    try! YAML.parseFirst(text)
}

func object(_ text: String) -> KubeObject { KubeObject(yaml(text)) }

@Suite struct ObjectDiffTests {
    let diff = ObjectDiff()

    @Test func reorderedKeyedListsAreNotChanges() {
        let a = yaml("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            spec:
              topology:
                workers:
                  machineDeployments:
                    - {name: md-0, class: default, replicas: 1}
                    - {name: md-1, class: default, replicas: 2}
                variables:
                  - {name: a, value: 1}
                  - {name: b, value: x}
            status:
              conditions:
                - {type: Ready, status: "True"}
                - {type: Available, status: "False"}
            """)
        let b = yaml("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            spec:
              topology:
                variables:
                  - {name: b, value: x}
                  - {name: a, value: 1.0}
                workers:
                  machineDeployments:
                    - {name: md-1, replicas: 2, class: default}
                    - {name: md-0, class: default, replicas: 1}
            status:
              conditions:
                - {type: Available, status: "False"}
                - {type: Ready, status: "True"}
            """)
        #expect(diff.changes(old: a, new: b, apiVersion: "cluster.x-k8s.io/v1beta2").isEmpty)
    }

    @Test func keyedItemsAreAddressedByKey() {
        let a = yaml("spec: {topology: {workers: {machineDeployments: [{name: md-0, replicas: 1}, {name: md-1, replicas: 2}]}}}")
        let b = yaml("spec: {topology: {workers: {machineDeployments: [{name: md-1, replicas: 3}, {name: md-2, replicas: 1}]}}}")
        let changes = diff.changes(old: a, new: b, apiVersion: "cluster.x-k8s.io/v1beta2")
        #expect(changes.map(\.description) == [
            #"spec.topology.workers.machineDeployments[name="md-0"]: removed (was {"name":"md-0","replicas":1})"#,
            #"spec.topology.workers.machineDeployments[name="md-1"].replicas: 2 → 3"#,
            #"spec.topology.workers.machineDeployments[name="md-2"]: added {"name":"md-2","replicas":1}"#,
        ])
    }

    @Test func setListsCompareAsSetsAndAtomicListsInOrder() {
        let a = yaml("""
            metadata: {finalizers: [a, b]}
            spec: {clusterNetwork: {pods: {cidrBlocks: [10.0.0.0/16, 10.1.0.0/16]}}, files: [{path: /a}, {path: /b}]}
            """)
        let b = yaml("""
            metadata: {finalizers: [b, c]}
            spec: {clusterNetwork: {pods: {cidrBlocks: [10.1.0.0/16, 10.0.0.0/16]}}, files: [{path: /a}]}
            """)
        let changes = diff.changes(old: a, new: b, apiVersion: "v1").map(\.description)
        #expect(changes == [
            #"metadata.finalizers[="a"]: removed (was a)"#,
            #"metadata.finalizers[="c"]: added c"#,
            "spec.clusterNetwork.pods.cidrBlocks[0]: 10.0.0.0/16 → 10.1.0.0/16",
            "spec.clusterNetwork.pods.cidrBlocks[1]: 10.1.0.0/16 → 10.0.0.0/16",
            #"spec.files: [{"path":"/a"},{"path":"/b"}] → [{"path":"/a"}]"#,
        ])
    }

    @Test func nullsAreUnsetAndNumbersCompareByValue() {
        let a = yaml("spec: {a: null, b: 1, c: {d: null}}")
        let b = yaml("spec: {b: 1.0, c: {}}")
        #expect(diff.changes(old: a, new: b, apiVersion: "v1").isEmpty)
        #expect(diff.changes(old: b, new: yaml("spec: {b: 2, c: {}}"), apiVersion: "v1").map(\.description) == ["spec.b: 1 → 2"])
    }

    @Test func listsThatBreakTheirKeyRuleAreAtomic() {
        // Duplicate keys make a keyed list atomic for that object (as structured-merge-diff treats it).
        let a = yaml("status: {conditions: [{type: A}, {type: A, status: x}]}")
        let b = yaml("status: {conditions: [{type: A, status: x}, {type: A}]}")
        #expect(diff.changes(old: a, new: b, apiVersion: "v1").map(\.path.display) == ["status.conditions[0].status", "status.conditions[1].status"])
    }

    @Test func normalisationDropsWhatServersAndControllersWrite() {
        let live = object("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              namespace: ns
              uid: 123
              resourceVersion: "7"
              generation: 2
              creationTimestamp: "2026-01-01T00:00:00Z"
              managedFields: [{manager: x, operation: Apply, fieldsV1: {}}]
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"data":{"secret":"s3cr3t"}}'
              ownerReferences:
                - {apiVersion: cluster.x-k8s.io/v1beta2, kind: Cluster, name: c, uid: 00000000-0000-0000-0000-000000000000}
            data: {k: v}
            status: {phase: Ready}
            """)
        let n = Normalizer.normalize(live)
        #expect(JSON.serialize(n.body) == #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","name":"c"}]},"data":{"k":"v"}}"#)
    }

    @Test func placeholderOwnerUIDsTakeTheLiveUID() {
        let desired = object("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, ownerReferences: [{kind: Cluster, name: c, uid: 00000000-0000-0000-0000-000000000000}]}
            """)
        let live = object("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a, ownerReferences: [{kind: Cluster, name: c, uid: real-uid}]}
            """)
        let resolved = Normalizer.resolvePlaceholderOwners(desired, from: live)
        #expect(resolved.body[path: ["metadata", "ownerReferences"]]?[0]?["uid"] == "real-uid")
    }

    @Test func changeSetsClassifyByIdentity() {
        let a1 = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: team}, data: {x: '1'}}")
        let a2 = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: team, resourceVersion: '9'}, data: {x: '2'}}")
        let b = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: team}}")
        let c = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: team}}")
        let d = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: d, namespace: team}}")
        let set = ChangeSet.compute(old: [a1, b, d], new: [a2, c, d])
        #expect(set.changes.map { "\($0.key.name):\($0.change.action)" } == ["a:update", "c:create", "d:unchanged", "b:delete"])
        #expect(set.changes[0].change.fieldChanges.map(\.description) == ["data.x: 1 → 2"])
        #expect(set.counts == ["update": 1, "create": 1, "unchanged": 1, "delete": 1])
    }
}
