import CapstanTesting
import Foundation
import Testing

/// `capstan render` run as a binary (stdout, stderr, exit code).
@Suite struct RenderCommandTests {
    let root = CLI.packageRoot()
    var fixtures: String { "Tests/CapstanTopologyTests/Fixtures" }

    func run(_ args: [String]) throws -> CLI.Result {
        try CLI.run(["render"] + args, directory: root)
    }

    @Test func rendersFilesAndPassesOtherObjectsThrough() throws {
        let r = try run(["\(fixtures)/base/classes.yaml", "\(fixtures)/desired-state/full.yaml"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("apiVersion: cluster.x-k8s.io/v1beta2\nkind: ClusterClass\n"))
        #expect(r.stdout.contains("kind: MachineDeployment\nmetadata:\n  name: c1-big-pool-"))
        #expect(r.stdout.contains("kind: KubeadmControlPlane\nmetadata:\n  name: c1-"))
        #expect(r.stderr.contains("capstan render: 1 topology Cluster, 0 failed"))
        #expect(r.stderr.contains("not live"))
    }

    @Test func outputIsDeterministicAndConvergesWithItselfAsLive() throws {
        let args = ["\(fixtures)/base/classes.yaml", "\(fixtures)/desired-state/full.yaml"]
        let first = try run(args)
        let second = try run(args)
        #expect(first.stdout == second.stdout)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let live = dir.appendingPathComponent("live.yaml")
        try first.stdout.write(to: live, atomically: true, encoding: .utf8)
        let again = try run(args + ["--live", live.path])
        #expect(again.exitCode == 0, "\(again.stderr)")
        #expect(again.stdout == first.stdout)
    }

    @Test func jsonOutputIsAList() throws {
        let r = try run(["\(fixtures)/base/classes.yaml", "\(fixtures)/desired-state/full.yaml", "-o", "json"])
        #expect(r.exitCode == 0)
        let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(list?["kind"] as? String == "List")
        #expect(list?["apiVersion"] as? String == "v1")
        #expect(((list?["items"] as? [Any])?.count ?? 0) > 15)
    }

    @Test func failingClustersRenderNothingAndExitOne() throws {
        let r = try run(["\(fixtures)/base/classes.yaml", "\(fixtures)/errors/classes.yaml", "\(fixtures)/errors/clusters.yaml",
                         "\(fixtures)/desired-state/full.yaml"])
        #expect(r.exitCode == 1)
        // The healthy Cluster still renders; failed ones contribute nothing.
        #expect(r.stdout.contains("name: c1-big-pool-"))
        #expect(!r.stdout.contains("name: invalid-value"))
        let line = r.stderr.split(separator: "\n").first { $0.contains("Cluster fleet-a/invalid-value") }.map(String.init) ?? ""
        #expect(line.hasPrefix("\(fixtures)/errors/clusters.yaml:15:"))
        #expect(line.contains(#"Cluster.cluster.x-k8s.io "invalid-value" is invalid: spec.topology.variables[cpu].value: Invalid value: "99": should be less than or equal to 10"#))
        let ext = r.stderr.split(separator: "\n").first { $0.contains("Cluster fleet-a/external-patch") }.map(String.init) ?? ""
        #expect(ext.contains("generate-patches.lb-extension"))
        #expect(ext.contains("\(fixtures)/errors/classes.yaml:"))
        #expect(r.stderr.contains("capstan render: 9 topology Clusters, 8 failed"))
    }

    /// A hostile template in a fleet (a loop of a billion iterations) fails the patch quickly with the limit
    /// it hit, the patch name and the ClusterClass file; the process neither hangs nor runs out of memory.
    @Test func aRunawayTemplateFailsItsPatchQuickly() throws {
        let source = root.appendingPathComponent("fleet-example")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-runaway-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: source, to: copy)
        let classFile = copy.appendingPathComponent("clusterclasses/docker-quick-start/clusterclass.yaml")
        let text = try String(contentsOf: classFile, encoding: .utf8)
        let hostile = text.replacingOccurrences(
            of: "{{- range .certSANs }}{{ $sans = append $sans . }}{{ end -}}",
            with: "{{- range until 1000000000 }}{{ $sans = append $sans . }}{{ end -}}")
        #expect(hostile != text)
        try hostile.write(to: classFile, atomically: true, encoding: .utf8)
        let start = Date()
        let r = try CLI.run(["render", copy.path, "--cluster", "team-a/dev-1"], directory: root)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(r.exitCode == 1)
        #expect(r.stderr.contains(#"patch "cert-sans""#), "\(r.stderr)")
        #expect(r.stderr.contains("limit"), "\(r.stderr)")
        #expect(r.stderr.contains("clusterclasses/docker-quick-start/clusterclass.yaml:"), "\(r.stderr)")
    }

    @Test func singleCluster() throws {
        let r = try run(["\(fixtures)/base/classes.yaml", "\(fixtures)/errors/clusters.yaml", "\(fixtures)/errors/classes.yaml",
                         "\(fixtures)/desired-state/full.yaml", "--cluster", "fleet-a/c1"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("kind: ClusterClass"))
        #expect(r.stdout.contains("kind: Cluster\n"))
        let missing = try run(["\(fixtures)/base/classes.yaml", "--cluster", "fleet-a/nope"])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("no topology Cluster fleet-a/nope"))
    }

    @Test func unreadableFleetFails() throws {
        let r = try run(["does/not/exist"])
        #expect(r.exitCode == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("nothing rendered"))
    }
}
