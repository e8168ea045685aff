import CapstanTesting
import Foundation
import Testing

/// End-to-end tests of `capstan run`: the built binary against a real `git daemon` on loopback, the embedded
/// management cluster on SQLite, the embedded controllers in real time (provisioning shortened to a few hundred
/// milliseconds), status committed back to the `capstan-status` branch, webhooks over HTTP.
@Suite(.serialized) struct RunCommandTests {
    static let root = CLI.packageRoot(from: #filePath)

    /// The example fleet plus a `capstan.yaml` naming it.
    static func fleetFiles(capstanYAML extra: String = "") throws -> [String: String] {
        var files: [String: String] = [:]
        let base = root.appendingPathComponent("fleet-example").path
        for case let rel as String in FileManager.default.enumerator(atPath: base)! where rel.hasSuffix(".yaml") {
            files[rel] = try String(contentsOfFile: base + "/" + rel, encoding: .utf8)
        }
        files["capstan.yaml"] = "apiVersion: capstan.io/v1alpha1\nkind: FleetConfig\nmetadata:\n  name: e2e\nspec:\n  pollInterval: 1h\n" + extra
        return files
    }

    /// The daemon's own settings: short simulated provisioning, status committed at once.
    static let daemonConfig = """
        apiVersion: capstan.io/v1alpha1
        kind: FleetConfig
        metadata:
          name: e2e
        spec:
          status: {interval: 0s}
          management:
            provisioning: {cluster: 100ms, machine: 150ms, node: 100ms, deprovision: 50ms, inPlaceUpdate: 100ms}
        """

    /// A running `capstan run` in its own process group, with helpers to talk to it.
    final class Daemon: Sendable {
        let process: ServerProcess
        let port: Int
        let log: String
        let secret = "e2e-webhook-secret"

        init(fleet: GitFixture, server: GitDaemonServer, scratch: String, extra: [String] = []) async throws {
            try Data(RunCommandTests.daemonConfig.utf8).write(to: URL(fileURLWithPath: scratch + "/daemon.yaml"))
            try Data(secret.utf8).write(to: URL(fileURLWithPath: scratch + "/secret"))
            log = scratch + "/daemon-\(UUID().uuidString.prefix(8)).log"
            process = try ServerProcess.start(CLI.productsDirectory.appendingPathComponent("capstan").path, [
                "run", "--config", scratch + "/daemon.yaml", "--repo", server.url(fleet.name), "--ref", "main",
                "--state-dir", scratch + "/state", "--http-address", "127.0.0.1:0", "--webhook-secret-file", scratch + "/secret",
                "--git-timeout", "20",
            ] + extra, logFile: log)
            let log = self.log
            var found: Int?
            for _ in 0..<600 where found == nil {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("capstan: listening on port ") }) {
                    found = Int(line.dropFirst("capstan: listening on port ".count))
                }
                if found == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            guard let found else { throw ServerError("capstan run did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
            port = found
        }

        var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// `curl` to the daemon: the HTTP status and the body.
        func http(_ path: String, method: String = "GET", body: String? = nil, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
            var args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method]
            for (k, v) in headers { args += ["-H", "\(k): \(v)"] }
            if let body { args += ["--data-binary", body] }
            let url = "http://127.0.0.1:\(port)\(path)", arguments = args
            let r = try await offloaded { try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/curl"), arguments + [url], timeout: 20) }
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
        }

        /// A generic webhook signed with `key` (HMAC-SHA256 through openssl).
        func webhook(signedWith key: String? = nil) async throws -> Int {
            let body = #"{"ref":"refs/heads/main"}"#
            let hmacKey = key ?? secret
            let sig = try await offloaded { try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/openssl"), ["dgst", "-sha256", "-hmac", hmacKey], stdin: body) }
                .stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            return try await http("/webhook/generic", method: "POST", body: body, headers: ["X-Capstan-Signature": "sha256=\(sig)"]).status
        }

        /// SIGTERM, then the exit status (nil if it did not exit within `seconds`).
        func terminate(within seconds: Double = 20) async throws -> Int32? {
            kill(process.pid, SIGTERM)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                var status: Int32 = 0
                if waitpid(process.pid, &status, WNOHANG) == process.pid { return (status >> 8) & 0xff }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    /// Polls until `condition` holds (up to `seconds`), returning whether it did.
    static func eventually(_ seconds: Double = 30, _ condition: () async throws -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return (try? await condition()) == true
    }

    /// A file on the status branch (nil when the branch or file does not exist).
    static func status(_ fleet: GitFixture, _ path: String) async -> String? {
        let bare = fleet.barePath
        return try? await offloaded { try GitCLI.runBlocking(["show", "refs/heads/capstan-status:\(path)"], in: bare) }
    }

    /// `status`, blocking (for failure messages only, which cannot await).
    static func statusNow(_ fleet: GitFixture, _ path: String) -> String {
        (try? GitCLI.runBlocking(["show", "refs/heads/capstan-status:\(path)"], in: fleet.barePath)) ?? ""
    }

    /// True when STATUS.md lists `clusters` Clusters, each applied at `revision` with ready == desired machines.
    static func allReady(_ statusMarkdown: String, clusters: Int, revision: String) -> Bool {
        let rows = statusMarkdown.split(separator: "\n").filter { $0.hasPrefix("| `") }
        guard rows.count == clusters else { return false }
        return rows.allSatisfy { row in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let ready = cells[4].split(separator: "/")
            return ready.count == 2 && ready[0] == ready[1] && ready[1] != "0" && cells[6].hasPrefix("main@sha1:" + revision.prefix(12))
        }
    }

    /// `namespace/name` of every object of a kind in the embedded management cluster (`capstan get -A`, which
    /// opens the store read-only while the daemon runs).
    static func names(_ kind: String, stateDir: String) async throws -> [String] {
        let r = try await offloaded { try CLI.run(["get", kind, "-A", "--state-dir", stateDir]) }
        guard r.exitCode == 0 else { throw ServerError("capstan get \(kind): \(r.stderr)") }
        return r.stdout.split(separator: "\n").dropFirst().compactMap { line in
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            return cells.count >= 2 ? "\(cells[0])/\(cells[1])" : nil
        }
    }

    /// A small Cluster of the example class.
    static func dev2(version: String = "v1.30.6", workers: Int = 1) -> String {
        """
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata:
          name: dev-2
          namespace: team-a
        spec:
          clusterNetwork:
            pods: {cidrBlocks: [192.168.0.0/16]}
            services: {cidrBlocks: [10.128.0.0/12]}
            serviceDomain: cluster.local
          topology:
            classRef: {name: docker-quick-start, namespace: capi-classes}
            version: \(version)
            controlPlane: {replicas: 1}
            workers:
              machineDeployments:
                - {class: default-worker, name: md-0, replicas: \(workers)}
            variables:
              - {name: environment, value: dev}
              - {name: certSANs, value: [dev-2.team-a.internal]}

        """
    }

    @Test(.enabled(if: GitServers.available(GitServers.daemonTools) && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func aFleetLivesThroughPushesAndTheStatusBranchTellsTheStory() async throws {
        let scratch = try TemporaryDirectory(prefix: "capstan-run")
        let fleet = try await GitFixture(files: try Self.fleetFiles())
        let server = try await GitDaemonServer(root: fleet.reposRoot)
        defer { server.stop() }
        let daemon = try await Daemon(fleet: fleet, server: server, scratch: scratch.path)
        defer { daemon.process.stop() }
        let stateDir = scratch.path + "/state"

        // Ready after the first sync; the status branch appears and names the revision.
        #expect(await Self.eventually { try await daemon.http("/readyz").status == 200 }, "\(daemon.output)")
        #expect(try await daemon.http("/healthz").status == 200)
        var head = try await fleet.head()
        #expect(await Self.eventually { await Self.status(fleet, "STATUS.md")?.contains("main@sha1:\(head)") == true }, "\(daemon.output)")
        let message = try await GitCLI.run(["log", "-1", "--format=%B", "refs/heads/capstan-status"], in: fleet.barePath)
        #expect(message.contains("Capstan-Source-Revision: main@sha1:"), "\(message)")

        // A bad signature is refused and polls nothing.
        try await fleet.commit(files: ["clusters/team-a/dev-2.yaml": Self.dev2()], message: "add dev-2")
        head = try await fleet.head()
        #expect(try await daemon.webhook(signedWith: "wrong-secret") == 401)
        try await Task.sleep(for: .milliseconds(1500))
        let before = try await Self.names("clusters", stateDir: stateDir)
        #expect(before.contains("team-a/dev-1") && !before.contains("team-a/dev-2"), "a bad webhook must not poll: \(before)")

        // A new Cluster: created, becomes available, its status file is committed.
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually(45) {
            await Self.status(fleet, "status/team-a/dev-2.yaml")?.contains("available: true") == true
        }, "\(Self.statusNow(fleet, "STATUS.md"))\n\(daemon.output.suffix(3000))")

        // Replicas: the worker pool scales.
        try await fleet.commit(files: ["clusters/team-a/dev-2.yaml": Self.dev2(workers: 3)])
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually(45) {
            let s = await Self.status(fleet, "status/team-a/dev-2.yaml") ?? ""
            return s.contains("desired: 3") && s.contains("ready: 3")
        }, "\(Self.statusNow(fleet, "status/team-a/dev-2.yaml"))")

        // Version: a rolling upgrade, control plane first, then the workers, observed to completion.
        try await fleet.commit(files: ["clusters/team-a/dev-2.yaml": Self.dev2(version: "v1.31.2", workers: 3)])
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually(60) {
            let s = await Self.status(fleet, "status/team-a/dev-2.yaml") ?? ""
            return s.contains("controlPlane: v1.31.2") && !s.contains("v1.30.6") && s.contains("inProgress: false") && s.contains("ready: 3")
        }, "\(Self.statusNow(fleet, "status/team-a/dev-2.yaml"))")

        // Removing the file without approval: held and reported; the Cluster stays.
        try await GitCLI.run(["rm", "-q", "clusters/team-a/dev-2.yaml"], in: fleet.workPath)
        try await fleet.commit(files: [:], message: "remove dev-2")
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually {
            let s = await Self.status(fleet, "STATUS.md") ?? ""
            return s.contains("## Held deletions") && s.contains("dev-2")
        }, "\(Self.statusNow(fleet, "STATUS.md"))")
        #expect(try await Self.names("clusters", stateDir: stateDir).contains("team-a/dev-2"))

        // With approval it is deleted, and its status file goes away.
        try await fleet.commit(files: ["capstan.yaml": try Self.fleetFiles(capstanYAML: "  deletion:\n    approved: [team-a/dev-2]\n")["capstan.yaml"]!])
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually(45) {
            let gone = try await !Self.names("clusters", stateDir: stateDir).contains("team-a/dev-2")
            let file = await Self.status(fleet, "status/team-a/dev-2.yaml")
            return gone && file == nil
        }, "\(Self.statusNow(fleet, "STATUS.md"))")

        // Invalid YAML: the error names file:line; nothing is deleted, not even an approved Cluster whose file broke.
        let legacy = try #require(try Self.fleetFiles()["clusters/team-b/legacy-1.yaml"])
        try await fleet.commit(files: [
            "clusters/team-b/legacy-1.yaml": legacy + "\n  broken: [unclosed\n",
            "capstan.yaml": try Self.fleetFiles(capstanYAML: "  deletion:\n    approved: [team-a/dev-2, team-b/legacy-1]\n")["capstan.yaml"]!,
        ], message: "break legacy-1")
        head = try await fleet.head()
        #expect(try await daemon.webhook() == 202)
        #expect(await Self.eventually {
            let s = await Self.status(fleet, "STATUS.md") ?? ""
            return s.contains("main@sha1:\(head)") && s.contains("clusters/team-b/legacy-1.yaml:")
        }, "\(Self.statusNow(fleet, "STATUS.md"))")
        #expect(try await Self.names("clusters", stateDir: stateDir).contains("team-b/legacy-1"))
        let metrics = try await daemon.http("/metrics").body
        #expect(metrics.contains("capstan_objects_held_total{kind=\"Cluster\"}"), "\(metrics)")
        #expect(metrics.contains("capstan_webhook_requests_total{provider=\"generic\",result=\"unauthorized\"} 1"), "\(metrics)")
        #expect(metrics.contains("capstan_last_applied_revision_info{revision=\"main@sha1:"))

        // SIGTERM: exit 0 after the last status commit; no Secret data anywhere on the status branch.
        #expect(try await daemon.terminate() == 0, "\(daemon.output.suffix(2000))")
        let files = try await GitCLI.run(["ls-tree", "-r", "--name-only", "refs/heads/capstan-status"], in: fleet.barePath)
        #expect(files.split(separator: "\n").allSatisfy { $0 == "STATUS.md" || $0.hasPrefix("status/") || $0.hasPrefix("drift/") }, "\(files)")
        #expect(try await GitCLI.exitStatus(["grep", "-q", "kind: Secret", "refs/heads/capstan-status"], in: fleet.barePath) == 1)
    }

