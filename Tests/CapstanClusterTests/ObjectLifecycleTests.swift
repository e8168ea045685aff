import CapstanCluster
import CapstanModel
import Testing

/// resourceVersion, optimistic concurrency, generation, identity and errors: the same body on every backend.
@Suite struct ObjectLifecycleTests {
    @Test(arguments: Backend.allCases)
    func createAssignsServerFields(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let created = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test")
        #expect(created.uid == "00000000-0000-4000-8000-000000000001")
        #expect(created.resourceVersion == "1")
        #expect(created.generation == 1)
        #expect(created.body[path: ["metadata", "creationTimestamp"]] == "2023-11-14T22:13:20Z")
        let fetched = try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1")
        #expect(fetched == created)
        let second = try await t.cluster.create(Fixtures.machine("m2"), fieldManager: "test")
        #expect(second.resourceVersion == "2")
    }

    @Test(arguments: Backend.allCases)
    func staleUpdateConflicts(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let v1 = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test")
        var a = v1, b = v1
        a.spec?["version"] = "v1.31.0"
        let v2 = try await t.cluster.update(a, fieldManager: "alice")
        #expect(v2.resourceVersion == "2")
        b.spec?["version"] = "v1.32.0"
        let err = await clusterError { _ = try await t.cluster.update(b, fieldManager: "bob") }
        #expect(err?.caseName == "conflict")
        #expect(err?.code == 409)
        #expect(err?.description == "Operation cannot be fulfilled on machines.cluster.x-k8s.io \"m1\": the object has been modified; please apply your changes to the latest version and try again")
        let stored = try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1")
        #expect(stored?.spec?["version"] == "v1.31.0")
        // Without a resourceVersion the update is unconditional, as Kubernetes allows for custom resources.
        b.resourceVersion = nil
        let v3 = try await t.cluster.update(b, fieldManager: "bob")
        #expect(v3.spec?["version"] == "v1.32.0")
        #expect(v3.resourceVersion == "3")
    }

    @Test(arguments: Backend.allCases)
    func generationBumpsOnlyOnSpecChanges(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        var m = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test")
        m.labels = ["team": "a"]
        m = try await t.cluster.update(m, fieldManager: "test")
        #expect(m.generation == 1, "a label change is metadata")
        #expect(m.resourceVersion == "2")
        m.status = .map(["phase": "Running"])
        m = try await t.cluster.updateStatus(m, fieldManager: "controller")
        #expect(m.generation == 1, "status does not bump generation")
        m.spec?["version"] = "v1.31.0"
        m = try await t.cluster.update(m, fieldManager: "test")
        #expect(m.generation == 2)
        m.body["extra"] = "top-level fields outside metadata/status count as spec"
        m = try await t.cluster.update(m, fieldManager: "test")
        #expect(m.generation == 3)
        let unchanged = try await t.cluster.update(m, fieldManager: "test")
        #expect(unchanged.resourceVersion == m.resourceVersion, "a no-op update writes nothing")
    }

    @Test(arguments: Backend.allCases)
    func statusSubresourceIsolation(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        var input = Fixtures.machine("m1")
        input.status = .map(["phase": "Injected"])
        var m = try await t.cluster.create(input, fieldManager: "test")
        #expect(m.status == nil, "create drops status")
        m.status = .map(["phase": "Provisioning"])
        m.spec?["version"] = "v1.99.0"
        m.labels = ["sneaky": "true"]
        let s = try await t.cluster.updateStatus(m, fieldManager: "controller")
        #expect(s.status?["phase"] == "Provisioning")
        #expect(s.spec?["version"] == "v1.30.0", "a status update never changes spec")
        #expect(s.labels.isEmpty, "a status update never changes metadata")
        #expect(s.resourceVersion == "2")
        var u = s
        u.status = .map(["phase": "Deleted"])
        u.spec?["version"] = "v1.31.0"
        let updated = try await t.cluster.update(u, fieldManager: "user")
        #expect(updated.status?["phase"] == "Provisioning", "an update never changes status")
        #expect(updated.spec?["version"] == "v1.31.0")
        #expect(updated.fieldsOwned(by: "controller").paths.map(\.description) == [".status.phase"])
        #expect(updated.managedFields.first { $0.manager == "controller" }?.subresource == "status")
    }

    @Test(arguments: Backend.allCases)
    func errorsUseKubernetesMessages(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test")
        let exists = await clusterError { _ = try await t.cluster.create(Fixtures.machine("m1"), fieldManager: "test") }
        #expect(exists?.description == "machines.cluster.x-k8s.io \"m1\" already exists")
        let missing = await clusterError { _ = try await t.cluster.update(Fixtures.machine("nope"), fieldManager: "test") }
        #expect(missing?.description == "machines.cluster.x-k8s.io \"nope\" not found")
        #expect(missing?.code == 404)
        let cmMissing = await clusterError { try await t.cluster.delete(Fixtures.configMapGVK, namespace: "fleet", name: "x") }
        #expect(cmMissing?.description == "configmaps \"x\" not found")

        var bad = Fixtures.machine("Bad_Name")
        bad.labels = ["ok": "fine", "bad key!": "v"]
        let invalid = await clusterError { _ = try await t.cluster.create(bad, fieldManager: "test") }
        #expect(invalid?.caseName == "invalid")
        #expect(invalid?.description.hasPrefix("Machine.cluster.x-k8s.io \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain") == true)

        var labelled = Fixtures.machine("m2")
        labelled.labels = ["bad key!": "v"]
        let labelErr = await clusterError { _ = try await t.cluster.create(labelled, fieldManager: "test") }
        #expect(labelErr?.description.contains("metadata.labels: Invalid value: \"bad key!\"") == true)

        let noNamespace = await clusterError { _ = try await t.cluster.create(Fixtures.machine("m3", namespace: ""), fieldManager: "test") }
        #expect(noNamespace?.description == "Machine.cluster.x-k8s.io \"m3\" is invalid: metadata.namespace: Required value: Machine is namespaced")
        var ns = KubeObject(apiVersion: "v1", kind: "Namespace", namespace: "fleet", name: "fleet")
        ns.namespace = "fleet"
        let scoped = await clusterError { _ = try await t.cluster.create(ns, fieldManager: "test") }
        #expect(scoped?.description == "Namespace \"fleet\" is invalid: metadata.namespace: Forbidden: not allowed on this type")
    }

