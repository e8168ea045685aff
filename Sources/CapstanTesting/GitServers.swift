import Foundation

/// Real Git servers on loopback for tests: `git daemon`, git-http-backend behind lighttpd (HTTP, or HTTPS with
/// a throwaway CA for `localhost`), and sshd with per-run ed25519 keys. Each runs in its own process group on
/// a free port with its files in a temporary directory, and stops when the value is dropped.
public enum GitServers {
    /// Tools each server needs (`make test` installs them through scripts/install-deps.sh).
    public static let daemonTools = [GitCLI.path, "/usr/lib/git-core/git-daemon"]
    public static let httpTools = [GitCLI.path, "/usr/sbin/lighttpd", "/usr/lib/git-core/git-http-backend"]
    public static let httpsTools = httpTools + ["/usr/bin/openssl", "/usr/lib/lighttpd/mod_openssl.so"]
    public static let sshTools = [GitCLI.path, "/usr/sbin/sshd", "/usr/bin/ssh-keygen"]

    /// The tools in `tools` that are not installed.
    public static func missing(_ tools: [String]) -> [String] {
        tools.filter { !FileManager.default.isExecutableFile(atPath: $0) && !FileManager.default.fileExists(atPath: $0) }
    }

    /// Whether all of `tools` are installed.
    public static func available(_ tools: [String]) -> Bool { missing(tools).isEmpty }

    /// Starts a server, retrying on a new port when the chosen one was taken in the meantime.
    static func startListening(attempts: Int = 3, fixedPort: Int? = nil,
                               _ start: (Int) throws -> ServerProcess) async throws -> (ServerProcess, Int) {
        var lastError: Error = ServerError("server did not start")
        for _ in 0..<attempts {
            let port = try fixedPort ?? LoopbackPort.free()
            do {
                let process = try start(port)
                if await LoopbackPort.waitUntilListening(port, process: process) { return (process, port) }
                process.stop()
                lastError = ServerError("server did not listen on port \(port)")
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// The name of the user running the tests (SSH logs in as this user).
    public static var currentUser: String {
        guard let entry = getpwuid(getuid()) else { return "root" }
        return String(cString: entry.pointee.pw_name)
    }
}

/// `git daemon` exporting every repository under `root`, with pushes enabled.
public final class GitDaemonServer: Sendable {
    public let port: Int
    public let process: ServerProcess

    /// Serves `root` on a free port, or on `port` (to restart a server at the same address).
    public init(root: String, port fixedPort: Int? = nil) async throws {
        (process, port) = try await GitServers.startListening(attempts: fixedPort == nil ? 3 : 1, fixedPort: fixedPort) { port in
            try ServerProcess.start(GitCLI.path, [
                "daemon", "--reuseaddr", "--base-path=\(root)", "--export-all", "--enable=receive-pack",
                "--informative-errors", "--listen=127.0.0.1", "--port=\(port)", root,
            ], environment: GitCLI.environment)
        }
    }

    /// `git://127.0.0.1:<port>/<name>`.
    public func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    public func stop() { process.stop() }
}

/// git-http-backend behind lighttpd, over HTTP or HTTPS (a CA and a `localhost` certificate made per server),
/// optionally behind HTTP basic auth.
public final class GitHTTPServer: Sendable {
    public let port: Int
    public let process: ServerProcess
    public let tls: Bool
    /// The PEM file of the CA that signed the server certificate (HTTPS only).
    public let caPath: String?
    private let directory: TemporaryDirectory

    /// Serves the repositories under `root`; `basicAuth` is `(user, password)`.
    public init(root: String, tls: Bool = false, basicAuth: (user: String, password: String)? = nil) async throws {
        let directory = try TemporaryDirectory(prefix: "capstan-http")
        self.directory = directory
        self.tls = tls
        let dir = directory.path
        try FileManager.default.createDirectory(atPath: dir + "/www", withIntermediateDirectories: true)
        var modules = ["mod_alias", "mod_cgi", "mod_setenv"]
        var extra = ""
        if let basicAuth {
            modules += ["mod_auth", "mod_authn_file"]
            try "\(basicAuth.user):\(basicAuth.password)\n".write(toFile: dir + "/users", atomically: true, encoding: .utf8)
            extra += """
            auth.backend = "plain"
            auth.backend.plain.userfile = "\(dir)/users"
            auth.require = ( "/git/" => ( "method" => "basic", "realm" => "capstan", "require" => "valid-user" ) )

            """
        }
        if tls {
            modules.append("mod_openssl")
            try await offloaded { try Self.makeCertificates(in: dir) }
            extra += """
            ssl.engine = "enable"
            ssl.pemfile = "\(dir)/server.crt"
            ssl.privkey = "\(dir)/server.key"

            """
            caPath = dir + "/ca.crt"
        } else {
            caPath = nil
        }
        let moduleList = modules.map { "\"\($0)\"" }.joined(separator: ", ")
        (process, port) = try await GitServers.startListening { port in
            let config = """
            server.modules = ( \(moduleList) )
            server.document-root = "\(dir)/www"
            server.bind = "127.0.0.1"
            server.port = \(port)
            server.errorlog = "\(dir)/error.log"
            $HTTP["url"] =~ "^/git/" {
              alias.url = ( "/git/" => "/usr/lib/git-core/git-http-backend/" )
              cgi.assign = ( "" => "" )
              setenv.set-environment = ( "GIT_PROJECT_ROOT" => "\(root)", "GIT_HTTP_EXPORT_ALL" => "1", "GIT_CONFIG_NOSYSTEM" => "1" )
            }
            \(extra)
            """
            try config.write(toFile: dir + "/lighttpd.conf", atomically: true, encoding: .utf8)
            return try ServerProcess.start("/usr/sbin/lighttpd", ["-D", "-f", dir + "/lighttpd.conf"], logFile: dir + "/stdout.log")
        }
    }

    /// `http://127.0.0.1:<port>/git/<name>`, or `https://localhost:<port>/git/<name>` (mbedTLS matches only DNS names).
    public func url(_ name: String) -> String {
        tls ? "https://localhost:\(port)/git/\(name)" : "http://127.0.0.1:\(port)/git/\(name)"
    }

    public func stop() { process.stop() }

    /// A throwaway CA and a server certificate for `localhost` signed by it (EC P-256: quick to make).
    private static func makeCertificates(in dir: String) throws {
        try "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
            .write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
             "-out", "ca.crt", "-days", "2", "-subj", "/CN=Capstan Test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key",
             "-out", "server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.crt", "-days", "2", "-extfile", "server.ext"],
        ]
        for step in steps {
            let result = try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/openssl"), step,
                                               directory: URL(fileURLWithPath: dir), timeout: 30)
            guard result.exitCode == 0 else { throw ServerError("openssl \(step[0]) failed: \(result.stderr)") }
        }
    }
}

