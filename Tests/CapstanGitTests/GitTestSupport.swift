import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// The built `capstan` executable, which runs `__git-worker` for every network operation in these tests.
let workerExecutable = CLI.productsDirectory.appendingPathComponent("capstan").path

/// Extra time allowed on top of a deadline before a test calls a result late. The worker is killed at the
/// deadline by a dedicated thread (its own measure, `stoppedAfter`, is checked tightly); resuming the waiting
/// task afterwards can lag far more on a loaded two-core machine running many tests and builds at once.
let schedulingSlack: Duration = .seconds(30)

/// The supervisor's own measure of when it killed the worker (`...stopped after 1.50 s`), from an error message.
func stoppedAfter(_ error: SourceError?) -> Double? {
    guard let message = error?.message, let range = message.range(of: "stopped after ") else { return nil }
    return Double(message[range.upperBound...].prefix { $0.isNumber || $0 == "." })
}

/// A small fleet used by most tests.
let sampleFleet: [String: String] = [
    "clusters/alpha.yaml": "kind: Cluster\nmetadata:\n  name: alpha\n",
    "clusters/beta.yaml": "kind: Cluster\nmetadata:\n  name: beta\n",
    "README.md": "fleet\n",
]

/// Every way Capstan reaches a remote.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case localPath, file, git, http, https, ssh

    var testDescription: String { rawValue }

    var tools: [String] {
        switch self {
        case .localPath, .file: return [GitCLI.path]
        case .git: return GitServers.daemonTools
        case .http: return GitServers.httpTools
        case .https: return GitServers.httpsTools
        case .ssh: return GitServers.sshTools
        }
    }
}

/// A fixture repository served over one transport, with a state directory for mirrors. Keeps its servers alive.
final class Served: Sendable {
    let fixture: GitFixture
    let remote: GitRemote
    let state: TemporaryDirectory
    let daemon: GitDaemonServer?
    let http: GitHTTPServer?
    let ssh: SSHServer?

    /// Starts what `transport` needs, or cancels the test (shown as skipped) when a server binary is missing.
    init(_ transport: Transport, files: [String: String] = sampleFleet, timeout: Double = 20,
         basicAuth: (user: String, password: String)? = nil, credentials: GitCredentials = .none,
         sshPassphrase: String? = nil) async throws {
        let missing = GitServers.missing(transport.tools)
        if !missing.isEmpty { try Test.cancel("\(transport) server tools not installed: \(missing.joined(separator: ", "))") }
        fixture = try await GitFixture(files: files)
        state = try TemporaryDirectory(prefix: "capstan-state")
        var daemon: GitDaemonServer?, http: GitHTTPServer?, ssh: SSHServer?
        var url: String
        var credentials = credentials
        var knownHosts: String?
        switch transport {
        case .localPath: url = fixture.barePath
        case .file: url = "file://" + fixture.barePath
        case .git:
            daemon = try await GitDaemonServer(root: fixture.reposRoot)
            url = daemon!.url(fixture.name)
        case .http, .https:
            http = try await GitHTTPServer(root: fixture.reposRoot, tls: transport == .https, basicAuth: basicAuth)
            url = http!.url(fixture.name)
        case .ssh:
            ssh = try await SSHServer(clientKeyPassphrase: sshPassphrase)
            url = ssh!.url(fixture.barePath)
            knownHosts = state.path + "/known_hosts"
            try (ssh!.knownHostsLine + "\n").write(toFile: knownHosts!, atomically: true, encoding: .utf8)
            if credentials.sshPrivateKeyPath == nil {
                credentials.sshPrivateKeyPath = ssh!.clientKeyPath
                credentials.sshPassphrase = sshPassphrase
            }
        }
        (self.daemon, self.http, self.ssh) = (daemon, http, ssh)
        remote = GitRemote(url: try GitRemoteURL(url), credentials: credentials, knownHostsPath: knownHosts,
                           caBundlePath: http?.caPath, proxy: .none, timeout: timeout, workerExecutable: workerExecutable)
    }

    /// A source for this remote with its mirror in the state directory.
    func source(ref: GitRef = .defaultBranch, path: String = "", remote: GitRemote? = nil) throws -> GitFleetSource {
        try GitFleetSource(remote: remote ?? self.remote, ref: ref, path: path, stateDirectory: state.path)
    }

    /// A status writer for this remote.
    func writer(branch: String = "capstan-status", directory: String = "status", state: String? = nil) throws -> GitStatusWriter {
        try GitStatusWriter(remote: remote, stateDirectory: state ?? self.state.path, branch: branch, directory: directory,
                            author: .init(name: "Capstan Test", email: "capstan@test"))
    }
}

/// Runs `body` and returns the `SourceError` it threw (recording an issue when it did not throw one).
func sourceError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> SourceError? {
    do {
        try await body()
        Issue.record("expected a SourceError, got success", sourceLocation: sourceLocation)
    } catch let error as SourceError {
        return error
    } catch {
        Issue.record("expected a SourceError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The text of a file in a tree.
func text(_ tree: any FileTree, _ path: String) throws -> String {
    String(decoding: try tree.contents(of: path), as: UTF8.self)
}
