import CapstanCluster
import CapstanModel
import Testing

/// Keyed lists, sets and atomic lists under server-side apply, on every backend.
@Suite struct ListMergeTests {
    static func conditions(_ pairs: [(String, String)]) -> KubeObject {
        let items = pairs.map { #"{"type":"\#($0.0)","status":"\#($0.1)","reason":"R","lastTransitionTime":"2024-01-01T00:00:00Z"}"# }
        return Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine","metadata":{"name":"m1","namespace":"fleet"},"status":{"conditions":[\#(items.joined(separator: ","))]}}"#)
    }

    @Test(arguments: Backend.allCases)
    func conditionsMergeByType(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test")
        let status = ApplyOptions(subresource: .status)
        _ = try await t.cluster.apply(Self.conditions([("Ready", "False"), ("InfrastructureReady", "True")]), fieldManager: "core", options: status)
        let m = try await t.cluster.apply(Self.conditions([("BootstrapReady", "True")]), fieldManager: "bootstrap", options: status)
        let types = m.status?["conditions"]?.listValue?.compactMap { $0["type"]?.stringValue }
        #expect(types == ["Ready", "InfrastructureReady", "BootstrapReady"], "each manager's conditions survive the other's apply")
        let core = m.fieldsOwned(by: "core")
        #expect(core.contains(FieldPath([.field("status"), .field("conditions"), .key([.init(name: "type", value: "Ready")])])))
        #expect(core.contains(FieldPath([.field("status"), .field("conditions"), .key([.init(name: "type", value: "Ready")]), .field("status")])))
        let fieldsV1 = JSON.serialize(m.managedFields.first { $0.manager == "bootstrap" }!.fields.fieldsV1)
        #expect(fieldsV1 == #"{"f:status":{"f:conditions":{"k:{\"type\":\"BootstrapReady\"}":{".":{},"f:lastTransitionTime":{},"f:reason":{},"f:status":{},"f:type":{}}}}}"#)

        // Core updates Ready and drops InfrastructureReady: only its own item goes.
        let next = try await t.cluster.apply(Self.conditions([("Ready", "True")]), fieldManager: "core", options: status)
        let after = next.status?["conditions"]?.listValue ?? []
        #expect(after.compactMap { $0["type"]?.stringValue } == ["Ready", "BootstrapReady"])
        #expect(after.first?["status"] == "True")
        // Changing another manager's condition is a conflict on that item's fields.
        let err = await clusterError {
            _ = try await t.cluster.apply(Self.conditions([("BootstrapReady", "False")]), fieldManager: "core", options: status)
        }
        #expect(err?.description == #"Apply failed with 1 conflict: conflict with "bootstrap" with subresource "status": .status.conditions[type="BootstrapReady"].status"#)
    }

    @Test(arguments: Backend.allCases)
    func legacyV1Beta1ConditionsAreAtomic(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        var m = Fixtures.machine("m1")
        m.apiVersion = "cluster.x-k8s.io/v1beta1"
        _ = try await t.cluster.create(m, fieldManager: "test")
        let status = ApplyOptions(subresource: .status)
        var a = Self.conditions([("Ready", "True")])
        a.apiVersion = "cluster.x-k8s.io/v1beta1"
        let first = try await t.cluster.apply(a, fieldManager: "a", options: status)
        #expect(first.fieldsOwned(by: "a").paths.map(\.description) == [".status.conditions"])
        var b = Self.conditions([("Other", "True")])
        b.apiVersion = "cluster.x-k8s.io/v1beta1"
        let err = await clusterError { _ = try await t.cluster.apply(b, fieldManager: "b", options: status) }
        #expect(err?.description == #"Apply failed with 1 conflict: conflict with "a" with subresource "status": .status.conditions"#)
    }

    @Test(arguments: Backend.allCases)
    func finalizersAreASetAndOwnerReferencesKeyedByUID(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let cluster = try await t.cluster.create(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"c1","namespace":"fleet"}}"#), fieldManager: "test")
        func intent(finalizers: [String], owner: Bool) -> KubeObject {
            var m = Fixtures.machine("m1")
            m.finalizers = finalizers
            if owner { m.ownerReferences = [Fixtures.owner(cluster, controller: true)] }
            return m
        }
        _ = try await t.cluster.apply(intent(finalizers: ["capstan.io/a"], owner: true), fieldManager: "capstan")
        let other = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine","metadata":{"name":"m1","namespace":"fleet","finalizers":["machine.cluster.x-k8s.io"]}}"#)
        let both = try await t.cluster.apply(other, fieldManager: "machine-controller")
        #expect(both.finalizers == ["capstan.io/a", "machine.cluster.x-k8s.io"])
        let capstanFields = JSON.serialize(both.managedFields.first { $0.manager == "capstan" }!.fields.fieldsV1)
        #expect(capstanFields.contains(#""f:finalizers":{"v:\"capstan.io/a\"":{}}"#))
        #expect(capstanFields.contains(#""f:ownerReferences":{"k:{\"uid\":\"\#(cluster.uid!)\"}":{}}"#), "owner references are atomic items")
        let dropped = try await t.cluster.apply(intent(finalizers: [], owner: false), fieldManager: "capstan")
        #expect(dropped.finalizers == ["machine.cluster.x-k8s.io"])
        #expect(dropped.ownerReferences.isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func atomicListsReplaceWholeAndKeyedListsKeepOrder(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let base = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"c1","namespace":"fleet"},"spec":{"clusterNetwork":{"pods":{"cidrBlocks":["10.0.0.0/16","10.1.0.0/16"]}},"topology":{"classRef":{"name":"cc"},"version":"v1.30.0","variables":[{"name":"a","value":1},{"name":"b","value":2}]}}}"#)
        _ = try await t.cluster.apply(base, fieldManager: "capstan")
        let user = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"c1","namespace":"fleet"},"spec":{"topology":{"variables":[{"name":"z","value":9},{"name":"b","value":2}]}}}"#)
        let merged = try await t.cluster.apply(user, fieldManager: "user")
        let names = merged.spec?[path: ["topology", "variables"]]?.listValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["a", "z", "b"], "structured-merge-diff interleaving: the applied order wins for shared items")
        let cidrs = Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"c1","namespace":"fleet"},"spec":{"clusterNetwork":{"pods":{"cidrBlocks":["192.168.0.0/16"]}}}}"#)
        let err = await clusterError { _ = try await t.cluster.apply(cidrs, fieldManager: "user") }
        #expect(err?.description == #"Apply failed with 1 conflict: conflict with "capstan": .spec.clusterNetwork.pods.cidrBlocks"#)
        let forced = try await t.cluster.apply(cidrs, fieldManager: "user", force: true)
        #expect(forced.spec?[path: ["clusterNetwork", "pods", "cidrBlocks"]] == ["192.168.0.0/16"])
    }
}
