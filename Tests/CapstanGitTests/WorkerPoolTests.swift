import CapstanFleet
@testable import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// Persistent workers: reused across operations, replaced after a deadline, a cancellation or a crash, ended when
/// idle or when their parent exits, never shared by two operations at once, and carrying nothing (credentials,
/// TLS trust) from one request to the next. Each test watches its own `WorkerPool`.
@Suite(.serialized) struct WorkerPoolTests {
    @Test func pollsReuseOneWorker() async throws {
        let served = try await Served(.git)
        let pool = WorkerPool(idleTimeout: 30)
        let source = try served.source(remote: served.remote.using(pool))
        let first = try await source.pollDetailed()
        #expect(first.fetched)
        let pids = pool.workerPIDs
        #expect(pids.count == 1)
        #expect(try await source.pollDetailed().fetched == false)
        let head = try await served.fixture.commit(files: ["clusters/gamma.yaml": "kind: Cluster\n"])
        let changed = try await source.pollDetailed()
        #expect(changed.fetched && changed.revision.id == head)
        #expect(try text(source.tree(at: changed.revision), "clusters/gamma.yaml") == "kind: Cluster\n")
        // A status push goes through the same worker too.
        let writer = try GitStatusWriter(remote: served.remote.using(pool), stateDirectory: served.state.path,
                                         branch: "capstan-status", directory: "status",
                                         author: .init(name: "Capstan Test", email: "capstan@test"))
        let written = try await writer.write(files: ["a.yaml": Array("ok\n".utf8)], message: "status", source: changed.revision)
        guard case .committed = written else { Issue.record("expected a commit, got \(written)"); return }
        #expect(pool.workerPIDs == pids, "every operation ran in worker \(pids)")
        #expect(isAlive(pids[0]))
        #expect(!holdsSocket(pids[0]), "an idle worker holds no connection, and none inherited from this process")
    }

    @Test func blackHoleTimesOutAndTheNextPollGetsAFreshWorker() async throws {
        let served = try await Served(.git)
        let hole = try BlackHoleServer()
        let pool = WorkerPool(idleTimeout: 30)
        let good = try served.source(remote: served.remote.using(pool))
        let revision = try await good.poll()
        let first = try #require(pool.workerPIDs.first)

        let stuck = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(hole.port)/fleet.git"), proxy: .none, timeout: 1.5,
                              workerExecutable: workerExecutable).using(pool)
        let start = ContinuousClock.now
        let error = await sourceError { _ = try await served.source(remote: stuck).poll() }
        #expect(error?.reason == .timeout, "\(String(describing: error))")
        let killed = stoppedAfter(error) ?? 0
        #expect(killed >= 1.5 && killed < 3, "worker killed after \(killed) s")
        #expect(ContinuousClock.now - start < .seconds(1.5) + schedulingSlack)
        #expect(!isAlive(first), "the timed-out worker \(first) was killed")

