import CapstanFleet
import CapstanGit
import CapstanTesting
import Foundation
import Testing

/// `capstan source` exercises the shared `FleetSourceOptions` (`--repo/--ref/--path`, auth options, state dir).
@Suite(.serialized) struct SourceCommandTests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CLI.Result {
        try await offloaded { try CLI.run(arguments, environment: environment, timeout: 60) }
    }

    @Test func readsARepositoryRevisionScopedToAPath() async throws {
        let served = try await Served(.file)
        let head = try await served.fixture.head()
        let result = try await run(["source", "--repo", served.remote.url.url, "--ref", "main", "--path", "clusters",
                                    "--state-dir", served.state.path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let alpha = try await GitCLI.run(["rev-parse", "main:clusters/alpha.yaml"], in: served.fixture.barePath)
        #expect(result.stdout.split(separator: "\n").map(String.init) == [
            "revision main@sha1:\(head)", "\(alpha)  clusters/alpha.yaml",
            "\(try await GitCLI.run(["rev-parse", "main:clusters/beta.yaml"], in: served.fixture.barePath))  clusters/beta.yaml",
        ])
        #expect(FileManager.default.fileExists(atPath: served.state.path + "/git"))
        // Not a terminal: no progress on stderr.
        #expect(!result.stderr.contains("Receiving objects"))
    }

    @Test func credentialsFromFilesAndEnvironmentNeverPrinted() async throws {
        let secret = "s3cret-for-cli"
        let served = try await Served(.http, basicAuth: ("fleet", secret))
        let url = served.remote.url.url
        let passwordFile = served.state.path + "/password"
        try (secret + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let ok = try await run(["source", "--repo", url, "--username", "fleet", "--password-file", passwordFile,
                                "--state-dir", served.state.path])
        #expect(ok.exitCode == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("clusters/alpha.yaml"))

        let fromEnv = try await run(["source", "--repo", url, "--state-dir", served.state.path + "/env"],
                                    environment: ["CAPSTAN_GIT_USERNAME": "fleet", "CAPSTAN_GIT_TOKEN": secret])
        #expect(fromEnv.exitCode == 0, "\(fromEnv.stderr)")

        let wrong = try await run(["source", "--repo", url, "--state-dir", served.state.path],
                                  environment: ["CAPSTAN_GIT_USERNAME": "fleet", "CAPSTAN_GIT_PASSWORD": "nope-\(secret)"])
        #expect(wrong.exitCode != 0)
        #expect(wrong.stderr.contains("authFailed"))
        for output in [ok.stdout, ok.stderr, wrong.stdout, wrong.stderr] { #expect(!output.contains(secret)) }
    }

    @Test func progressIsShownOnATerminal() async throws {
        let served = try await Served(.git)
        let command = "\(workerExecutable) source --repo \(served.remote.url.url) --state-dir \(served.state.path)"
        // `script` gives the command a pseudo-terminal, so stderr is a TTY.
        let result = try await offloaded {
            try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], timeout: 60)
        }
        #expect(result.exitCode == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Receiving objects: 100%"))
        #expect(result.stdout.contains("clusters/alpha.yaml"))
    }

    @Test func pathsAndRepoAreExclusive() async throws {
        let both = try await run(["source", "fleet", "--repo", "file:///nowhere"])
        #expect(both.exitCode != 0)
        #expect(both.stderr.contains("not both"))
        let refWithoutRepo = try await run(["source", "fleet", "--ref", "main"])
        #expect(refWithoutRepo.stderr.contains("--ref and --path need --repo"))
        let passwordInURL = try await run(["source", "--repo", "https://u:hunter22@example.com/x.git", "--state-dir", "/tmp/unused"])
        #expect(passwordInURL.exitCode != 0)
        #expect(!passwordInURL.stderr.contains("hunter22"))
    }

    @Test func directoriesApplyTheirCapstanignore() async throws {
        let dir = try TemporaryDirectory(prefix: "capstan-cli")
        try FileManager.default.createDirectory(atPath: dir.path + "/fleet", withIntermediateDirectories: true)
        try "a: 1\n".write(toFile: dir.path + "/fleet/a.yaml", atomically: true, encoding: .utf8)
        try "n\n".write(toFile: dir.path + "/fleet/notes.md", atomically: true, encoding: .utf8)
        try "*.md\n".write(toFile: dir.path + "/fleet/.capstanignore", atomically: true, encoding: .utf8)
        let result = try await run(["source", dir.path + "/fleet"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("  \(dir.path)/fleet/a.yaml\n"))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }

    @Test func lintReadsARepository() async throws {
        let fleet = [
            "clusters/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
            "clusters/drafts/broken.yaml": "a: [\n",
            "clusters/.capstanignore": "drafts/\n",
            "other/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
        ]
        let served = try await Served(.git, files: fleet)
        let clean = try await run(["lint", "--repo", served.remote.url.url, "--path", "clusters", "--state-dir", served.state.path])
        #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stderr == "capstan lint: 1 file, 1 object: no problems\n")

        _ = try await served.fixture.commit(files: ["clusters/bad.yaml": "kind: Secret\nmetadata: {name: Bad_Name}\n"])
        let bad = try await run(["lint", "--repo", served.remote.url.url, "--path", "clusters", "--state-dir", served.state.path])
        #expect(bad.exitCode == 1)
        #expect(bad.stdout.hasPrefix("clusters/bad.yaml:1:1: Secret Bad_Name: apiVersion: required field is missing"), "\(bad.stdout)")

        let missing = try await run(["lint", "--repo", served.remote.url.url, "--ref", "nope", "--state-dir", served.state.path])
        #expect(missing.exitCode == 1)
        #expect(missing.stdout.contains("notFound"), "\(missing.stdout)")
    }
}
