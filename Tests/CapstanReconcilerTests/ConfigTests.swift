import CapstanFleet
import CapstanModel
import CapstanReconciler
import Testing

@Suite struct ConfigTests {
    func parse(_ text: String) throws -> (FleetConfigLayer?, [Diagnostic]) {
        let snapshot = FleetLoader().load(tree: MemoryTree(texts: ["capstan.yaml": text]))
        let (object, problems) = FleetConfigLayer.find(in: snapshot)
        let o = try #require(object, "\(problems)")
        return FleetConfigLayer.parse(o)
    }

    @Test(arguments: [("90s", 90_000), ("1m30s", 90_000), ("500ms", 500), ("2h", 7_200_000), ("1.5m", 90_000), ("0", 0)])
    func durations(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "5", "-1s", "1x", "s"])
    func notDurations(text: String) { #expect(DurationText.parse(text) == nil) }

    @Test func formatsDurationsShortest() {
        #expect(DurationText.format(.seconds(90)) == "1m30s")
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.seconds(3600)) == "1h")
    }

    @Test func readsEverySetting() throws {
        let (layer, problems) = try parse("""
            apiVersion: capstan.io/v1alpha1
            kind: FleetConfig
            metadata:
              name: platform
            spec:
              source: {repository: https://git.example.com/fleet.git, ref: main, path: fleet}
              pollInterval: 30s
              pollJitter: 20%
              status: {path: status, interval: 5s}
              management: {stateDir: /var/lib/capstan, provisioning: {machine: 2s, node: 1s}}
              deletion: {prune: false, clusterBudget: 3, approved: [team-a/old]}
              policies: [policies]
              drift: {interval: 10m, mode: correct}
              http: {address: "0.0.0.0:9090"}
              force: true
            """)
        #expect(problems.isEmpty, "\(problems)")
        var config = FleetConfig()
        try #require(layer).apply(to: &config)
        #expect(config.fleetName == "platform")
        #expect(config.pollInterval == .seconds(30))
        #expect(config.pollJitter == 0.2)
        #expect(config.status.target == .path("status"))
        #expect(config.status.interval == .seconds(5))
        #expect(config.management.provisioning == ["machine": .seconds(2), "node": .seconds(1)])
        #expect(config.deletion.prune == false && config.deletion.clusterBudget == 3)
        #expect(config.deletion.approved == [ClusterID(namespace: "team-a", name: "old")])
        #expect(config.drift.interval == .seconds(600) && config.drift.mode == .correct)
        #expect(config.httpAddress == "0.0.0.0:9090")
        #expect(config.force)
        #expect(config.source.repository == "https://git.example.com/fleet.git")
    }

    @Test func laterLayersWinAndTheFleetCannotMoveTheDaemon() throws {
        let (fleet, _) = try parse("""
            apiVersion: capstan.io/v1alpha1
            kind: FleetConfig
            metadata: {name: platform}
            spec: {pollInterval: 30s, http: {address: "0.0.0.0:1"}, management: {stateDir: /elsewhere}}
            """)
        var flags = FleetConfigLayer()
        flags.pollInterval = .seconds(5)
        let config = FleetConfigLayer.resolve([(try #require(fleet), .fleetOnly), (flags, .everything)])
        #expect(config.pollInterval == .seconds(5))
        #expect(config.httpAddress == "127.0.0.1:8080")
        #expect(config.management.stateDirectory == nil)
        #expect(config.fleetName == "platform")
    }

    @Test func problemsNameTheLine() throws {
        let (layer, problems) = try parse("""
            apiVersion: capstan.io/v1alpha1
            kind: FleetConfig
            metadata:
              name: Not_A_Label
            spec:
              pollInterval: 30
              status: {branch: reports, path: reports}
              deletion:
                approved: [just-a-name]
              drift: {mode: fix}
              surprise: true
            """)
        #expect(layer == nil)
        let lines = problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:4:") && $0.contains("label") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:6:") && $0.contains("need a unit") })
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:7:") && $0.contains("not both") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:9:") && $0.contains("namespace/name") })
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:10:") && $0.contains("report or correct") })
        #expect(lines.contains { $0.hasPrefix("capstan.yaml:11:") && $0.contains("unknown field \"surprise\"") })
    }

    @Test func aFleetConfigElsewhereIsAnError() {
        let snapshot = FleetLoader().load(tree: MemoryTree(texts: [
            "team/capstan.yaml": "apiVersion: capstan.io/v1alpha1\nkind: FleetConfig\nmetadata: {name: x}\n",
        ]))
        let (object, problems) = FleetConfigLayer.find(in: snapshot)
        #expect(object == nil)
        #expect(problems.first?.description.hasPrefix("team/capstan.yaml:1:1:") == true)
    }

    @Test func theEnvironmentIsALayerAndBadValuesNameTheVariable() {
        let (layer, problems) = FleetConfigLayer.fromEnvironment([
            "CAPSTAN_REPO": "git://example/fleet.git", "CAPSTAN_REF": "main", "CAPSTAN_STATE_DIR": "/var/lib/capstan",
            "CAPSTAN_POLL_INTERVAL": "15s", "CAPSTAN_STATUS_PATH": "reports", "CAPSTAN_DRIFT_MODE": "correct",
            "CAPSTAN_DRIFT_INTERVAL": "5m", "CAPSTAN_CLUSTER_BUDGET": "2", "CAPSTAN_HTTP_ADDRESS": ":9090", "CAPSTAN_PATH": "",
        ])
        #expect(problems.isEmpty, "\(problems)")
        let config = FleetConfigLayer.resolve([(layer, .everything)])
        #expect(config.source.repository == "git://example/fleet.git" && config.source.ref == "main" && config.source.path == nil)
        #expect(config.management.stateDirectory == "/var/lib/capstan")
        #expect(config.pollInterval == .seconds(15))
        #expect(config.status.target == .path("reports"))
        #expect(config.drift.mode == .correct && config.drift.interval == .seconds(300))
        #expect(config.deletion.clusterBudget == 2)
        #expect(config.httpAddress == ":9090")

        let (_, bad) = FleetConfigLayer.fromEnvironment([
            "CAPSTAN_POLL_INTERVAL": "soon", "CAPSTAN_DRIFT_MODE": "fix", "CAPSTAN_CLUSTER_BUDGET": "-1",
            "CAPSTAN_STATUS_BRANCH": "b", "CAPSTAN_STATUS_PATH": "p",
        ])
        #expect(bad.count == 4, "\(bad)")
        #expect(bad.contains { $0.hasPrefix("CAPSTAN_POLL_INTERVAL=soon") })
        #expect(bad.contains { $0.hasPrefix("CAPSTAN_DRIFT_MODE=fix") })
        #expect(bad.contains { $0.hasPrefix("CAPSTAN_CLUSTER_BUDGET=-1") })
        #expect(bad.contains { $0.contains("not both") })
    }
}
