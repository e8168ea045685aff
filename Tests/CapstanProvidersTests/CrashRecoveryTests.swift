import CapstanCluster
import CapstanModel
@testable import CapstanProviders
import CapstanStore
import CapstanTesting
import Foundation
import Testing

/// Runs the controllers in a child process (`capstan __sim`) on a SQLite state directory, kills it with
/// SIGKILL in the middle of a rollout, restarts it, and checks that the rollout finishes with no duplicate and
/// no orphaned machine.
@Suite("kill -9 during a rollout", .serialized)
struct CrashRecoveryTests {
    static func manifest(_ objects: [KubeObject], in dir: URL, named name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try objects.map { "---\n" + JSON.serializePretty($0.body) }.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func version(_ version: String, template: String) -> [KubeObject] {
        [Fixtures.controlPlane("c1-cp", cluster: "c1", replicas: 1, version: version, template: "c1-cp"),
         Fixtures.machineTemplate(template, cluster: "c1"),
         Fixtures.machineDeployment("c1-md-0", cluster: "c1", replicas: 3, version: version, infraTemplate: template)]
    }

    @Test("SIGKILL between writes (several points) and an external SIGKILL; restarts finish the rollout")
    func killAndRestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state").path
        let v1 = try Self.manifest(Fixtures.cluster("c1", version: "v1.33.0", cpReplicas: 1, workers: [("md-0", 3)]), in: dir, named: "v1.yaml")
        let v2 = try Self.manifest(Self.version("v1.34.0", template: "c1-md-v2"), in: dir, named: "v2.yaml")
        let v3 = try Self.manifest(Self.version("v1.35.0", template: "c1-md-v3"), in: dir, named: "v3.yaml")

        let up = try CLI.run(["__sim", "--state-dir", state, "--apply", v1, "--seed", "1"])
        #expect(up.exitCode == 0, "\(up.stderr)")
        #expect(up.stdout.contains("quiescent=true"))
        try await Self.checkConsistent(state, version: "v1.33.0")

        // Kill between two writes at several points of the rollout, restarting each time.
        var kills = 0
        var args = ["__sim", "--state-dir", state, "--apply", v2]
        for point in [23, 41, 17, 59, 31, 47] {
            let r = try CLI.run(args + ["--crash-after-writes", String(point)])
            if r.exitCode == SIGKILL { kills += 1 } else { #expect(r.exitCode == 0, "\(r.stderr)") }
            args = ["__sim", "--state-dir", state]
        }
        #expect(kills >= 4, "the rollout finished before the crash points")
        let finish = try CLI.run(["__sim", "--state-dir", state])
        #expect(finish.exitCode == 0, "\(finish.stderr)")
        try await Self.checkConsistent(state, version: "v1.34.0")

        // An external kill -9 while a rollout is visibly in progress.
        let killed = try Self.runAndKillWhenRolling(["__sim", "--state-dir", state, "--apply", v3, "--step-delay-ms", "3", "--announce-rollout"])
        #expect(killed, "the child was not killed mid-rollout")
        let again = try CLI.run(["__sim", "--state-dir", state])
        #expect(again.exitCode == 0, "\(again.stderr)")
        try await Self.checkConsistent(state, version: "v1.35.0")
    }

    /// The rollout is complete and nothing is duplicated or orphaned.
    static func checkConsistent(_ state: String, version: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let store = try await ClusterStore.open(stateDirectory: state, readOnly: true)
        defer { try? store.close() }
        let c = store.cluster
        let machines = try await c.list(K.machine).items
        let uids = Set(try await c.list(K.machine).items.compactMap(\.uid))
        let sets = try await c.list(K.ms).items
        let owners = Set(sets.compactMap(\.uid) + (try await c.list(K.kcp).items.compactMap(\.uid)))
        let workers = machines.filter { $0.labels["cluster.x-k8s.io/deployment-name"] == "c1-md-0" }
        #expect(workers.count == 3, "worker machines: \(workers.map(\.name))", sourceLocation: sourceLocation)
        #expect(machines.count == 4, "machines: \(machines.map(\.name))", sourceLocation: sourceLocation)
        #expect(machines.allSatisfy { $0.str("spec", "version") == version && !$0.isDeleting }, sourceLocation: sourceLocation)
        #expect(machines.allSatisfy { Conditions.isTrue($0, "Available") }, sourceLocation: sourceLocation)
        #expect(machines.allSatisfy { $0.controllerRef.map { owners.contains($0.uid) } ?? false }, "machine without a live owner", sourceLocation: sourceLocation)
        #expect(sets.count == 1, "MachineSets: \(sets.map(\.name))", sourceLocation: sourceLocation)
        for gvk in [K.dockerMachine, K.kubeadmConfig, K.node] {
            let objs = try await c.list(gvk).items
            #expect(objs.count == machines.count, "\(gvk.kind): \(objs.map(\.name)) vs machines \(machines.map(\.name))", sourceLocation: sourceLocation)
            if gvk != K.node {
                #expect(objs.allSatisfy { $0.controllerRef.map { uids.contains($0.uid) } ?? false }, "orphaned \(gvk.kind)", sourceLocation: sourceLocation)
            }
        }
        let bootstrapSecrets = try await c.list(K.secret).items.filter { $0.ownerReferences.contains { $0.kind == "KubeadmConfig" } }
        #expect(bootstrapSecrets.count == machines.count, sourceLocation: sourceLocation)
    }

    /// Starts the child, waits for ROLLOUT-IN-PROGRESS on its stdout, sends SIGKILL; true when it died of it.
    static func runAndKillWhenRolling(_ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = CLI.productsDirectory.appendingPathComponent("capstan")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if seen.contains("ROLLOUT-IN-PROGRESS") {
                kill(process.processIdentifier, SIGKILL)
                break
            }
        }
        if process.isRunning && !seen.contains("ROLLOUT-IN-PROGRESS") { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return seen.contains("ROLLOUT-IN-PROGRESS") && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }
}
