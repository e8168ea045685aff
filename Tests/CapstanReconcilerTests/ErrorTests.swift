import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanReconciler
import CapstanTesting
import Testing

@Suite struct ErrorTests {
    static let dev1 = "clusters/team-a/dev-1.yaml"
    static let ci1 = "clusters/team-b/ci-1.yaml"

    @Test func invalidYAMLAppliesTheRestDeletesNothingAndReportsFileAndLine() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  deletion:\n    approved: [team-b/ci-1]\n")
        let h = try await Harness(files: files)
        await h.sync()
        let dev1 = try #require(h.source.currentFiles[Self.dev1])
        // ci-1 leaves Git (approved) in the same revision that breaks dev-1 and bumps prod-1's replicas.
        let prod1Path = "clusters/team-a/prod-1.yaml"
        let prod1 = try #require(h.source.currentFiles[prod1Path]).replacingOccurrences(of: "      replicas: 3\n      metadata:", with: "      replicas: 5\n      metadata:")
        h.source.change([Self.dev1: dev1 + "  broken: [unclosed\n", Self.ci1: nil, prod1Path: prod1])
        let report = await h.sync()
        guard case .stalled = report.outcome else {
            Issue.record("expected stalled, got \(report.outcome)")
            return
        }
        #expect(try await h.get(Kinds.cluster, "team-b", "ci-1") != nil, "nothing is deleted in a revision with errors")
        #expect(report.results.allSatisfy { $0.change != .delete })
        let kcp = try await h.list(Kinds.kcp, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(kcp?.body[path: ["spec", "replicas"]]?.intValue == 5, "the Clusters that rendered are applied")
        #expect(try await h.get(Kinds.cluster, "team-a", "dev-1") != nil, "a Cluster whose file does not parse is left alone")
        let status = try #require(await h.statusFiles()["STATUS.md"])
        #expect(status.contains("clusters/team-a/dev-1.yaml:"), "\(status)")
        #expect(status.contains("## Errors"))
        #expect(status.contains("the revision has errors"))
        // Fixing the file lets the held deletion through.
        h.source.change([Self.dev1: dev1])
        let fixed = await h.sync()
        #expect(fixed.results.contains { $0.key.name == "ci-1" && $0.change == .delete })
    }

    @Test func aClusterThatFailsToRenderIsNotAppliedAndTheOthersAre() async throws {
        let h = try await Harness(files: try Fixture.fleetExample())
        await h.sync()
        let dev1 = try #require(h.source.currentFiles[Self.dev1])
        let prodPath = "clusters/team-a/prod-1.yaml"
        let prod = try #require(h.source.currentFiles[prodPath])
        h.source.change([
            Self.dev1: dev1.replacingOccurrences(of: "value: dev\n", with: "value: qa\n"),
            prodPath: prod.replacingOccurrences(of: "      replicas: 3\n      metadata:", with: "      replicas: 5\n      metadata:"),
        ])
        let report = await h.sync()
        let failed = report.diagnostics.first { $0.object == "Cluster team-a/dev-1" }
        #expect(failed?.location?.file == "clusters/team-a/dev-1.yaml", "\(report.diagnostics)")
        #expect(failed?.message.contains("environment") == true, "\(String(describing: failed))")
        #expect(h.metrics.count("renderErrors") == 1)
        let kcp = try await h.list(Kinds.kcp, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(kcp?.body[path: ["spec", "replicas"]]?.intValue == 5)
        let dev = try await h.get(Kinds.cluster, "team-a", "dev-1")
        let topologyReconciled = dev?.body[path: ["status", "conditions"]]?.listValue?.first { $0["type"]?.stringValue == "TopologyReconciled" }
        #expect(topologyReconciled?["reason"]?.stringValue == "ReconcileFailed")
        let variables = dev?.body[path: ["spec", "topology", "variables"]]?.listValue ?? []
        #expect(variables.contains { $0["name"]?.stringValue == "environment" && $0["value"]?.stringValue == "dev" }, "the last good spec stays")
        let file = try #require(await h.statusFiles()["status/team-a/dev-1.yaml"])
        #expect(file.contains("lastError: \"clusters/team-a/dev-1.yaml:30:16: Cluster team-a/dev-1:"), "\(file)")
    }

    @Test func aDeniedClusterIsNotAppliedAndAWarningIsOnlyReported() async throws {
        let h = try await Harness(files: try Fixture.fleetExample(), localPolicies: try Fixture.policies())
        let first = await h.sync()
        #expect(first.outcome == .synced, "\(first.diagnostics.filter { $0.severity == .error })")
        let status = try #require(await h.statusFiles()["status/team-a/prod-1.yaml"])
        #expect(status.contains("production-health-checks"), "Warn verdicts are reported: \(status)")
        let prodPath = "clusters/team-a/prod-1.yaml"
        let prod = try #require(h.source.currentFiles[prodPath])
        h.source.change([prodPath: prod.replacingOccurrences(of: "      replicas: 3\n      metadata:", with: "      replicas: 4\n      metadata:")
            .replacingOccurrences(of: "          replicas: 3\n", with: "          replicas: 60\n")])
        let report = await h.sync()
        let held = report.results.first { $0.key.kind == "Cluster" && $0.key.name == "prod-1" }
        guard case .held(let reason)? = held?.change else {
            Issue.record("expected prod-1 to be held, got \(String(describing: held)) \(report.diagnostics)")
            return
        }
        #expect(reason.contains("worker-replicas-bounds"), "\(reason)")
        let kcp = try await h.list(Kinds.kcp, namespace: "team-a").first { $0.labels["cluster.x-k8s.io/cluster-name"] == "prod-1" }
        #expect(kcp?.body[path: ["spec", "replicas"]]?.intValue == 3, "nothing of a denied Cluster is applied")
        #expect(h.metrics.count("denials") >= 1)
        let summary = try #require(await h.statusFiles()["STATUS.md"])
        #expect(summary.contains("worker-replicas-bounds"))
    }

    @Test func aBrokenFleetConfigAppliesNothingAndNamesTheLine() async throws {
        var files = try Fixture.fleetExample()
        files["capstan.yaml"] = PruneTests.config("  pollInterval: soon\n  deletion:\n    clusterBudget: -1\n  webhook:\n    secret: hunter2\n")
        let h = try await Harness(files: files)
        let report = await h.sync()
        #expect(try await h.list(Kinds.cluster).isEmpty)
        let messages = report.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("capstan.yaml:6:") && $0.contains("not a duration") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("capstan.yaml:8:") && $0.contains("clusterBudget") })
        #expect(messages.contains { $0.hasPrefix("capstan.yaml:9:") && $0.contains("never read from capstan.yaml") })
        #expect(!messages.joined().contains("hunter2"))
        let status = try #require(await h.statusFiles()["STATUS.md"])
        #expect(!status.contains("hunter2"))
    }
}
