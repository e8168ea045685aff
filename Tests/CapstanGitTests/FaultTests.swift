import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Synchronization
import Testing

/// Faults end within their deadline with a stable reason, and the last good revision stays readable.
@Suite(.serialized) struct FaultTests {
    @Test func wrongPasswordIsAuthFailedAndNeverEchoed() async throws {
        let secret = "correct-horse-battery"
        let served = try await Served(.http, basicAuth: ("fleet", secret), credentials: GitCredentials(username: "fleet", password: secret))
        _ = try await served.source().poll()

        var wrong = served.remote
        wrong.credentials = GitCredentials(username: "fleet", password: "wrong-password-123")
        // The credential callback gives up after one refusal; a loop would end in `timeout` instead.
        let error = await sourceError { _ = try await served.source(remote: wrong).poll() }
        #expect(error?.reason == .authFailed, "\(String(describing: error))")
        #expect(error?.message.contains("refused") == true)
        #expect(!(error.map(String.init(describing:)) ?? "").contains("wrong-password-123"))

        var anonymous = served.remote
        anonymous.credentials = .none
        let missing = await sourceError { _ = try await served.source(remote: anonymous).poll() }
        #expect(missing?.reason == .authFailed, "\(String(describing: missing))")
        #expect(missing?.message.contains("--password-file") == true)
    }

    @Test func wrongSSHKeyIsAuthFailed() async throws {
        let served = try await Served(.ssh)
        let other = served.state.path + "/other_ed25519"
        try await SSHServer.keygen(other, passphrase: nil)
        var remote = served.remote
        remote.credentials = GitCredentials(sshPrivateKeyPath: other)
        let error = await sourceError { _ = try await served.source(remote: remote).poll() }
        #expect(error?.reason == .authFailed, "\(String(describing: error))")
    }

    @Test func sshKeyWithPassphrase() async throws {
        let served = try await Served(.ssh, sshPassphrase: "open sesame")
        let revision = try await served.source().poll()
        #expect(revision.id == (try await served.fixture.head()))

        var wrong = served.remote
        wrong.credentials.sshPassphrase = "not it"
        let error = await sourceError { _ = try await served.source(remote: wrong).poll() }
        #expect(error?.reason == .authFailed, "\(String(describing: error))")
    }

