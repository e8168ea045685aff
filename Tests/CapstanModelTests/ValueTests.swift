import CapstanModel
import Testing

@Suite struct ValueTests {
    @Test func equalityFollowsJSONSemantics() throws {
        #expect(try JSON.parse(#"{"a":1,"b":[1,2]}"#) == (try JSON.parse(#"{"b":[1,2],"a":1.0}"#)))
        #expect(try JSON.parse(#"[1,2]"#) != (try JSON.parse(#"[2,1]"#)))
        #expect(Value.null != Value.map([:]))
        #expect(Value.string("1") != Value.int(1))
        #expect(Value.int(1).hashValue == Value.double(1.0).hashValue)
        let reordered = try JSON.parse(#"{"b":2,"a":1}"#)
        #expect(Set([try JSON.parse(#"{"a":1,"b":2}"#), reordered]).count == 1)
    }

    @Test func identityIsStrict() throws {
        #expect(!(try JSON.parse(#"{"a":1,"b":2}"#)).isIdentical(to: try JSON.parse(#"{"b":2,"a":1}"#)))
        #expect(!Value.int(1).isIdentical(to: .double(1)))
        #expect((try JSON.parse(#"{"a":[1,{"b":null}]}"#)).isIdentical(to: try JSON.parse(#"{"a":[1,{"b":null}]}"#)))
    }

    @Test func pathAccessAndMutation() {
        var v: Value = ["spec": ["replicas": 3]]
        #expect(v[path: ["spec", "replicas"]] == 3)
        v[path: ["spec", "template", "metadata", "labels"]] = ["a": "b"]
        #expect(v[dotted: "spec.template.metadata.labels.a"] == "b")
        v[path: ["spec", "replicas"]] = nil
        #expect(v[path: ["spec", "replicas"]] == nil)
        #expect(v["spec"]?.mapValue?.keys == ["template"])
    }

    @Test func largeMapsStayOrderedAndIndexed() {
        var m = ObjectMap()
        for i in 0..<1000 { m["k\(i)"] = .int(Int64(i)) }
        #expect(m["k999"] == 999)
        m["k500"] = nil
        #expect(m.count == 999)
        #expect(m["k501"] == 501)
        #expect(m.keys.prefix(3) == ["k0", "k1", "k2"])
        m["k0"] = "first"
        #expect(m.keys.first == "k0")
        #expect(m[0].value == "first")
    }

    @Test func kubeObjectAccessors() throws {
        var o = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Cluster", namespace: "fleet-a", name: "c1")
        o.labels = ["b": "2", "a": "1"]
        #expect(o.body[path: ["metadata", "labels"]]?.mapValue?.keys == ["a", "b"])
        #expect(o.gvk == GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Cluster"))
        #expect(o.key.description == "Cluster fleet-a/c1")
        #expect(o.gvk.groupKind.description == "Cluster.cluster.x-k8s.io")
        o.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Secret", name: "s", uid: "u")]
        #expect(o.ownerReferences.first?.name == "s")
        #expect(GroupVersionKind(apiVersion: "v1", kind: "Secret").group == "")
    }

    @Test func kubeNames() {
        #expect(KubeNames.isDNS1123Subdomain("fleet-a.example"))
        #expect(!KubeNames.isDNS1123Subdomain("Fleet"))
        #expect(!KubeNames.isDNS1123Subdomain("a..b"))
        #expect(!KubeNames.isDNS1123Label("a.b"))
        #expect(!KubeNames.isDNS1123Label(String(repeating: "a", count: 64)))
        #expect(KubeNames.qualifiedNameErrors("topology.cluster.x-k8s.io/owned").isEmpty)
        #expect(!KubeNames.qualifiedNameErrors("/x").isEmpty)
        #expect(KubeNames.labelValueErrors("").isEmpty)
        #expect(!KubeNames.labelValueErrors("-x").isEmpty)
    }

    @Test func diagnosticsPrintLocationObjectAndField() {
        let d = Diagnostic(at: SourceLocation(file: "c.yaml", line: 3, column: 5), object: "Cluster a/b",
                           fieldPath: "spec.topology", message: "boom")
        #expect(d.description == "c.yaml:3:5: Cluster a/b: spec.topology: boom")
        #expect(Diagnostic(.warning, message: "careful").description == "warning: careful")
    }
}
