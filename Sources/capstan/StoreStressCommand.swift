import ArgumentParser
import CapstanCluster
import CapstanModel
import CapstanStore
import Foundation

/// `capstan __store-stress` (hidden): writes objects to a state directory and prints `ack <name> <rv>` after
/// each acknowledged write. The kill -9 durability test runs it as a child and kills it mid-stream.
struct StoreStressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__store-stress", abstract: "Write objects and report each acknowledged write (tests).",
        shouldDisplay: false)

    @Option var stateDir: String
    @Option var count = 1_000_000

    func run() async throws {
        let store = try await ClusterStore.open(stateDirectory: stateDir)
        let cluster = store.cluster
        for i in 0..<count {
            var m = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "stress", name: "m-\(i)")
            m.labels = ["stress.capstan.io/batch": "b\(i % 10)", "cluster.x-k8s.io/cluster-name": "c\(i % 7)"]
            m.spec = ["clusterName": .string("c\(i % 7)"), "version": "v1.30.0", "bootstrap": ["dataSecretName": .string("m-\(i)-bootstrap")]]
            let created = try await cluster.apply(m, fieldManager: "stress")
            report("ack \(created.name) \(created.resourceVersion ?? "")")
            if i % 3 == 2 {
                // Also exercise updates of earlier objects.
                var earlier = m
                earlier.name = "m-\(i - 1)"
                earlier.spec?["version"] = .string("v1.31.\(i)")
                let updated = try await cluster.apply(earlier, fieldManager: "stress")
                report("ack \(updated.name) \(updated.resourceVersion ?? "")")
            }
        }
        report("done")
    }

    /// Writes a line straight to the pipe (no stdio buffering), so the parent sees every acknowledgement.
    func report(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