    @Test func sshHostKeysAreCheckedStrictly() async throws {
        let served = try await Served(.ssh)
        let knownHosts = served.state.path + "/kh"
        func poll(_ contents: String) async -> SourceError? {
            try? contents.write(toFile: knownHosts, atomically: true, encoding: .utf8)
            var remote = served.remote
            remote.knownHostsPath = knownHosts
            do {
                _ = try await served.source(remote: remote).poll()
                return nil
            } catch let error as SourceError {
                return error
            } catch {
                return SourceError(.corrupt, source: "test", message: "\(error)")
            }
        }
        // Unknown: empty file, and an entry for the same host on another port.
        #expect(await poll("")?.reason == .unknownHost)
        let line = served.ssh!.knownHostsLine
        let otherPort = line.replacingOccurrences(of: "]:\(served.ssh!.port) ", with: "]:1 ")
        #expect(await poll(otherPort + "\n")?.reason == .unknownHost)
        // Mismatch: the host is listed with a different key.
        let impostor = served.state.path + "/impostor"
        try await SSHServer.keygen(impostor, passphrase: nil)
        let impostorKey = try String(contentsOfFile: impostor + ".pub", encoding: .utf8).split(separator: " ")
        let mismatch = await poll("[127.0.0.1]:\(served.ssh!.port) \(impostorKey[0]) \(impostorKey[1])\n")
        #expect(mismatch?.reason == .hostKeyMismatch, "\(String(describing: mismatch))")
        #expect(mismatch?.message.contains("SHA256:") == true)
        // Revoked key: refused even though it is also listed.
        #expect(await poll("@revoked [127.0.0.1]:\(served.ssh!.port) \(line.split(separator: " ")[1...].joined(separator: " "))\n\(line)\n")?.reason == .hostKeyMismatch)
        // Hashed entries (ssh-keygen -H) and wildcard patterns are accepted.
        try (line + "\n").write(toFile: knownHosts, atomically: true, encoding: .utf8)
        _ = try await offloaded { try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/ssh-keygen"), ["-H", "-f", knownHosts], timeout: 10) }
        let hashed = try String(contentsOfFile: knownHosts, encoding: .utf8)
        #expect(hashed.hasPrefix("|1|"))
        #expect(await poll(hashed) == nil)
        #expect(await poll(line.replacingOccurrences(of: "[127.0.0.1]", with: "[127.0.0.*]") + "\n") == nil)
    }

    @Test func untrustedTLSCertificateIsUnknownHost() async throws {
        let served = try await Served(.https)
        var remote = served.remote
        remote.caBundlePath = nil
        let error = await sourceError { _ = try await served.source(remote: remote).poll() }
        #expect(error?.reason == .unknownHost, "\(String(describing: error))")
        #expect(error?.message.contains("--ca-file") == true)
    }

    @Test(arguments: [Transport.git, .http])
    func deletedRepositoryIsNotFoundAndLastRevisionStaysReadable(_ transport: Transport) async throws {
        let served = try await Served(transport, timeout: 10)
        let source = try served.source()
        let good = try await source.poll()
        try FileManager.default.removeItem(atPath: served.fixture.barePath)
        let error = await sourceError { _ = try await source.poll() }
        #expect(error?.reason == .notFound, "\(String(describing: error))")
        #expect(error?.source == served.remote.description)
        #expect(source.lastGoodRevision == good)
        #expect(try text(source.tree(at: good), "clusters/alpha.yaml").contains("alpha"))
    }

    @Test func missingRefIsNotFound() async throws {
        let served = try await Served(.localPath)
        let error = await sourceError { _ = try await served.source(ref: .branch("nope")).poll() }
        #expect(error?.reason == .notFound, "\(String(describing: error))")
        #expect(error?.message.contains("branches: main") == true)
    }

    /// The server dies mid-fetch. A throttled relay in front of git daemon makes the moment deterministic:
    /// at the first progress message the daemon's process group is killed and the relay resets its connections
    /// (otherwise kernel socket buffers would still deliver a small pack after the server process died).
    @Test func serverKilledMidFetchIsNetworkAndMirrorRecovers() async throws {
        let served = try await Served(.localPath)
        var daemon = try await GitDaemonServer(root: served.fixture.reposRoot)
        let relay = try TCPRelay(.forward(port: daemon.port, bytesPerSecond: nil))
        let remote = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(relay.port)/\(served.fixture.name)"),
                               proxy: .none, timeout: 20, workerExecutable: workerExecutable)
        let good = try await served.source(remote: remote).poll()

        try await served.fixture.addRandomBlobs(count: 16, size: 256 * 1024)
        relay.setRate(1 << 20)
        let killer = DaemonKiller(relay: relay, daemon: daemon)
        let source = try GitFleetSource(remote: remote, stateDirectory: served.state.path) { _ in killer.fire() }
        let error = await sourceError { _ = try await source.poll() }
        #expect(killer.fired)
        #expect(error?.reason == .network, "\(String(describing: error))")  // not `timeout`: it ended with the server
        #expect(try text(source.tree(at: good), "clusters/beta.yaml").contains("beta"))

        // Same address again, full speed: the mirror fetches the big commit cleanly.
        daemon = try await GitDaemonServer(root: served.fixture.reposRoot, port: daemon.port)
        relay.setRate(nil)
        let recovered = try await served.source(remote: remote).pollDetailed()
        #expect(recovered.fetched)
        #expect(recovered.revision.id == (try await served.fixture.head()))
        #expect(try source.tree(at: recovered.revision).entries().count == sampleFleet.count + 16)
        daemon.stop()
    }

    /// A server that accepts the connection and never answers, over git://, http://, https:// and ssh://.
    @Test func blackHoleServerTimesOutWithinTheDeadline() async throws {
        let hole = try BlackHoleServer()
        let state = try TemporaryDirectory(prefix: "capstan-state")
        let urls = [
            "git://127.0.0.1:\(hole.port)/fleet.git", "http://127.0.0.1:\(hole.port)/fleet.git",
            "https://localhost:\(hole.port)/fleet.git", "ssh://git@127.0.0.1:\(hole.port)/fleet.git",
        ]
        try await withThrowingTaskGroup(of: (String, SourceError?, Duration).self) { group in
            for url in urls {
                group.addTask {
                    let remote = GitRemote(url: try GitRemoteURL(url), proxy: .none, timeout: 1.5, workerExecutable: workerExecutable)
                    let source = try GitFleetSource(remote: remote, stateDirectory: state.path)
                    let start = ContinuousClock.now
                    let error = await sourceError { _ = try await source.poll() }
                    return (url, error, ContinuousClock.now - start)
                }
            }
            for try await (url, error, elapsed) in group {
                #expect(error?.reason == .timeout, "\(url)")
                #expect(error?.message.contains("no answer within 1.5 s") == true, "\(url)")
                let killed = stoppedAfter(error) ?? 0
                #expect(killed >= 1.5 && killed < 3, "\(url): worker killed after \(killed) s")
                #expect(elapsed >= .seconds(1.4) && elapsed < .seconds(1.5) + schedulingSlack, "\(url) took \(elapsed)")
            }
        }
        hole.stop()
    }