/// sshd on loopback accepting one ed25519 client key for the current user; repositories are addressed by
/// absolute path (`ssh://user@127.0.0.1:<port>/abs/path/repo.git`).
public final class SSHServer: Sendable {
    public let port: Int
    public let process: ServerProcess
    /// The client's private key (ed25519, OpenSSH format).
    public let clientKeyPath: String
    /// The host's public key line (`ssh-ed25519 AAAA… comment`).
    public let hostPublicKey: String
    private let directory: TemporaryDirectory

    /// Starts sshd; the client key is protected by `clientKeyPassphrase` when given.
    public init(clientKeyPassphrase: String? = nil) async throws {
        let directory = try TemporaryDirectory(prefix: "capstan-ssh")
        self.directory = directory
        let dir = directory.path
        try await Self.keygen(dir + "/host_ed25519", passphrase: nil)
        try await Self.keygen(dir + "/client_ed25519", passphrase: clientKeyPassphrase)
        clientKeyPath = dir + "/client_ed25519"
        try FileManager.default.copyItem(atPath: dir + "/client_ed25519.pub", toPath: dir + "/authorized_keys")
        chmod(dir + "/authorized_keys", 0o600)
        hostPublicKey = try String(contentsOfFile: dir + "/host_ed25519.pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        (process, port) = try await GitServers.startListening { port in
            let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_ed25519
            PidFile \(dir)/sshd.pid
            AuthorizedKeysFile \(dir)/authorized_keys
            StrictModes no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            LogLevel VERBOSE

            """
            try config.write(toFile: dir + "/sshd_config", atomically: true, encoding: .utf8)
            return try ServerProcess.start("/usr/sbin/sshd", ["-D", "-f", dir + "/sshd_config", "-E", dir + "/sshd.log"])
        }
    }

    /// `ssh://<user>@127.0.0.1:<port><absolutePath>`.
    public func url(_ absolutePath: String) -> String {
        "ssh://\(GitServers.currentUser)@127.0.0.1:\(port)\(absolutePath)"
    }

    /// A known_hosts line for this server (`[127.0.0.1]:<port> ssh-ed25519 …`).
    public var knownHostsLine: String {
        let parts = hostPublicKey.split(separator: " ")
        return "[127.0.0.1]:\(port) \(parts[0]) \(parts[1])"
    }

    public func stop() { process.stop() }

    /// Makes an ed25519 key pair at `path` (and `path.pub`).
    public static func keygen(_ path: String, passphrase: String?) async throws {
        let result = try await offloaded {
            try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/ssh-keygen"),
                                           ["-q", "-t", "ed25519", "-N", passphrase ?? "", "-C", "capstan-test", "-f", path], timeout: 30)
        }
        guard result.exitCode == 0 else { throw ServerError("ssh-keygen failed: \(result.stderr)") }
    }
}