    @Test(arguments: Backend.allCases)
    func generateNameAndUIDPrecondition(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        var m = Fixtures.machine("")
        m.body[path: ["metadata", "generateName"]] = "worker-"
        let created = try await t.cluster.create(m, fieldManager: "test")
        #expect(created.name.hasPrefix("worker-"))
        #expect(created.name.count == "worker-".count + 5)
        var wrong = created
        wrong.uid = "someone-else"
        let err = await clusterError { _ = try await t.cluster.update(wrong, fieldManager: "test") }
        #expect(err?.description == "Precondition failed: UID in precondition: someone-else, UID in object meta: \(created.uid!)")
        let rvErr = await clusterError {
            try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: created.name,
                                       options: DeleteOptions(preconditionResourceVersion: "999"))
        }
        #expect(rvErr?.description == "Precondition failed: ResourceVersion in precondition: 999, ResourceVersion in object meta: \(created.resourceVersion!)")
    }

    @Test(arguments: Backend.allCases)
    func listFiltersByNamespaceAndSelector(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        for (i, ns) in ["a", "b"].enumerated() {
            for j in 0..<5 {
                _ = try await t.cluster.create(
                    Fixtures.machine("m\(j)", namespace: ns, labels: ["pool": j % 2 == 0 ? "even" : "odd", "idx": "\(i * 5 + j)"]),
                    fieldManager: "test")
            }
        }
        _ = try await t.cluster.create(Fixtures.configMap("cm", namespace: "a"), fieldManager: "test")
        let all = try await t.cluster.list(Fixtures.machineGVK)
        #expect(all.items.count == 10)
        #expect(all.resourceVersion == "11")
        #expect(all.items.map { "\($0.namespace)/\($0.name)" }.prefix(3) == ["a/m0", "a/m1", "a/m2"])
        let evenInA = try await t.cluster.list(Fixtures.machineGVK, namespace: "a", selector: try LabelSelector(parsing: "pool=even"))
        #expect(evenInA.items.map(\.name) == ["m0", "m2", "m4"])
        let setBased = try await t.cluster.list(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "pool in (odd), idx notin (1,3)"))
        #expect(setBased.items.map { "\($0.namespace)/\($0.name)" } == ["b/m1", "b/m3"])
        let negative = try await t.cluster.list(Fixtures.machineGVK, namespace: "b", selector: try LabelSelector(parsing: "pool!=even"))
        #expect(negative.items.map(\.name) == ["m1", "m3"])
        let none = try await t.cluster.list(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "!pool"))
        #expect(none.items.isEmpty)
        // Relabelling moves the object between selector results (the label index follows updates).
        var m0 = try #require(try await t.cluster.get(Fixtures.machineGVK, namespace: "a", name: "m0"))
        m0.labels = ["pool": "odd"]
        _ = try await t.cluster.update(m0, fieldManager: "test")
        let odd = try await t.cluster.list(Fixtures.machineGVK, namespace: "a", selector: LabelSelector(matchLabels: ["pool": "odd"]))
        #expect(odd.items.map(\.name) == ["m0", "m1", "m3"])
    }

    @Test(arguments: Backend.allCases)
    func patchesAndUnknownKinds(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Fixtures.configMap("cm", data: ["a": "1"]), fieldManager: "kubectl")
        let merged = try await t.cluster.patch(Fixtures.configMapGVK, namespace: "fleet", name: "cm",
                                               patch: .merge(["data": ["b": "2", "a": .null]]), fieldManager: "patcher", subresource: .main)
        #expect(merged.body["data"] == ["b": "2"])
        let jsonPatched = try await t.cluster.patch(Fixtures.configMapGVK, namespace: "fleet", name: "cm",
            patch: .json([["op": "test", "path": "/data/b", "value": "2"], ["op": "replace", "path": "/data/b", "value": "3"]]),
            fieldManager: "patcher", subresource: .main)
        #expect(jsonPatched.body["data"] == ["b": "3"])
        let failed = await clusterError {
            _ = try await t.cluster.patch(Fixtures.configMapGVK, namespace: "fleet", name: "cm",
                                          patch: .json([["op": "test", "path": "/data/b", "value": "9"]]), fieldManager: "p", subresource: .main)
        }
        #expect(failed?.caseName == "invalid")
        // A kind outside the built-in table: scope follows the object.
        let widget = Fixtures.object(#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"fleet"},"spec":{"size":1}}"#)
        let created = try await t.cluster.create(widget, fieldManager: "test")
        #expect(created.resourceVersion == "4")
        let err = await clusterError { _ = try await t.cluster.update(Fixtures.object(#"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"x","namespace":"fleet"}}"#), fieldManager: "t") }
        #expect(err?.description == "widgets.example.com \"x\" not found")
    }
}
