@testable import CapstanGit
import CapstanFleet
import CapstanTesting
import Foundation
import Testing

/// The pure parts: URLs, ref syntax, semver ranges, known_hosts, message scrubbing.
@Suite struct ParsingTests {
    @Test func remoteURLs() throws {
        let ssh = try GitRemoteURL("ssh://git@example.com:2222/org/fleet.git")
        #expect(ssh.transport == .ssh)
        #expect(ssh.host == "example.com")
        #expect(ssh.port == 2222)
        #expect(ssh.user == "git")
        #expect(ssh.description == "ssh://git@example.com:2222/org/fleet.git")
        let scp = try GitRemoteURL("git@github.com:org/fleet.git")
        #expect(scp.transport == .ssh)
        #expect(scp.effectivePort == 22)
        let http = try GitRemoteURL("https://robot@example.com/fleet.git")
        #expect(http.description == "https://example.com/fleet.git")
        #expect(http.url == "https://robot@example.com/fleet.git")
        let local = try GitRemoteURL("repos/../fleet.git", relativeTo: "/srv")
        #expect(local.transport == .local)
        #expect(local.url == "/srv/fleet.git")
        #expect(try GitRemoteURL("file:///srv/fleet.git").transport == .file)
        let v6 = try GitRemoteURL("git://[::1]:9419/fleet.git")
        #expect(v6.host == "::1")
        #expect(v6.port == 9419)
        let unsupported = #expect(throws: SourceError.self) { try GitRemoteURL("ftp://example.com/fleet.git") }
        #expect(unsupported?.reason == .unsupported, "\(String(describing: unsupported))")
        // One mirror per remote, whatever user name appears in an HTTP URL.
        #expect(try GitRemoteURL("https://a@example.com/f.git").mirrorKey == (try GitRemoteURL("https://example.com/f.git")).mirrorKey)
        #expect(try GitRemoteURL("https://example.com/f.git").mirrorKey != (try GitRemoteURL("https://example.com/g.git")).mirrorKey)
    }

    @Test func refSyntax() throws {
        #expect(try GitRef(parsing: nil) == .defaultBranch)
        #expect(try GitRef(parsing: "main") == .branch("main"))
        #expect(try GitRef(parsing: "refs/heads/release/1.x") == .branch("release/1.x"))
        #expect(try GitRef(parsing: "tag:v1.0.0") == .tag("v1.0.0"))
        #expect(try GitRef(parsing: "refs/pull/4/head") == .reference("refs/pull/4/head"))
        let id = String(repeating: "a1", count: 20)
        #expect(try GitRef(parsing: id) == .commit(id))
        #expect(try GitRef(parsing: "commit:\(id.uppercased())") == .commit(id))
        #expect(throws: SourceError.self) { try GitRef(parsing: "commit:abc") }
        #expect(throws: SourceError.self) { try GitRef(parsing: "semver:>=banana") }
        #expect(try GitRef(parsing: "semver:^1.2").description == "semver:^1.2")
    }

    @Test func semverRanges() throws {
        func matches(_ range: String, _ versions: [String]) throws -> [String] {
            let r = try SemverRange(range)
            return versions.filter { r.contains(SemanticVersion($0)!) }
        }
        let all = ["0.1.0", "0.1.5", "0.2.0", "1.0.0", "1.2.0", "1.2.9", "1.3.0", "2.0.0-rc.1", "2.0.0", "2.5.1"]
        #expect(try matches(">=1.0.0 <2.0.0", all) == ["1.0.0", "1.2.0", "1.2.9", "1.3.0"])
        #expect(try matches(">= 1.2, < 1.3", all) == ["1.2.0", "1.2.9"])
        #expect(try matches("~1.2.0", all) == ["1.2.0", "1.2.9"])
        #expect(try matches("^1.2", all) == ["1.2.0", "1.2.9", "1.3.0"])
        #expect(try matches("^0.1.2", all) == ["0.1.5"])
        #expect(try matches("1.2.x", all) == ["1.2.0", "1.2.9"])
        #expect(try matches("*", all) == all.filter { !$0.contains("-") })
        #expect(try matches(">=2.0.0-rc.0", all) == ["2.0.0-rc.1", "2.0.0", "2.5.1"])
        #expect(try matches("1.0.0 - 1.2.0 || >2.1", all) == ["1.0.0", "1.2.0", "2.5.1"])
        #expect(try matches(">1.2", all) == ["1.3.0", "2.0.0", "2.5.1"])
        #expect(try matches("<=1.2", all) == ["0.1.0", "0.1.5", "0.2.0", "1.0.0", "1.2.0", "1.2.9"])
        #expect(try matches("!=1.2.0, 1.2.x", all) == ["1.2.9"])
        #expect(try SemverRange(">=1").highest(of: all.compactMap(SemanticVersion.init)) == SemanticVersion("2.5.1"))
        #expect(SemanticVersion("v1.2") == SemanticVersion(major: 1, minor: 2, patch: 0))
        #expect(SemanticVersion("1.0.0-alpha")! < SemanticVersion("1.0.0-alpha.1")!)
        #expect(SemanticVersion("1.0.0-alpha.2")! < SemanticVersion("1.0.0-alpha.10")!)
        #expect(SemanticVersion("1.0.0-rc.1")! < SemanticVersion("1.0.0")!)
        #expect(SemanticVersion("latest") == nil)
    }

