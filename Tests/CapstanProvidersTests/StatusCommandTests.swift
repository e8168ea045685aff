import CapstanModel
import CapstanTesting
import Foundation
import Testing

@Suite("capstan status", .serialized)
struct StatusCommandTests {
    /// A state directory with two clusters brought up by `capstan __sim` (fixed name seed: stable output).
    static func prepare() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var objects = Fixtures.cluster("alpha", cpReplicas: 3, workers: [("md-0", 2)]) + Fixtures.cluster("beta", cpReplicas: 1, workers: [("md-0", 1)])
        // beta's workers wait on a failing infrastructure machine.
        objects = objects.map { o in
            guard o.kind == "MachineDeployment", o.name == "beta-md-0" else { return o }
            var md = o
            md.body[path: ["spec", "template", "metadata", "annotations"]] = ["sim.capstan.io/fail-provisioning": "true"]
            return md
        }
        let manifest = dir.appendingPathComponent("fleet.yaml")
        try objects.map { "---\n" + JSON.serializePretty($0.body) }.joined(separator: "\n").write(to: manifest, atomically: true, encoding: .utf8)
        let r = try CLI.run(["__sim", "--state-dir", dir.appendingPathComponent("state").path, "--apply", manifest.path, "--seed", "7"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        return dir
    }

    @Test("one cluster as a tree, the fleet with a summary, and clear errors")
    func status() throws {
        let dir = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state").path

        let one = try CLI.run(["status", "default/alpha", "--state-dir", state])
        #expect(one.exitCode == 0, "\(one.stderr)")
        try Golden.check(one.stdout, named: "status-alpha.txt")

        let fleet = try CLI.run(["status", "--state-dir", state])
        #expect(fleet.exitCode == 0)
        #expect(fleet.stdout.contains("Cluster/alpha") && fleet.stdout.contains("Cluster/beta"))
        #expect(fleet.stdout.hasSuffix("2 clusters: 1 available, 1 not available\n"))
        let betaMachine = fleet.stdout.split(separator: "\n").first { $0.contains("Machine/beta-md-0") }
        #expect(betaMachine?.contains("InfrastructureReady: Provisioning failed") == true, "\(fleet.stdout)")

        // Works while another process holds the state directory (read-only open, no lock).
        let viaEnv = try CLI.run(["status", "beta"], environment: ["CAPSTAN_STATE_DIR": state])
        #expect(viaEnv.exitCode == 0)
        #expect(viaEnv.stdout.contains("Cluster/beta") && !viaEnv.stdout.contains("Cluster/alpha"))

        let missing = try CLI.run(["status", "--state-dir", dir.appendingPathComponent("nope").path])
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("state directory") && missing.stderr.contains("does not exist"))
        #expect(missing.stdout.isEmpty)

        let unknown = try CLI.run(["status", "default/gamma", "--state-dir", state])
        #expect(unknown.exitCode == 1)
        #expect(unknown.stderr.contains("Cluster default/gamma not found"))

        let bad = try CLI.run(["status", "a/b/c", "--state-dir", state])
        #expect(bad.exitCode != 0)
        #expect(bad.stderr.contains("NAMESPACE/NAME"))
    }
}