    @Test(.enabled(if: GitServers.available(GitServers.daemonTools)))
    func killedMidApplyItResumesAndConvergesWithoutDuplicates() async throws {
        let scratch = try TemporaryDirectory(prefix: "capstan-run")
        let fleet = try await GitFixture(files: try Self.fleetFiles())
        let server = try await GitDaemonServer(root: fleet.reposRoot)
        defer { server.stop() }
        let stateDir = scratch.path + "/state"

        // The first daemon dies by SIGKILL right after its 25th write, in the middle of the first apply.
        let crashing = try await Daemon(fleet: fleet, server: server, scratch: scratch.path, extra: ["--crash-after-writes", "25"])
        #expect(await Self.eventually { !crashing.process.isRunning }, "\(crashing.output)")
        #expect(!crashing.output.contains("capstan run stopped"), "it died without shutting down: \(crashing.output.suffix(1000))")

        // Another daemon on the same state directory while none runs: it takes over and converges.
        let daemon = try await Daemon(fleet: fleet, server: server, scratch: scratch.path, extra: ["--drift-interval", "1s"])
        defer { daemon.process.stop() }
        // Converged: every Cluster applied at the head revision with all its machines ready (availability
        // waits for minReadySeconds, 30 s on prod-1's memory pool, which this test does not wait for).
        let head = try await fleet.head()
        #expect(await Self.eventually(60) { Self.allReady(await Self.status(fleet, "STATUS.md") ?? "", clusters: 4, revision: head) },
                "\(Self.statusNow(fleet, "STATUS.md"))\n\(daemon.output.suffix(2000))")

