import CapstanFleet
import Crypto
import Foundation

/// A remote repository address, parsed once: what libgit2 is given, how it is shown, and where its mirror lives.
///
/// Accepted forms: an absolute or relative local path, `file://`, `git://`, `http://`, `https://`, `ssh://`
/// (also `ssh+git://`/`git+ssh://`) and scp-style `user@host:path`. A password in the URL is refused:
/// credentials come from files or the environment, never from the command line.
public struct GitRemoteURL: Hashable, Sendable, CustomStringConvertible {
    /// How the remote is reached.
    public enum Transport: String, Sendable, Codable {
        case local, file, git, http, https, ssh
    }

    /// The URL handed to libgit2 (local paths made absolute; no password).
    public let url: String
    public let transport: Transport
    /// Host name for network transports.
    public let host: String?
    /// Explicit port, when the URL names one.
    public let port: Int?
    /// User name from the URL (`git@` in SSH URLs), if any.
    public let user: String?

    /// Parses `raw`; relative local paths resolve against `directory` (default: the current directory).
    public init(_ raw: String, relativeTo directory: String? = nil) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw Self.invalid("<empty>", "the repository URL is empty") }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            let rest = text[schemeEnd.upperBound...]
            switch scheme {
            case "file":
                url = text
                transport = .file
                host = nil
                port = nil
                user = nil
                return
            case "git": transport = .git
            case "http": transport = .http
            case "https": transport = .https
            case "ssh", "ssh+git", "git+ssh": transport = .ssh
            default:
                throw SourceError(.unsupported, source: Self.redact(text), message: "unsupported URL scheme '\(scheme)' (use a path, file://, git://, http(s):// or ssh://)")
            }
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            let path = rest[authorityEnd...]
            var user: String?
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                if userinfo.contains(":") {
                    throw SourceError(.authFailed, source: Self.redact(text),
                                      message: "the URL carries a password; pass it with --password-file or CAPSTAN_GIT_PASSWORD instead")
                }
                user = userinfo.removingPercentEncoding ?? String(userinfo)
                authority = authority[authority.index(after: at)...]
            }
            let (host, port) = try Self.splitHostPort(authority, raw: text)
            guard !host.isEmpty else { throw Self.invalid(text, "the URL has no host") }
            self.host = host
            self.port = port
            self.user = user
            let authorityText = (user.map { "\($0)@" } ?? "") + authority
            url = "\(scheme == "ssh+git" || scheme == "git+ssh" ? "ssh" : scheme)://\(authorityText)\(path)"
            return
        }
        // scp-style `user@host:path` (a colon before any slash), as Git reads it.
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/"), text[..<colon].count > 1 {
            let hostPart = text[..<colon]
            var user: String?
            var host = hostPart
            if let at = hostPart.lastIndex(of: "@") {
                user = String(hostPart[..<at])
                host = hostPart[hostPart.index(after: at)...]
            }
            if user?.contains(":") == true {
                throw SourceError(.authFailed, source: Self.redact(text),
                                  message: "the URL carries a password; pass it with --password-file or CAPSTAN_GIT_PASSWORD instead")
            }
            self.url = text
            self.transport = .ssh
            self.host = String(host)
            self.port = nil
            self.user = user
            return
        }
        let base = directory ?? FileManager.default.currentDirectoryPath
        let absolute = text.hasPrefix("/") ? text : URL(fileURLWithPath: text, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).path
        url = URL(fileURLWithPath: absolute).standardizedFileURL.path
        transport = .local
        host = nil
        port = nil
        user = nil
    }

    /// The URL with any user information removed, safe for logs, errors and status reports.
    public var description: String { Self.redact(url) }

    /// The port to connect to (explicit or the transport default).
    var effectivePort: Int {
        if let port { return port }
        switch transport {
        case .ssh: return 22
        case .git: return 9418
        case .http: return 80
        case .https: return 443
        case .local, .file: return 0
        }
    }

    /// A stable directory name for this remote's mirror: SHA-256 of the redacted URL (32 hex digits).
    var mirrorKey: String {
        let digest = SHA256.hash(data: Data(description.utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Removes `user[:password]@` from a URL-shaped string (scp-style addresses keep their user: it is not a secret).
    static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        let userinfo = rest[..<at]
        if text.hasPrefix("ssh") && !userinfo.contains(":") { return text }
        return String(text[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    private static func splitHostPort(_ authority: Substring, raw: String) throws -> (String, Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            guard after.hasPrefix(":") else { return (host, nil) }
            guard let port = Int(after.dropFirst()) else { throw invalid(raw, "bad port") }
            return (host, port)
        }
        guard let colon = authority.lastIndex(of: ":") else { return (String(authority), nil) }
        guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port) else {
            throw invalid(raw, "bad port")
        }
        return (String(authority[..<colon]), port)
    }

    private static func invalid(_ raw: String, _ why: String) -> SourceError {
        SourceError(.unsupported, source: redact(raw), message: "invalid repository URL: \(why)")
    }
}
