import Crypto
import Foundation

/// An OpenSSH known_hosts file, checked strictly: a host must be listed with exactly the key it presents.
///
/// Reads plain host patterns (comma lists, `*`/`?` wildcards, `!` negation, `[host]:port` for ports other than
/// 22) and hashed entries (`|1|salt|hash`, HMAC-SHA1 of the host name as ssh-keygen -H writes them).
/// `@revoked` keys are refused; `@cert-authority` lines are skipped (host certificates are not supported).
struct KnownHosts: Sendable {
    struct Entry: Sendable {
        enum Marker: Sendable { case none, revoked, certAuthority }
        var marker: Marker
        var patterns: [String]
        /// `(salt, hash)` for a hashed host entry.
        var hashed: (salt: [UInt8], hash: [UInt8])?
        var keyType: String
        var key: [UInt8]
    }

    /// The outcome of checking a presented key.
    enum Verdict: Equatable, Sendable {
        case trusted
        /// The host is listed with other keys (or this key is revoked).
        case mismatch(String)
        /// The host is not listed.
        case unknown(String)
    }

    var entries: [Entry]

    /// Parses the text of a known_hosts file; malformed lines are skipped, as ssh does.
    init(parsing text: String) {
        var entries: [Entry] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var marker = Entry.Marker.none
            if first.hasPrefix("@") {
                marker = first == "@revoked" ? .revoked : first == "@cert-authority" ? .certAuthority : .none
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            var entry = Entry(marker: marker, patterns: [], hashed: nil, keyType: fields[1], key: Array(key))
            if fields[0].hasPrefix("|1|") {
                let parts = fields[0].split(separator: "|")
                guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                      let hash = Data(base64Encoded: String(parts[2])) else { continue }
                entry.hashed = (Array(salt), Array(hash))
            } else {
                entry.patterns = fields[0].split(separator: ",").map { $0.lowercased() }
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// Checks the key (`blob`: the SSH wire-format public key) a server at `host:port` presented.
    func check(host: String, port: Int, key blob: [UInt8]) -> Verdict {
        let name = Self.lookupName(host: host, port: port)
        let presentedType = Self.keyType(of: blob) ?? "unknown"
        let fingerprint = Self.fingerprint(of: blob)
        let matching = entries.filter { $0.marker != .certAuthority && matches($0, name: name) }
        if matching.contains(where: { $0.marker == .revoked && $0.key == blob }) {
            return .mismatch("the \(presentedType) host key \(fingerprint) of \(name) is marked @revoked in known_hosts")
        }
        let listed = matching.filter { $0.marker == .none }
        if listed.contains(where: { $0.key == blob }) { return .trusted }
        if listed.isEmpty {
            return .unknown("\(name) is not in known_hosts (it offered a \(presentedType) key \(fingerprint)); add its key, e.g. from ssh-keyscan, after checking it")
        }
        let types = Set(listed.map(\.keyType)).sorted().joined(separator: ", ")
        return .mismatch("the \(presentedType) host key \(fingerprint) of \(name) does not match known_hosts (listed: \(types)); the host key changed or someone is intercepting the connection")
    }

    private func matches(_ entry: Entry, name: String) -> Bool {
        if let hashed = entry.hashed {
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: hashed.salt))
            return Array(mac) == hashed.hash
        }
        var positive = false
        for pattern in entry.patterns {
            if pattern.hasPrefix("!") {
                if Self.wildcard(Array(pattern.dropFirst().utf8), Array(name.utf8)) { return false }
            } else if Self.wildcard(Array(pattern.utf8), Array(name.utf8)) {
                positive = true
            }
        }
        return positive
    }

    /// `host` for port 22, `[host]:port` otherwise, lowercased (the name OpenSSH writes and looks up).
    static func lookupName(host: String, port: Int) -> String {
        let lower = host.lowercased()
        return port == 22 ? lower : "[\(lower)]:\(port)"
    }

    /// The key type named inside an SSH public-key blob (`ssh-ed25519`).
    static func keyType(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= blob.count - 4 else { return nil }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }

    /// `SHA256:<base64>` as ssh-keygen -l prints it.
    static func fingerprint(of blob: [UInt8]) -> String {
        var text = Data(SHA256.hash(data: Data(blob))).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// OpenSSH host-pattern matching: `*` any run, `?` one character.
    static func wildcard(_ p: [UInt8], _ t: [UInt8]) -> Bool {
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
