import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct PruneTests {
    static let ci1 = "clusters/team-b/ci-1.yaml"
    static let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: platform-settings
          namespace: team-a
        data:
          tier: gold
        """

    static func config(_ spec: String) -> String {
        """
        apiVersion: capstan.io/v1alpha1
        kind: FleetConfig
        metadata:
          name: example
        spec:
        \(spec)
        """
    }

    @Test func aClusterRemovedWithoutApprovalIsHeldAndReported() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        h.source.change([Self.ci1: nil])
        let report = await h.sync()
        #expect(try await h.get(Kinds.cluster, "team-b", "ci-1") != nil)
        let held = report.results.first { $0.key.name == "ci-1" && $0.key.kind == "Cluster" }
        guard case .held(let reason)? = held?.change else {
            Issue.record("expected the deletion to be held, got \(String(describing: held))")
            return
        }
        #expect(reason.contains("not approved"))
        #expect(h.metrics.count("held.Cluster") == 1)
        let files = await h.statusFiles()
        #expect(files["STATUS.md"]?.contains("deletion not approved") == true)
        #expect(files["status/team-b/ci-1.yaml"]?.contains("removedFromGit: true") == true)
        // Still held on the next revision.
        h.source.change(["README.md": "x"])
        let again = await h.sync()
        #expect(again.results.contains { $0.key.name == "ci-1" && $0.change != .delete })
    }

    @Test func anApprovedClusterRemovalDeletesItAndItsTopology() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = Self.config("""
              deletion:
                approved: [team-b/ci-1]
            """)
        let h = try await Harness(files: files)
        await h.sync()
        try await h.settle()
        #expect(try await h.list(Kinds.machine, namespace: "team-b").contains { $0.labels["cluster.x-k8s.io/cluster-name"] == "ci-1" })
        h.source.change([Self.ci1: nil])
        let report = await h.sync()
        #expect(report.results.contains { $0.key.name == "ci-1" && $0.key.kind == "Cluster" && $0.change == .delete })
        try await h.settle()
        #expect(try await h.get(Kinds.cluster, "team-b", "ci-1") == nil)
        #expect(!(try await h.list(Kinds.machine, namespace: "team-b")).contains { $0.labels["cluster.x-k8s.io/cluster-name"] == "ci-1" })
        #expect(try await h.get(Kinds.cluster, "team-b", "legacy-1") != nil)
        #expect(await h.statusFiles()["status/team-b/ci-1.yaml"] == nil)
    }

    @Test func theDeleteAnnotationApprovesAndTheBudgetLimitsDeletionsPerRevision() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        var changes: [String: String?] = [:]
        for path in ["clusters/team-a/dev-1.yaml", "clusters/team-b/ci-1.yaml"] {
            let text = try #require(h.source.currentFiles[path])
            let marked = text.replacingOccurrences(of: "\nmetadata:\n", with: "\nmetadata:\n  annotations:\n    capstan.io/delete: \"true\"\n")
            #expect(marked != text)
            changes[path] = marked
        }
        h.source.change(changes)
        let first = await h.sync()
        let deleted = first.results.filter { $0.key.kind == "Cluster" && $0.change == .delete }
        let held = first.results.filter { if case .held(let r) = $0.change { $0.key.kind == "Cluster" && r.contains("budget") } else { false } }
        #expect(deleted.count == 1 && held.count == 1, "\(first.results.filter { $0.key.kind == "Cluster" })")
        h.source.change(["README.md": "next"])
        let second = await h.sync()
        #expect(second.results.filter { $0.key.kind == "Cluster" && $0.change == .delete }.count == 1)
    }

    @Test func objectsThatLeaveGitArePrunedUnlessPruningIsOff() async throws {
        var files = try Fixture.fleetExample()
        files["extra/settings.yaml"] = Self.configMap
        files["capstan.yaml"] = Self.config("  pollInterval: 1m\n")
        let h = try await Harness(files: files)
        await h.sync()
        #expect(try await h.get(Kinds.configMap, "team-a", "platform-settings")?.labels["capstan.io/fleet"] == "example")
        h.source.change(["extra/settings.yaml": nil, "capstan.yaml": Self.config("  deletion:\n    prune: false\n")])
        let held = await h.sync()
        #expect(try await h.get(Kinds.configMap, "team-a", "platform-settings") != nil)
        #expect(held.results.contains { if case .held(let r) = $0.change { r.contains("pruning is off") } else { false } })
        h.source.change(["capstan.yaml": Self.config("  deletion:\n    prune: true\n")])
        let pruned = await h.sync()
        #expect(pruned.results.contains { $0.key.name == "platform-settings" && $0.change == .delete })
        #expect(try await h.get(Kinds.configMap, "team-a", "platform-settings") == nil)
        #expect(h.metrics.count("pruned.ConfigMap") == 1)
    }

    @Test func aNamespaceIsKeptWhileItHoldsWhatCapstanManages() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        let ns = try #require(h.source.currentFiles["namespaces/namespaces.yaml"])
        let withoutTeamB = ns.components(separatedBy: "---").filter { !$0.contains("name: team-b") }.joined(separator: "---")
        h.source.change(["namespaces/namespaces.yaml": withoutTeamB])
        let report = await h.sync()
        let held = report.results.first { $0.key.kind == "Namespace" && $0.key.name == "team-b" }
        guard case .held(let reason)? = held?.change else {
            Issue.record("expected the namespace to be held, got \(String(describing: held))")
            return
        }
        #expect(reason.contains("namespace still holds"))
        #expect(try await h.get(Kinds.namespace, "", "team-b") != nil)
    }
}
