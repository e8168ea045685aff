import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct LoopTests {
    @Test func fullSyncOfTheExampleFleetCreatesEverythingAndClustersBecomeAvailable() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        let first = await h.sync()
        #expect(first.outcome == .synced, "\(first.outcome) \(first.diagnostics)")
        #expect(first.rendered.count == 4)
        let clusters = try await h.list(Kinds.cluster)
        #expect(clusters.map(\.name).sorted() == ["ci-1", "dev-1", "legacy-1", "prod-1"])
        try await h.settle()
        let after = try await h.list(Kinds.cluster)
        for c in after {
            let available = c.body[path: ["status", "conditions"]]?.listValue?.first { $0["type"]?.stringValue == "Available" }
            #expect(available?["status"]?.stringValue == "True", "\(c.name): \(String(describing: available))")
        }
        let second = await h.sync()
        #expect(second.upToDate)
        // ci-1 writes its version without the "v" the Cluster webhook adds: settled, it is not an upgrade.
        let status = await h.statusFiles()
        let row = status["STATUS.md"]?.split(separator: "\n").first { $0.hasPrefix("| `team-b/ci-1` |") } ?? ""
        #expect(row.contains("| v1.31.2 |"), "\(row)")
        #expect(!row.contains("→"), "\(row)")
    }
}
