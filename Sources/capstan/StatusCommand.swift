import ArgumentParser
import CapstanCluster
import CapstanProviders
import CapstanStore
import Foundation

/// `capstan status [NAMESPACE/NAME] [--state-dir DIR]`: the fleet (or one cluster) as trees, read-only.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show clusters of the embedded management cluster as trees (like `clusterctl describe cluster`).",
        discussion: """
            Reads the state directory read-only (it works while `capstan run` holds it). Each cluster is shown as \
            Cluster → infrastructure → control plane → machines, and workers → MachineDeployments → MachineSets → \
            machines, with versions, ready/desired replicas, available and up-to-date counts, and the reason an \
            object is not available or ready.

            Examples:
              capstan status                       # every cluster in .state (or $CAPSTAN_STATE_DIR)
              capstan status team-a/prod-1 --state-dir .capstan/state
            """)

    @Argument(help: "One cluster, as NAMESPACE/NAME (or NAME in namespace `default`); the whole fleet when omitted.")
    var cluster: String?

    @Option(help: "State directory holding cluster.sqlite (default: $CAPSTAN_STATE_DIR or .state).")
    var stateDir: String?

    func run() async throws {
        var namespace: String?, name: String?
        if let cluster {
            let parts = cluster.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
                throw ValidationError("expected NAMESPACE/NAME, got \"\(cluster)\"")
            }
            (namespace, name) = parts.count == 2 ? (parts[0], parts[1]) : ("default", parts[0])
        }
        let stateDir = self.stateDir ?? ProcessInfo.processInfo.environment["CAPSTAN_STATE_DIR"] ?? ".state"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: stateDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            fail("state directory \(stateDir) does not exist; start `capstan run` to create the embedded management cluster, or pass --state-dir")
        }
        let store: ClusterStore
        do {
            store = try await ClusterStore.open(stateDirectory: stateDir, readOnly: true)
        } catch let e as StoreError {
            fail("\(e)")
        }
        defer { try? store.close() }
        let snapshot = try await FleetSnapshot.read(from: store.cluster, namespace: namespace, name: name)
        if snapshot.clusters.isEmpty {
            if let namespace, let name { fail("Cluster \(namespace)/\(name) not found in \(stateDir)") }
            print("No clusters in \(stateDir).")
            return
        }
        print(FleetStatusReport.render(snapshot), terminator: "")
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