        #expect(try await good.poll() == revision)
        let second = try #require(pool.workerPIDs.first)
        #expect(second != first)
        #expect(pool.workerPIDs == [second])
        hole.stop()
    }

    @Test func workerKilledBetweenOperationsIsReplacedTransparently() async throws {
        let served = try await Served(.git)
        let pool = WorkerPool(idleTimeout: 30)
        let source = try served.source(remote: served.remote.using(pool))
        let revision = try await source.poll()
        let first = try #require(pool.workerPIDs.first)
        kill(first, SIGKILL)
        // No waiting: whether the slot has noticed the death yet or not, the poll succeeds on a new worker.
        #expect(try await source.poll() == revision)
        let second = try #require(pool.workerPIDs.first)
        #expect(second != first)
        #expect(!isAlive(first))
    }

    @Test func workerKilledDuringAnOperationIsACrashAndTheNextPollRecovers() async throws {
        let served = try await Served(.git)
        let hole = try BlackHoleServer()
        let pool = WorkerPool(idleTimeout: 30)
        let good = try served.source(remote: served.remote.using(pool))
        let revision = try await good.poll()
        let stuck = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(hole.port)/fleet.git"), proxy: .none, timeout: 60,
                              workerExecutable: workerExecutable).using(pool)
        let task = Task { try await served.source(remote: stuck).poll() }
        let worker = try await connectedWorker(pool)
        kill(worker, SIGKILL)
        let result = await task.result
        guard case .failure(let error as SourceError) = result else {
            Issue.record("expected a SourceError, got \(result)")
            return
        }
        #expect(error.reason == .network)
        #expect(error.message.contains("crashed (signal 9)"), "\(error)")
        #expect(try await good.poll() == revision)
        #expect(pool.workerPIDs.count == 1 && !pool.workerPIDs.contains(worker))
        hole.stop()
    }

    @Test func cancellingKillsTheWorkerAndTheNextPollRecovers() async throws {
        let served = try await Served(.git)
        let hole = try BlackHoleServer()
        let pool = WorkerPool(idleTimeout: 30)
        let stuck = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(hole.port)/fleet.git"), proxy: .none, timeout: 60,
                              workerExecutable: workerExecutable).using(pool)
        let task = Task { try await served.source(remote: stuck).poll() }
        let worker = try await connectedWorker(pool)
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - start < schedulingSlack)
        guard case .failure(let error as SourceError) = result else {
            Issue.record("expected a SourceError, got \(result)")
            return
        }
        #expect(error.reason == .timeout)
        #expect(error.message.contains("cancelled"), "\(error)")
        #expect(!isAlive(worker))
        let revision = try await served.source(remote: served.remote.using(pool)).poll()
        #expect(revision.id == (try await served.fixture.head()))
        #expect(pool.workerPIDs.count == 1 && !pool.workerPIDs.contains(worker))
        hole.stop()
    }

    /// Two remotes polled at once: each operation has a worker to itself, and neither waits for the other.
    @Test func concurrentPollsOfTwoRemotesUseTwoWorkers() async throws {
        let slow = try await Served(.git)
        let fast = try await Served(.git, files: ["clusters/other.yaml": "kind: Cluster\n"])
        try await slow.fixture.addRandomBlobs(count: 4, size: 256 * 1024)
        let relay = try TCPRelay(.forward(port: slow.daemon!.port, bytesPerSecond: 256 * 1024))
        let pool = WorkerPool(idleTimeout: 30)
        var throttled = slow.remote.using(pool)
        throttled.url = try GitRemoteURL("git://127.0.0.1:\(relay.port)/\(slow.fixture.name)")
        let slowTask = Task { try await slow.source(remote: throttled).pollDetailed() }
        let slowWorker = try await connectedWorker(pool)

        let other = try await fast.source(remote: fast.remote.using(pool)).poll()
        #expect(other.id == (try await fast.fixture.head()))
        let pids = Set(pool.workerPIDs)
        #expect(pids.count == 2 && pids.contains(slowWorker), "\(pids)")

        let slowResult = try await slowTask.value
        let slowHead = try await slow.fixture.head()
        #expect(slowResult.fetched)
        #expect(slowResult.revision.id == slowHead)
        // Both idle now; the next polls reuse them.
        _ = try await fast.source(remote: fast.remote.using(pool)).poll()
        _ = try await slow.source(remote: throttled).poll()
        #expect(Set(pool.workerPIDs) == pids)
    }

    /// One worker serves requests with and without credentials: each request has only its own.
    @Test func credentialsAreNotReusedAcrossRequests() async throws {
        let secret = "per-request-secret"
        let served = try await Served(.http, basicAuth: ("fleet", secret), credentials: GitCredentials(username: "fleet", password: secret))
        let pool = WorkerPool(idleTimeout: 30)
        _ = try await served.source(remote: served.remote.using(pool)).poll()
        let worker = try #require(pool.workerPIDs.first)

        var anonymous = served.remote.using(pool)
        anonymous.credentials = .none
        let missing = await sourceError { _ = try await served.source(remote: anonymous).poll() }
        #expect(missing?.reason == .authFailed, "\(String(describing: missing))")
        var wrong = served.remote.using(pool)
        wrong.credentials = GitCredentials(username: "fleet", password: "not-the-secret")
        let refused = await sourceError { _ = try await served.source(remote: wrong).poll() }
        #expect(refused?.reason == .authFailed, "\(String(describing: refused))")
        #expect(pool.workerPIDs == [worker], "the same worker answered all three requests")
        _ = try await served.source(remote: served.remote.using(pool)).poll()
    }

    /// TLS trust anchors are process-wide in libgit2: a request's `--ca-file` must not trust servers for the next.
    @Test func trustAnchorsAreNotReusedAcrossRequests() async throws {
        let served = try await Served(.https)
        let pool = WorkerPool(idleTimeout: 30)
        _ = try await served.source(remote: served.remote.using(pool)).poll()
        let worker = try #require(pool.workerPIDs.first)

        var systemTrust = served.remote.using(pool)
        systemTrust.caBundlePath = nil
        let untrusted = await sourceError { _ = try await served.source(remote: systemTrust).poll() }
        #expect(untrusted?.reason == .unknownHost, "\(String(describing: untrusted))")
        var missingBundle = served.remote.using(pool)
        missingBundle.caBundlePath = served.state.path + "/no-such-ca.pem"
        let unreadable = await sourceError { _ = try await served.source(remote: missingBundle).poll() }
        #expect(unreadable?.reason == .unknownHost, "\(String(describing: unreadable))")
        #expect(unreadable?.message.contains("no-such-ca.pem") == true, "\(String(describing: unreadable))")
        #expect(pool.workerPIDs == [worker])
        _ = try await served.source(remote: served.remote.using(pool)).poll()
    }

    @Test func idleWorkersExit() async throws {
        let served = try await Served(.localPath)
        let pool = WorkerPool(idleTimeout: 0.5)
        let source = try served.source(remote: served.remote.using(pool))
        let revision = try await source.poll()
        let worker = try #require(pool.workerPIDs.first)
        try await waitUntil(seconds: 20) { pool.slotCount == 0 }
        #expect(!isAlive(worker))
        #expect(try await source.poll() == revision)
        #expect(pool.workerPIDs.count == 1 && !pool.workerPIDs.contains(worker))
    }

    /// A short-lived `capstan source` leaves no worker behind (PR_SET_PDEATHSIG and end-of-file on stdin).
    @Test func workersEndWithTheirParent() async throws {
        let served = try await Served(.file)
        let pidFile = served.state.path + "/worker.pid"
        let wrapper = served.state.path + "/worker"
        try "#!/bin/sh\necho $$ >> '\(pidFile)'\nexec '\(workerExecutable)' \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let result = try await offloaded {
            try CLI.run(["source", "--repo", served.remote.url.url, "--state-dir", served.state.path],
                        environment: ["CAPSTAN_GIT_WORKER": wrapper], timeout: 60)
        }
        #expect(result.exitCode == 0, "\(result.stderr)")
        let pids = try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: "\n").compactMap { pid_t($0) }
        #expect(pids.count == 1)
        for pid in pids { try await waitUntil(seconds: 10) { !isAlive(pid) } }
    }
}

extension GitRemote {
    /// This remote with its operations run by `pool`.
    func using(_ pool: WorkerPool) -> GitRemote {
        var copy = self
        copy.workerPool = pool
        return copy
    }
}

/// Whether `pid` is a live process (not gone, not a zombie).
func isAlive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
    return state != "Z" && state != "X"
}

/// Polls `condition` every 50 ms until it holds; fails the test after `seconds`.
func waitUntil(seconds: Double, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        if ContinuousClock.now > end {
            Issue.record("condition not met within \(seconds) s", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// The pool's worker once it holds a network connection (so it has accepted its request and is inside libgit2).
/// Workers inherit no descriptors from the test process, so any socket is the worker's own.
func connectedWorker(_ pool: WorkerPool, sourceLocation: SourceLocation = #_sourceLocation) async throws -> pid_t {
    var found: pid_t?
    try await waitUntil(seconds: 30, sourceLocation: sourceLocation) {
        found = pool.workerPIDs.first(where: holdsSocket)
        return found != nil
    }
    return try #require(found, sourceLocation: sourceLocation)
}

/// Whether process `pid` has a socket open.
func holdsSocket(_ pid: pid_t) -> Bool {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    return fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)"))?.hasPrefix("socket:") == true }
}
