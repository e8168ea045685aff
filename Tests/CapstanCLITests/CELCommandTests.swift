import CapstanTesting
import Foundation
import Testing

/// `capstan cel`, run as the built binary.
@Suite struct CELCommandTests {
    /// A scratch directory with a Cluster manifest (YAML), an old revision and a params file (JSON).
    static func fixtures() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-cel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata:
              name: prod-eu-1
              labels:
                env: prod
            spec:
              topology:
                version: v1.30.2
                controlPlane:
                  replicas: 3
                workers:
                  machineDeployments:
                  - {class: default-worker, name: md-0, replicas: 4}
                  - {class: gpu-worker, name: md-1, replicas: 2}
            """.write(to: dir.appendingPathComponent("cluster.yaml"), atomically: true, encoding: .utf8)
        try "metadata: {name: prod-eu-1}\nspec: {topology: {version: v1.29.0}}\n"
            .write(to: dir.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try #"{"maxWorkers": 10, "allowedEnvs": ["prod", "staging"]}"#
            .write(to: dir.appendingPathComponent("params.json"), atomically: true, encoding: .utf8)
        try "a: [1, 2\n".write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func evaluatesAgainstObjects() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run([
            "cel", "object.spec.topology.workers.machineDeployments.map(md, md.replicas).sum() <= params.maxWorkers"
                + " && object.metadata.labels.env in params.allowedEnvs",
            "--object", "cluster.yaml", "--var", "params=params.json",
        ], directory: dir)
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout == "true : bool\n")

        let upgrade = try CLI.run([
            "cel", "semver(object.spec.topology.version, true).compareTo(semver(oldObject.spec.topology.version, true))",
            "--object", "cluster.yaml", "--old-object", "old.yaml",
        ], directory: dir)
        #expect(upgrade.stdout == "1 : int\n")

        let list = try CLI.run(["cel", "object.spec.topology.workers.machineDeployments.map(md, md.name)", "--object", "cluster.yaml"], directory: dir)
        #expect(list.stdout == "[\"md-0\", \"md-1\"] : list(string)\n")
        let noObject = try CLI.run(["cel", "object == null && [1u, 2.5]"], directory: dir)
        #expect(noObject.exitCode == 1)
        #expect(noObject.stderr.contains("no matching overload for '_&&_'"))
    }

    @Test func reportsErrorsWithLocation() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(at: dir) }
        let syntax = try CLI.run(["cel", "object.spec.(", "--object", "cluster.yaml"], directory: dir)
        #expect(syntax.exitCode == 1)
        #expect(syntax.stderr == "capstan cel: 1:13: Syntax error: mismatched input '(' expecting IDENTIFIER\n | object.spec.(\n | ............^\n")

        let undeclared = try CLI.run(["cel", "params.maxWorkers > 1"], directory: dir)
        #expect(undeclared.exitCode == 1)
        #expect(undeclared.stderr.hasPrefix("capstan cel: 1:1: undeclared reference to 'params' (in container '')"))

        let missingKey = try CLI.run(["cel", "object.spec.paused", "--object", "cluster.yaml"], directory: dir)
        #expect(missingKey.exitCode == 1)
        #expect(missingKey.stderr.hasPrefix("capstan cel: 1:12: no such key: paused"))

        let badFile = try CLI.run(["cel", "object", "--object", "broken.yaml"], directory: dir)
        #expect(badFile.exitCode == 1)
        #expect(badFile.stderr.contains("broken.yaml"))

        let costly = try CLI.run(["cel", "[1,2,3,4,5,6,7,8,9,10].all(x, true)", "--cost-limit", "5"], directory: dir)
        #expect(costly.exitCode == 1)
        #expect(costly.stderr.contains("operation cancelled: actual cost limit exceeded"))
    }

    @Test func jsonLinesProtocol() throws {
        let input = [
            #"{"expr": "x + 1", "bindings": {"x": {"int": "41"}}}"#,
            #"{"expr": "[x, y]", "bindings": {"x": {"uint": "1"}, "y": {"double": "NaN"}}}"#,
            #"{"expr": "{'a': b'\\x00'}", "bindings": {}}"#,
            #"{"expr": "duration('90s') + d", "bindings": {"d": {"duration": "1.5s"}}}"#,
            #"{"expr": "{}.?a"}"#,
            #"{"expr": "1 / 0"}"#,
            #"{"expr": "x + 1", "bindings": {"x": {"int": "41"}}}"#,
            "not json",
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["cel", "--jsonl"], stdin: input)
        #expect(r.stdout == """
            {"value":{"int":"42"}}
            {"value":[{"uint":"1"},{"double":"NaN"}]}
            {"value":{"map":[["a",{"bytes":"AA=="}]]}}
            {"value":{"duration":"91.5s"}}
            {"value":{"optional":[]}}
            {"error":"1:3: division by zero"}
            {"value":{"int":"42"}}
            {"error":"line 8: invalid JSON: line 1, column 1: invalid literal"}

            """)
        #expect(r.exitCode == 1)
    }
}