    /// A server that stops answering after a good poll: timeout, and the good revision stays readable.
    @Test func stalledServerKeepsTheLastGoodRevision() async throws {
        let served = try await Served(.git)
        let relay = try TCPRelay(.forward(port: served.daemon!.port, bytesPerSecond: nil))
        var remote = served.remote
        remote.url = try GitRemoteURL("git://127.0.0.1:\(relay.port)/\(served.fixture.name)")
        let source = try served.source(remote: remote)
        let good = try await source.poll()
        relay.setStalled(true)
        remote.timeout = 1
        let impatient = try served.source(remote: remote)  // same mirror, short deadline
        let error = await sourceError { _ = try await impatient.poll() }
        #expect(impatient.lastGoodRevision == nil)
        #expect(error?.reason == .timeout, "\(String(describing: error))")
        #expect(source.lastGoodRevision == good)
        #expect(try source.tree(at: good).entries().count == sampleFleet.count)
        relay.setStalled(false)
        #expect(try await source.poll() == good)
    }

    @Test func cancellingAPollStopsTheWorker() async throws {
        let hole = try BlackHoleServer()
        let state = try TemporaryDirectory(prefix: "capstan-state")
        let remote = GitRemote(url: try GitRemoteURL("git://127.0.0.1:\(hole.port)/fleet.git"), proxy: .none,
                               timeout: 60, workerExecutable: workerExecutable)
        let source = try GitFleetSource(remote: remote, stateDirectory: state.path)
        let start = ContinuousClock.now
        let task = Task { try await source.poll() }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - start < .milliseconds(300) + schedulingSlack)
        guard case .failure(let error as SourceError) = result else {
            Issue.record("expected a cancellation error, got \(result)")
            return
        }
        #expect(error.reason == .timeout)
        #expect(error.message.contains("cancelled"))
        // Killed soon after the cancellation, long before its 60 s deadline.
        #expect((stoppedAfter(error) ?? 60) < 10, "\(error)")
    }

    /// A worker that crashes (as libgit2 might) is a `network` failure; the caller lives on and the mirror stays.
    @Test func crashingWorkerIsNetworkAndTheCallerSurvives() async throws {
        let served = try await Served(.localPath)
        let source = try served.source()
        let good = try await source.poll()
        let crasher = served.state.path + "/crashing-worker"
        let made = try await offloaded {
            try CLI.runExecutable(URL(fileURLWithPath: "/bin/sh"), ["-c", "cat > '\(crasher)' && chmod 755 '\(crasher)'"],
                                  stdin: "#!/bin/sh\nread -r request\necho 'libgit2 went wrong' >&2\nkill -SEGV $$\n")
        }
        #expect(made.exitCode == 0)
        var remote = served.remote
        remote.workerExecutable = crasher
        let error = await sourceError { _ = try await served.source(remote: remote).poll() }
        #expect(error?.reason == .network, "\(String(describing: error))")
        #expect(error?.message.contains("crashed (signal 11)") == true, "\(String(describing: error))")
        #expect(error?.message.contains("libgit2 went wrong") == true)
        #expect(try await source.poll() == good)
    }

    @Test func passwordsInURLsAreRefused() throws {
        #expect(throws: SourceError.self) { try GitRemoteURL("https://user:hunter2@example.com/fleet.git") }
        do {
            _ = try GitRemoteURL("https://user:hunter2@example.com/fleet.git")
        } catch let error as SourceError {
            #expect(!error.description.contains("hunter2"))
            #expect(error.source == "https://example.com/fleet.git")
        }
    }
}

/// Kills the server at the first progress message of a fetch (called on the worker's supervision thread).
final class DaemonKiller: Sendable {
    private let relay: TCPRelay
    private let daemon: GitDaemonServer
    private let done = Mutex(false)

    init(relay: TCPRelay, daemon: GitDaemonServer) {
        self.relay = relay
        self.daemon = daemon
    }

    var fired: Bool { done.withLock { $0 } }

    func fire() {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        daemon.process.killNow()
        relay.cutAll()
    }
}