    @Test func knownHostsMatching() async throws {
        let dir = try TemporaryDirectory(prefix: "capstan-kh")
        try await SSHServer.keygen(dir.path + "/k1", passphrase: nil)
        try await SSHServer.keygen(dir.path + "/k2", passphrase: nil)
        let k1 = try String(contentsOfFile: dir.path + "/k1.pub", encoding: .utf8).split(separator: " ")
        let k2 = try String(contentsOfFile: dir.path + "/k2.pub", encoding: .utf8).split(separator: " ")
        let blob1 = Array(Data(base64Encoded: String(k1[1]))!)
        let file = """
        # comment
        git.example.com,10.0.0.1 \(k1[0]) \(k1[1])
        [git.example.com]:2222 \(k2[0]) \(k2[1])
        *.internal,!secret.internal \(k1[0]) \(k1[1])
        @cert-authority *.example.com \(k2[0]) \(k2[1])
        """
        let knownHosts = KnownHosts(parsing: file)
        #expect(knownHosts.check(host: "git.example.com", port: 22, key: blob1) == .trusted)
        #expect(knownHosts.check(host: "GIT.example.com", port: 22, key: blob1) == .trusted)
        #expect(knownHosts.check(host: "10.0.0.1", port: 22, key: blob1) == .trusted)
        guard case .mismatch = knownHosts.check(host: "git.example.com", port: 2222, key: blob1) else {
            Issue.record("a different key for [host]:port must be a mismatch")
            return
        }
        #expect(knownHosts.check(host: "a.internal", port: 22, key: blob1) == .trusted)
        guard case .unknown = knownHosts.check(host: "secret.internal", port: 22, key: blob1),
              case .unknown = knownHosts.check(host: "other.example.com", port: 22, key: blob1) else {
            Issue.record("negated patterns and cert-authority lines must not trust a host")
            return
        }
        #expect(KnownHosts.keyType(of: blob1) == "ssh-ed25519")
        #expect(KnownHosts.fingerprint(of: blob1).hasPrefix("SHA256:"))
    }

    @Test func messagesAreScrubbed() {
        let text = "fatal: https://bob:s3cr3t-pw@example.com/x.git refused token tok-123456 for ssh://git@h/x"
        let scrubbed = FailureClassifier.scrub(text, secrets: ["tok-123456"])
        #expect(!scrubbed.contains("s3cr3t-pw"))
        #expect(!scrubbed.contains("tok-123456"))
        #expect(scrubbed.contains("https://example.com/x.git"))
        #expect(GitCredentials(username: "u", password: "p4ss", sshPassphrase: "pp").description == "user u, password <redacted>, passphrase <redacted>")
    }

    @Test func credentialsComeFromFilesAndEnvironment() throws {
        let dir = try TemporaryDirectory(prefix: "capstan-cred")
        try "tok-from-file\n".write(toFile: dir.path + "/token", atomically: true, encoding: .utf8)
        let fromFile = try GitCredentials.load(tokenFile: dir.path + "/token", environment: [:])
        #expect(fromFile.password == "tok-from-file")
        #expect(fromFile.username == "git")
        let fromEnv = try GitCredentials.load(username: "bot", environment: ["CAPSTAN_GIT_TOKEN": "tok-env", "CAPSTAN_SSH_PASSPHRASE": "pp"])
        #expect(fromEnv.password == "tok-env")
        #expect(fromEnv.username == "bot")
        #expect(fromEnv.sshPassphrase == "pp")
        #expect(throws: SourceError.self) { try GitCredentials.load(passwordFile: dir.path + "/missing", environment: [:]) }
    }
}
