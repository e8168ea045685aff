import CapstanFleet
import Foundation

/// Secrets for one remote, loaded from files or the environment (never from the command line).
///
/// `description` never shows a secret, so the value is safe to print by accident.
public struct GitCredentials: Hashable, Sendable, Codable, CustomStringConvertible {
    /// User name for HTTP basic auth or SSH (the URL's user wins for SSH).
    public var username: String?
    /// HTTP password or access token (sent as the basic-auth password).
    public var password: String?
    /// Path of an SSH private key (ed25519 or ECDSA; RSA fails against OpenSSH 9 with libssh2 1.10).
    public var sshPrivateKeyPath: String?
    /// Path of the matching public key; optional.
    public var sshPublicKeyPath: String?
    /// Passphrase of the private key.
    public var sshPassphrase: String?

    public init(username: String? = nil, password: String? = nil, sshPrivateKeyPath: String? = nil,
                sshPublicKeyPath: String? = nil, sshPassphrase: String? = nil) {
        self.username = username
        self.password = password
        self.sshPrivateKeyPath = sshPrivateKeyPath
        self.sshPublicKeyPath = sshPublicKeyPath
        self.sshPassphrase = sshPassphrase
    }

    /// No credentials.
    public static let none = GitCredentials()

    /// Loads credentials: secrets from the given files, else from `CAPSTAN_GIT_PASSWORD`, `CAPSTAN_GIT_TOKEN`
    /// and `CAPSTAN_SSH_PASSPHRASE`. A trailing newline in a secret file is dropped.
    public static func load(
        username: String? = nil, passwordFile: String? = nil, tokenFile: String? = nil,
        sshKey: String? = nil, sshPassphraseFile: String? = nil,
        environment: [String: String]? = nil
    ) throws -> GitCredentials {
        let environment = environment ?? ProcessInfo.processInfo.environment
        var credentials = GitCredentials(username: username ?? environment["CAPSTAN_GIT_USERNAME"])
        if let passwordFile {
            credentials.password = try readSecret(passwordFile, what: "password")
        } else if let tokenFile {
            credentials.password = try readSecret(tokenFile, what: "token")
        } else {
            credentials.password = environment["CAPSTAN_GIT_PASSWORD"] ?? environment["CAPSTAN_GIT_TOKEN"]
        }
        if credentials.password != nil && credentials.username == nil {
            // Hosting services accept any user name with a token; Git's own convention is "git".
            credentials.username = "git"
        }
        if let sshKey {
            guard FileManager.default.isReadableFile(atPath: sshKey) else {
                throw SourceError(.authFailed, source: sshKey, message: "cannot read the SSH private key file")
            }
            credentials.sshPrivateKeyPath = sshKey
            if FileManager.default.isReadableFile(atPath: sshKey + ".pub") { credentials.sshPublicKeyPath = sshKey + ".pub" }
        }
        if let sshPassphraseFile {
            credentials.sshPassphrase = try readSecret(sshPassphraseFile, what: "SSH key passphrase")
        } else {
            credentials.sshPassphrase = environment["CAPSTAN_SSH_PASSPHRASE"]
        }
        return credentials
    }

    public var description: String {
        var parts: [String] = []
        if let username { parts.append("user \(username)") }
        if password != nil { parts.append("password <redacted>") }
        if let sshPrivateKeyPath { parts.append("ssh key \(sshPrivateKeyPath)") }
        if sshPassphrase != nil { parts.append("passphrase <redacted>") }
        return parts.isEmpty ? "no credentials" : parts.joined(separator: ", ")
    }

    /// Every secret value, for scrubbing text that might echo one (server messages, worker stderr).
    var secrets: [String] { [password, sshPassphrase].compactMap { $0 }.filter { $0.count >= 3 } }

    private static func readSecret(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceError(.authFailed, source: path, message: "cannot read the \(what) file")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

/// How to reach a remote: its URL, credentials, trust anchors, proxy, deadline and the worker to run.
public struct GitRemote: Sendable, CustomStringConvertible {
    /// Proxy choice for HTTP(S) remotes.
    public enum Proxy: Hashable, Sendable, Codable {
        /// `https_proxy`/`http_proxy`/`no_proxy` from the environment (libgit2's automatic mode).
        case automatic
        /// Never use a proxy.
        case none
        /// This proxy URL (`http://host:port`).
        case url(String)
    }

    public var url: GitRemoteURL
    public var credentials: GitCredentials
    /// known_hosts file for SSH (default `~/.ssh/known_hosts`). Checking is strict: unknown hosts fail.
    public var knownHostsPath: String?
    /// PEM bundle of trusted CAs for HTTPS (default: the system bundle).
    public var caBundlePath: String?
    public var proxy: Proxy
    /// Seconds one network operation (a poll's listing and fetch, or a push) may take before its worker is killed.
    public var timeout: Double
    /// The executable that runs `__git-worker` (default: this process's own executable).
    public var workerExecutable: String?
    /// The pool of persistent workers to use (nil: `WorkerPool.shared`); tests give a remote its own.
    var workerPool: WorkerPool?

    public init(url: GitRemoteURL, credentials: GitCredentials = .none, knownHostsPath: String? = nil,
                caBundlePath: String? = nil, proxy: Proxy = .automatic, timeout: Double = 60,
                workerExecutable: String? = nil) {
        self.url = url
        self.credentials = credentials
        self.knownHostsPath = knownHostsPath
        self.caBundlePath = caBundlePath
        self.proxy = proxy
        self.timeout = timeout
        self.workerExecutable = workerExecutable
    }

    public var description: String { url.description }
}