        // The periodic drift check (CapstanPlan's, over the SQLite store the controllers keep writing) finds the
        // converged fleet clean: status, defaults and controller fields are not drift.
        #expect(await Self.eventually {
            let s = await Self.status(fleet, "STATUS.md") ?? ""
            return s.contains("## Drift") && s.contains("No drift from") && Self.allReady(s, clusters: 4, revision: head)
        }, "\(Self.statusNow(fleet, "STATUS.md"))")
        #expect(try await daemon.http("/metrics").body.contains("capstan_drift_objects 0"))

        // One daemon per state directory: a second one is refused.
        let url = server.url(fleet.name)
        let second = try await offloaded { try CLI.run(["run", "--repo", url, "--state-dir", stateDir, "--http-address", "127.0.0.1:0"], timeout: 30) }
        #expect(second.exitCode != 0)
        #expect(second.stderr.contains("in use"), "\(second.stderr)")

        // Nothing duplicated: one control plane per Cluster, one MachineDeployment per worker topology.
        #expect(try await Self.names("kubeadmcontrolplanes", stateDir: stateDir).count == 4)
        let mds = try await Self.names("machinedeployments", stateDir: stateDir)
        #expect(mds.count == 5, "\(mds)")
        #expect(try await Self.names("clusters", stateDir: stateDir).count == 4)
        #expect(try await daemon.terminate() == 0)
    }

    @Test(.enabled(if: GitServers.available(GitServers.daemonTools)))
    func statusOnTheSourceBranchIsCommittedOnceAndDoesNotFeedBack() async throws {
        let scratch = try TemporaryDirectory(prefix: "capstan-run")
        let fleet = try await GitFixture(files: try Self.fleetFiles())
        let server = try await GitDaemonServer(root: fleet.reposRoot)
        defer { server.stop() }
        let daemon = try await Daemon(fleet: fleet, server: server, scratch: scratch.path,
                                      extra: ["--status-path", "reports", "--poll-interval", "200ms", "--status-interval", "0s"])
        defer { daemon.process.stop() }
        let bare = fleet.barePath
        func mainFile(_ path: String) async -> String? {
            try? await offloaded { try GitCLI.runBlocking(["show", "refs/heads/main:\(path)"], in: bare) }
        }
        func commits() async throws -> Int {
            Int(try await GitCLI.run(["rev-list", "--count", "refs/heads/main"], in: bare)) ?? 0
        }
        #expect(await Self.eventually { await mainFile("reports/status/team-a/dev-1.yaml")?.contains("available: true") == true },
                "\(daemon.output.suffix(2000))")
        // Status commits name the fleet revision they report on, which stays the fleet's last change: polling the
        // status commit itself (every 200 ms here) must not produce a status commit about it, and so on.
        let settled = await Self.eventually {
            let a = try await commits()
            try await Task.sleep(for: .seconds(2))
            return try await commits() == a
        }
        #expect(settled, "status commits keep coming: \((try? GitCLI.runBlocking(["log", "--oneline", "-8", "refs/heads/main"], in: bare)) ?? "")")
        let status = await mainFile("reports/STATUS.md") ?? ""
        let fleetHead = try await GitCLI.run(["log", "-1", "--format=%H", "refs/heads/main", "--", ".", ":!reports"], in: bare)
        #expect(status.contains("main@sha1:\(fleetHead)"), "\(status)")
        #expect(try await daemon.terminate() == 0)
    }

    @Test func helpHasExamplesAndBadSettingsFailClearly() async throws {
        let help = try await offloaded { try CLI.run(["run", "--help"]) }
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("capstan run --repo"), "\(help.stdout)")
        #expect(help.stdout.contains("--webhook-secret-file") && help.stdout.contains("/readyz"))

        let noRepo = try await offloaded { try CLI.run(["run", "--state-dir", "/nonexistent/capstan"], environment: ["CAPSTAN_REPO": ""]) }
        #expect(noRepo.exitCode != 0)
        #expect(noRepo.stderr.contains("no fleet repository"), "\(noRepo.stderr)")

        let badEnv = try await offloaded { try CLI.run(["run", "--repo", "git://127.0.0.1:1/x.git"], environment: ["CAPSTAN_POLL_INTERVAL": "soon"]) }
        #expect(badEnv.exitCode != 0)
        #expect(badEnv.stderr.contains("CAPSTAN_POLL_INTERVAL=soon"), "\(badEnv.stderr)")
    }
}
