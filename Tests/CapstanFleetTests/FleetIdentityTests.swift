import CapstanFleet
import CapstanModel
import Testing

/// The identity checks lint reports: required fields, duplicates (both locations), name and label syntax.
@Suite struct FleetIdentityTests {
    func diagnostics(_ texts: [String: String]) -> [String] {
        FleetLoader().load(tree: MemoryTree(texts: texts)).sortedDiagnostics.map(\.description)
    }

    @Test func missingFields() {
        #expect(diagnostics(["m.yaml": "kind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {}\n---\napiVersion: v1\nkind: Secret\n"]) == [
            "m.yaml:1:1: ConfigMap a: apiVersion: required field is missing",
            "m.yaml:4:1: kind: required field is missing",
            "m.yaml:5:1: metadata.name: required field is missing",
            "m.yaml:7:1: Secret: metadata: required field is missing",
        ])
        #expect(diagnostics(["g.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: p-\n"]) == [
            "g.yaml:3:1: Pod: metadata.name: required field is missing (generateName is not supported: a fleet object needs a stable name)",
        ])
        #expect(diagnostics(["t.yaml": "apiVersion: 1\nkind: [a]\nmetadata: {name: 7}\n"]) == [
            "t.yaml:1:1: apiVersion: must be a string, got int",
            "t.yaml:2:1: kind: must be a string, got list",
            "t.yaml:3:12: metadata.name: must be a string, got int",
        ])
    }

    @Test func duplicatesReportBothLocations() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n"
        #expect(diagnostics(["a.yaml": cm, "b/c.yaml": "# comment\n" + cm]) == [
            "b/c.yaml:2:1: ConfigMap ns/a: already defined at a.yaml:1:1",
        ])
        // Version is not identity; group is, and so is namespace.
        let other = "apiVersion: v2\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\napiVersion: x.io/v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        #expect(diagnostics(["a.yaml": cm, "b.yaml": other]) == ["b.yaml:1:1: ConfigMap ns/a: already defined at a.yaml:1:1"])
    }

    @Test func nameSyntax() {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: Bad_Name}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: a.b}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: 1web, namespace: Prod}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: "system:controller:x"}
            ---
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: Cluster
            metadata: {name: a.b-c}

            """
        #expect(diagnostics(["n.yaml": text]) == [
            "n.yaml:3:18: ConfigMap Bad_Name: metadata.name: invalid name \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "n.yaml:7:18: Namespace a.b: metadata.name: invalid name \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "n.yaml:11:18: Service Prod/1web: metadata.name: invalid name \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "n.yaml:11:35: Service Prod/1web: metadata.namespace: invalid namespace \"Prod\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        ])
    }

    @Test func labelsAndAnnotations() {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              labels:
                ok.io/app: web
                bad key: x
                tier: -front
                enabled: yes
                "": v
              annotations:
                note: 3
                "a/b/c": x

            """
        #expect(diagnostics(["l.yaml": text]) == [
            "l.yaml:7:5: ConfigMap a: metadata.labels.bad key: invalid label key \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "l.yaml:8:11: ConfigMap a: metadata.labels.tier: invalid label value \"-front\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "l.yaml:9:14: ConfigMap a: metadata.labels.enabled: label values must be strings, got bool (quote it)",
            "l.yaml:10:5: ConfigMap a: metadata.labels.: invalid label key \"\": name part must be non-empty",
            "l.yaml:12:11: ConfigMap a: metadata.annotations.note: annotation values must be strings, got int (quote it)",
            "l.yaml:13:5: ConfigMap a: metadata.annotations.a/b/c: invalid annotation key \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'",
        ])
    }
}
