import ArgumentParser
import CapstanGit

/// How to reach a Git remote: credentials (secrets from files or the environment — `CAPSTAN_GIT_PASSWORD`,
/// `CAPSTAN_GIT_TOKEN`, `CAPSTAN_SSH_PASSPHRASE` — never from arguments), host-key and CA trust, proxy, and
/// the deadline of one network operation. Shared by every command that reads a remote (`--repo`) and by
/// `capstan run`.
struct GitAccessOptions: ParsableArguments {
    @Option(help: "User name for HTTP(S) basic auth or SSH (default: the URL's user, else \"git\").")
    var username: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("File holding the HTTP(S) password.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding an HTTP(S) access token (sent as the basic-auth password).", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("ssh-key"), help: ArgumentHelp("SSH private key (ed25519 or ECDSA).", valueName: "file"))
    var sshKey: String?

    @Option(name: .customLong("ssh-passphrase-file"), help: ArgumentHelp("File holding the SSH key's passphrase.", valueName: "file"))
    var sshPassphraseFile: String?

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp("known_hosts file for SSH host keys (default: ~/.ssh/known_hosts; checking is strict).", valueName: "file"))
    var knownHosts: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM bundle of CAs trusted for HTTPS (default: the system bundle).", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("HTTP(S) proxy URL, \"none\", or \"auto\" (https_proxy/http_proxy/no_proxy; the default).", valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("git-timeout"), help: ArgumentHelp("Seconds one Git network operation may take.", valueName: "seconds"))
    var gitTimeout: Double = 60

    func validate() throws {
        if gitTimeout <= 0 { throw ValidationError("--git-timeout must be positive") }
    }

    /// The remote at `url` with these credentials and settings.
    func remote(url: String) throws -> GitRemote {
        let credentials = try GitCredentials.load(username: username, passwordFile: passwordFile, tokenFile: tokenFile,
                                                  sshKey: sshKey, sshPassphraseFile: sshPassphraseFile)
        let proxySetting: GitRemote.Proxy
        switch proxy {
        case nil, "auto": proxySetting = .automatic
        case "none": proxySetting = .none
        case let url?: proxySetting = .url(url)
        }
        return GitRemote(url: try GitRemoteURL(url), credentials: credentials, knownHostsPath: knownHosts,
                         caBundlePath: caFile, proxy: proxySetting, timeout: gitTimeout)
    }
}
