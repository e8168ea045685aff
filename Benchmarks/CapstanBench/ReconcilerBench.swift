import ArgumentParser
import CapstanCluster
import CapstanFleet
import CapstanGit
import CapstanModel
import CapstanReconciler
import CapstanStore
import Foundation
import Logging
import Synchronization

/// `capstan-bench reconciler`: the daemon's loop on large fleets (fleet-example's docker-quick-start Clusters
/// multiplied, as in `capstan-bench plan`), against the embedded SQLite store:
/// 1. a full sync of N Clusters into an empty management cluster;
/// 2. a poll cycle when nothing changed, with N and with 10 × N Clusters (the source reports the same revision);
/// 3. over a real `git daemon` on loopback with the libgit2 source: the same no-change cycle (a ref listing),
///    and push-to-applied for a one-Cluster change (push, then the poll a verified webhook asks for).
struct ReconcilerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconciler", abstract: "Full sync, no-change polls and push-to-applied latency of the loop.")

    @Option(help: "Number of Clusters.") var clusters = 1_000
    @Option(help: "Also measure the no-change cycle with this many Clusters (0: skip).") var largeClusters = 10_000
    @Option(help: "The fleet-example directory.") var fleet = "fleet-example"
    @Option(help: "Repetitions of the short measurements (the median is shown).") var runs = 9

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-recbench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error

        // 1 + 2: in-process source, SQLite store.
        for (index, n) in [clusters, largeClusters].enumerated() where n > 0 {
            let files = try PlanBench.files(fleet: fleet, clusters: n)
            let source = BenchSource(files: files)
            let store = try await ClusterStore.open(stateDirectory: scratch + "/state-\(index)", durability: .processCrash)
            defer { try? store.close() }
            let reconciler = FleetReconciler(environment: ReconcilerEnvironment(
                source: source, cluster: store.cluster, clock: SystemClock(), logger: logger, concurrency: 4))
            let start = ContinuousClock.now
            let report = await reconciler.sync(.interval)
            let full = ContinuousClock.now - start
            guard case .synced = report.outcome else { throw ValidationError("full sync ended \(report.outcome)") }
            print("full sync from empty: \(n) Clusters, \(report.writes) writes, \(report.results.count) objects: \(seconds(full)) s (\(String(format: "%.0f", Double(n) / full.seconds)) Clusters/s)")
            var idle: [Duration] = []
            for _ in 0..<runs {
                let t0 = ContinuousClock.now
                let r = await reconciler.sync(.interval)
                idle.append(ContinuousClock.now - t0)
                precondition(r.upToDate, "an unchanged revision must be a no-op")
            }
            print("  no-change poll cycle (\(n) Clusters, in-process source): median \(micro(median(idle))) µs")
        }

        // 3: the libgit2 source over git daemon.
        let repos = scratch + "/repos", bare = repos + "/fleet.git", work = scratch + "/work"
        try FileManager.default.createDirectory(atPath: repos, withIntermediateDirectories: true)
        let files = try PlanBench.files(fleet: fleet, clusters: clusters)
        for (path, text) in files {
            let url = URL(fileURLWithPath: work + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        try Shell.git(["init", "-q", "-b", "main", work])
        try Shell.git(["add", "-A"], in: work)
        try Shell.git(["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "fleet"], in: work)
        try Shell.git(["clone", "-q", "--bare", work, bare])
        let daemon = try GitDaemonProcess(root: repos)
        defer { daemon.stop() }
        let worker = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("capstan").path
        guard FileManager.default.isExecutableFile(atPath: worker) else { throw ValidationError("build capstan next to capstan-bench first") }
        let remote = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(daemon.port)/fleet.git"), proxy: .none, timeout: 120, workerExecutable: worker)
        let source = try GitFleetSource(remote: remote, ref: .branch("main"), stateDirectory: scratch + "/git-state")
        let store = try await ClusterStore.open(stateDirectory: scratch + "/git-state")
        defer { try? store.close() }
        let reconciler = FleetReconciler(environment: ReconcilerEnvironment(
            source: source, cluster: store.cluster, clock: SystemClock(), logger: logger, concurrency: 4))
        let first = await reconciler.sync(.interval)
        guard case .synced = first.outcome else { throw ValidationError("first sync over git ended \(first.outcome)") }
        var idle: [Duration] = []
        for _ in 0..<runs {
            let t0 = ContinuousClock.now
            let r = await reconciler.sync(.interval)
            idle.append(ContinuousClock.now - t0)
            precondition(r.upToDate)
        }
        print("git daemon, \(clusters) Clusters: no-change poll cycle (ref listing in a git worker + nothing): median \(millis(median(idle))) ms")

        var latencies: [Duration] = [], pushes: [Duration] = []
        let path = "clusters/gen/c-0.yaml"
        for run in 0..<runs {
            let text = files[path]!.replacingOccurrences(of: "certSANs", with: "certSANs") + "# run \(run)\n"
            let changed = run % 2 == 0 ? text.replacingOccurrences(of: "replicas: 1\n    variables", with: "replicas: 2\n    variables") : text
            try changed.write(toFile: work + "/" + path, atomically: false, encoding: .utf8)
            try Shell.git(["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-am", "run \(run)"], in: work)
            let t0 = ContinuousClock.now
            try Shell.git(["push", "-q", bare, "HEAD:refs/heads/main"], in: work)
            let pushed = ContinuousClock.now
            let r = await reconciler.sync(.webhook(provider: "generic"))  // what a verified webhook triggers
            latencies.append(ContinuousClock.now - t0)
            pushes.append(pushed - t0)
            precondition(r.rendered.count == 1, "one Cluster changed: \(r.rendered)")
        }
        print("git daemon, \(clusters) Clusters: push-to-applied for a one-Cluster change: median \(millis(median(latencies))) ms (of which git push \(millis(median(pushes))) ms)")
    }

    func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
    func seconds(_ d: Duration) -> String { String(format: "%.2f", d.seconds) }
    func millis(_ d: Duration) -> String { String(format: "%.1f", d.seconds * 1000) }
    func micro(_ d: Duration) -> String { String(format: "%.0f", d.seconds * 1_000_000) }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A fixed revision of a file map (the bench's in-process source).
final class BenchSource: RevisionSource {
    let tree: MemoryTree
    init(files: [String: String]) { tree = MemoryTree(texts: files) }
    func poll() async throws -> Revision { Revision(id: "bench", ref: "refs/heads/main") }
    func tree(at revision: Revision) throws -> any FileTree { tree }
}
