import CapstanCluster
import CapstanModel
import Testing

/// FieldsV1 encoding and set algebra (pure).
@Suite struct FieldSetTests {
    /// A managedFields entry as a Kubernetes API server writes it for a Deployment created with kubectl.
    static let kubectlCreate = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}"#

    @Test func fieldsV1RoundTripsByteForByte() throws {
        let set = try FieldSet(fieldsV1: try JSON.parse(Self.kubectlCreate))
        #expect(JSON.serialize(set.fieldsV1) == Self.kubectlCreate)
        let paths = set.paths.map(\.description)
        #expect(paths.contains(".metadata.labels"))
        #expect(paths.contains(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].protocol"))
        #expect(!paths.contains(".spec"), "struct fields with content are not members")
    }

    @Test func setAlgebra() {
        let a = FieldSet([FieldPath(fields: "spec", "a"), FieldPath(fields: "spec", "b"), FieldPath(fields: "spec", "c", "d")])
        let b = FieldSet([FieldPath(fields: "spec", "b"), FieldPath(fields: "spec", "c", "d"), FieldPath(fields: "spec", "e")])
        #expect(a.union(b).paths.count == 4)
        #expect(a.intersection(b).paths.map(\.description) == [".spec.b", ".spec.c.d"])
        #expect(a.difference(b).paths.map(\.description) == [".spec.a"])
        #expect(a.difference(a).isEmpty)
        #expect(a.containsAny(atOrBelow: FieldPath(fields: "spec", "c")))
        #expect(!a.contains(FieldPath(fields: "spec", "c")))
        let finalizer = FieldPath([.field("metadata"), .field("finalizers"), .value("example.com/x")])
        #expect(JSON.serialize(FieldSet([finalizer]).fieldsV1) == #"{"f:metadata":{"f:finalizers":{"v:\"example.com/x\"":{}}}}"#)
        #expect(finalizer.description == #".metadata.finalizers[="example.com/x"]"#)
    }

    @Test func malformedFieldsV1IsRejected() {
        #expect(throws: FieldSet.FieldsV1Error.self) { try FieldSet(fieldsV1: ["x:foo": [:]]) }
        #expect(throws: FieldSet.FieldsV1Error.self) { try FieldSet(fieldsV1: ["f:a": "not an object"]) }
    }
}
