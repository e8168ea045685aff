import CapstanCluster
import CapstanModel
import CapstanStore
import CapstanTesting
import Foundation
import Testing

/// `capstan get` runs the built binary against a state directory, read-only, while a writer holds it.
@Suite(.timeLimit(.minutes(2))) struct GetCommandTests {
    /// A state directory with a small fleet, kept open for writing (as the daemon would).
    static func populated() async throws -> (URL, ClusterStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-get-\(UUID().uuidString)")
        let clock = ManualClock(Timestamp(rfc3339: "2024-05-01T12:00:00Z")!)
        let store = try await ClusterStore.open(stateDirectory: dir.path, clock: clock, uids: SequentialUIDGenerator())
        let c = store.cluster
        _ = try await c.create(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"alpha","namespace":"fleet","labels":{"env":"prod"}},"spec":{"topology":{"classRef":{"name":"quick-start"},"version":"v1.30.0"}}}"#), fieldManager: "capstan")
        clock.advance(seconds: 3600)
        _ = try await c.create(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"beta","namespace":"fleet","labels":{"env":"dev"}},"spec":{"topology":{"classRef":{"name":"quick-start"},"version":"v1.31.0"}}}"#), fieldManager: "capstan")
        _ = try await c.create(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"name":"gamma","namespace":"other"},"spec":{}}"#), fieldManager: "capstan")
        var md = try await c.create(Fixtures.object(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"alpha-md-0","namespace":"fleet"},"spec":{"clusterName":"alpha","template":{"spec":{"version":"v1.30.0"}}}}"#), fieldManager: "capstan")
        md.status = ["replicas": 3, "readyReplicas": 2]
        _ = try await c.updateStatus(md, fieldManager: "md-controller")
        return (dir, store)
    }

    static let now = "2024-05-03T12:00:00Z"

    @Test func tablesJSONAndNames() async throws {
        let (dir, store) = try await Self.populated()
        defer { try? store.close(); try? FileManager.default.removeItem(at: dir) }
        let state = ["--state-dir", dir.path, "--now", Self.now]

        let clusters = try CLI.run(["get", "clusters", "-n", "fleet"] + state)
        #expect(clusters.exitCode == 0, "\(clusters.stderr)")
        #expect(clusters.stdout == """
            NAME    CLUSTERCLASS   PHASE   AGE   VERSION
            alpha   quick-start            2d    v1.30.0
            beta    quick-start            47h   v1.31.0

            """)

        let all = try CLI.run(["get", "CL", "-A", "-l", "env in (prod,dev),env!=dev"] + state)
        #expect(all.stdout == "NAMESPACE   NAME    CLUSTERCLASS   PHASE   AGE   VERSION\nfleet       alpha   quick-start            2d    v1.30.0\n")

        let md = try CLI.run(["get", "md", "-n", "fleet"] + state)
        #expect(md.stdout == "NAME         CLUSTER   REPLICAS   READY   AGE   VERSION\nalpha-md-0   alpha     3          2       47h   v1.30.0\n")

        let one = try CLI.run(["get", "Cluster.cluster.x-k8s.io", "alpha", "-n", "fleet", "-o", "json"] + state)
        #expect(one.exitCode == 0)
        let parsed = try JSON.parse(one.stdout)
        #expect(parsed[path: ["metadata", "name"]] == "alpha")
        #expect(parsed[path: ["metadata", "uid"]] == "00000000-0000-4000-8000-000000000001")
        #expect(parsed[path: ["metadata", "managedFields"]]?[0]?["manager"] == "capstan")

        let list = try CLI.run(["get", "clusters", "-A", "-o", "json"] + state)
        let doc = try JSON.parse(list.stdout)
        #expect(doc["kind"] == "List")
        #expect(doc["items"]?.listValue?.map { $0[path: ["metadata", "name"]] } == ["alpha", "beta", "gamma"])

        let yaml = try CLI.run(["get", "cluster", "beta", "-n", "fleet", "-o", "yaml"] + state)
        #expect(yaml.stdout.hasPrefix("apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata:\n"))
        #expect(yaml.stdout.contains("\n  name: beta\n"))
        #expect(yaml.stdout.contains("\n    version: v1.31.0\n"))

        let names = try CLI.run(["get", "machinedeployment", "-n", "fleet", "-o", "name"] + state)
        #expect(names.stdout == "machinedeployment.cluster.x-k8s.io/alpha-md-0\n")
    }

    @Test func errorsAndEmptyResults() async throws {
        let (dir, store) = try await Self.populated()
        defer { try? store.close(); try? FileManager.default.removeItem(at: dir) }
        let state = ["--state-dir", dir.path]

        let missing = try CLI.run(["get", "cluster", "nope", "-n", "fleet"] + state)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr == "Error from server (NotFound): clusters.cluster.x-k8s.io \"nope\" not found\n")

        let unknown = try CLI.run(["get", "gizmos"] + state)
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr == "error: the server doesn't have a resource type \"gizmos\"\n")

        let badSelector = try CLI.run(["get", "clusters", "-A", "-l", "env in prod"] + state)
        #expect(badSelector.exitCode == 1)
        #expect(badSelector.stderr.hasPrefix("Error from server (BadRequest): unable to parse label selector \"env in prod\""))

        let empty = try CLI.run(["get", "machines"] + state)
        #expect(empty.exitCode == 0)
        #expect(empty.stdout == "")
        #expect(empty.stderr == "No resources found in default namespace.\n")

        let noState = try CLI.run(["get", "clusters", "--state-dir", dir.appendingPathComponent("absent").path])
        #expect(noState.exitCode == 1)
        #expect(noState.stderr.hasPrefix("error: no embedded cluster at "))
    }
}
