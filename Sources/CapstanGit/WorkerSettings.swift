import CGit2
import Foundation

/// The process-wide state of a worker that one request may set and the next must not inherit: libgit2's TLS
/// trust anchors (`GIT_OPT_SET_SSL_CERT_LOCATIONS` is global) and `$HOME` (which libgit2 1.5 reads to choose
/// the SSH host-key algorithm). Confined to the worker's one thread.
final class WorkerSettings {
    /// The bundle Debian's libgit2 loads at start-up (its `CERT_LOCATION`); loading it again restores the default.
    static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    private let originalHome: String?
    /// Whether trust anchors other than the system bundle are loaded.
    private var customTrust = false
    private var sshHomes = 0

    init() {
        originalHome = ProcessInfo.processInfo.environment["HOME"]
    }

    /// Loads `caBundlePath` as the only trust anchors, or restores the system bundle after a request that had
    /// its own. libgit2 keeps the previous anchors when loading fails, so a failure never lets a request run on
    /// another request's anchors: the default is restored, and a request that needs its bundle (HTTPS) fails.
    func applyTrust(caBundlePath: String?, required: Bool) throws {
        if let ca = caBundlePath {
            if cgit2_set_ssl_cert_locations(ca, nil) == 0 {
                customTrust = true
                return
            }
            let error = LibGit2Error(code: -1, operation: "load CA bundle")
            customTrust = true  // unknown state: force the reset below
            restoreSystemTrust()
            if required {
                throw WorkerFailure(reason: .unknownHost, message: "cannot load the CA bundle \(ca) (--ca-file): \(error.message)", ref: nil)
            }
            return
        }
        if customTrust { restoreSystemTrust() }
    }

    private func restoreSystemTrust() {
        if cgit2_set_ssl_cert_locations(Self.systemCABundle, nil) == 0 { customTrust = false }
        git_error_clear()
    }

    /// A private `$HOME` for one SSH request whose `.ssh/known_hosts` is Capstan's known_hosts file.
    ///
    /// libgit2 1.5 reads `$HOME/.ssh/known_hosts` to choose which host-key algorithm to ask for; pointing it at
    /// our file makes the server present the key type we know (the decision itself is ours, in the callback).
    func sshHome(knownHosts: String?) -> String? {
        sshHomes += 1
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-ssh-\(getpid())-\(sshHomes)").path
        let ssh = base + "/.ssh"
        guard (try? FileManager.default.createDirectory(atPath: ssh, withIntermediateDirectories: true)) != nil else { return nil }
        let source = knownHosts ?? ((originalHome ?? NSHomeDirectory()) + "/.ssh/known_hosts")
        if FileManager.default.fileExists(atPath: source) {
            try? FileManager.default.createSymbolicLink(atPath: ssh + "/known_hosts", withDestinationPath: source)
        }
        setenv("HOME", base, 1)
        return base
    }

    /// Removes a request's private home and puts `$HOME` back.
    func restoreHome(_ home: String?) {
        guard let home else { return }
        try? FileManager.default.removeItem(atPath: home)
        if let originalHome { setenv("HOME", originalHome, 1) } else { unsetenv("HOME") }
    }
}
