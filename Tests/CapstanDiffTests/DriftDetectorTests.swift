import CapstanCluster
import CapstanDiff
import CapstanModel
import CapstanYAML
import Testing

@Suite struct DriftDetectorTests {
    let detector = DriftDetector()

    let desired = object("""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: MachineDeployment
        metadata:
          name: md
          namespace: team
          labels: {a: "1", cluster.x-k8s.io/cluster-name: c}
        spec:
          clusterName: c
          replicas: 3
          template:
            spec:
              version: v1.30.6
              taints: [{key: k, effect: NoSchedule}]
        """)

    /// The desired object as a server holds it after defaulting and controller writes.
    func live(replicas: Int64 = 3, extraLabel: Bool = true, managers: Value = .list([])) -> KubeObject {
        var o = desired
        o.body[path: ["metadata", "uid"]] = "u1"
        o.body[path: ["metadata", "resourceVersion"]] = "42"
        o.body[path: ["metadata", "managedFields"]] = managers
        if extraLabel { o.body[path: ["metadata", "labels", "added-by-controller"]] = "yes" }
        o.body[path: ["spec", "replicas"]] = .int(replicas)
        o.body[path: ["spec", "minReadySeconds"]] = 0                                  // defaulted
        o.body[path: ["spec", "template", "spec", "taints"]] = yaml("[{key: other, effect: NoExecute}, {key: k, effect: NoSchedule, value: defaulted}]")
        o.body[path: ["status"]] = yaml("{replicas: 3, conditions: [{type: Ready, status: 'True'}]}")
        return o
    }

    @Test func defaultsStatusAndOtherFieldsAreNotDrift() {
        #expect(detector.compare(desired: desired, live: live()).isEmpty)
    }

    @Test func changedOwnedFieldsAreDriftWithBothValuesAndTheManager() {
        let managers = yaml("""
            - {manager: capstan-topology, operation: Apply, apiVersion: cluster.x-k8s.io/v1beta2, fieldsType: FieldsV1, fieldsV1: {f:metadata: {f:labels: {f:a: {}}}}}
            - {manager: kubectl, operation: Update, apiVersion: cluster.x-k8s.io/v1beta2, fieldsType: FieldsV1, fieldsV1: {f:spec: {f:replicas: {}}}}
            """)
        let drift = detector.compare(desired: desired, live: live(replicas: 5, managers: managers))
        #expect(drift.map(\.description) == ["spec.replicas: desired 3, live 5 (set by kubectl)"])
        // Handing the field to that manager makes it not drift.
        #expect(DriftDetector(ignoredManagers: ["kubectl"]).compare(desired: desired, live: live(replicas: 5, managers: managers)).isEmpty)
    }

    @Test func removedFieldsAndKeyedItemsAreDrift() {
        var l = live()
        l.body[path: ["metadata", "labels", "a"]] = nil
        l.body[path: ["spec", "template", "spec", "taints"]] = yaml("[{key: other, effect: NoExecute}]")
        #expect(detector.compare(desired: desired, live: l).map(\.description) == [
            "metadata.labels.a: desired 1, live (missing)",
            #"spec.template.spec.taints[effect="NoSchedule",key="k"]: desired {"key":"k","effect":"NoSchedule"}, live (missing)"#,
        ])
    }

    @Test func secretValuesAreMaskedInDrift() {
        let d = object("{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: team}, data: {k: c2VjcmV0LWE=}}")
        let l = object("{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: team}, data: {k: c2VjcmV0LWI=}}")
        let drift = detector.compare(desired: d, live: l)
        #expect(drift.map(\.description) == ["data.k: desired ***, live *** (changed)"])
    }

    @Test func detectFindsMissingAndLeftoverObjectsPerCluster() {
        let cluster = ObjectKey(group: "cluster.x-k8s.io", kind: "Cluster", namespace: "team", name: "c")
        let applied = yaml("[{manager: capstan-topology, operation: Apply, apiVersion: v1, fieldsType: FieldsV1, fieldsV1: {f:data: {}}}]")
        var leftover = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: old, namespace: team, labels: {cluster.x-k8s.io/cluster-name: c}}}")
        leftover.body[path: ["metadata", "managedFields"]] = applied
        var retained = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: kept, namespace: team}}")
        retained.body[path: ["metadata", "managedFields"]] = applied
        let foreign = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: someone-elses, namespace: team}}")
        let pending = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: later, namespace: team}}")
        let gone = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: gone, namespace: team}}")
        let ns = object("{apiVersion: v1, kind: Namespace, metadata: {name: n}}")
        let reports = detector.detect(
            intended: [
                IntendedObject(object: ns, manager: FieldManagers.git),
                IntendedObject(object: desired, manager: FieldManagers.topology, cluster: cluster),
                IntendedObject(object: pending, manager: FieldManagers.topology, cluster: cluster, mayBeAbsent: true),
                IntendedObject(object: gone, manager: FieldManagers.topology, cluster: cluster),
            ],
            live: [ns, live(), leftover, retained, foreign], retained: [retained.key])
        #expect(reports.map { $0.cluster?.name ?? "-" } == ["-", "c"])
        #expect(reports[0].isClean)
        #expect(reports[1].objects.map { "\($0.key.name):\($0.state.name)" } == ["gone:missing", "old:notDesired"])
        #expect(reports[1].summaryLine == "team/c: 1 missing, 1 not desired (2 checked)")
        let doc = YAML.emit(reports[1].value)
        #expect(doc.contains("state: notDesired"))
        #expect(doc.hasPrefix("apiVersion: report.capstan.dev/v1alpha1\nkind: DriftReport\n"))
    }
}
