import ArgumentParser
import CapstanFleet
import CapstanGit
import Foundation

/// `capstan-bench git`: Capstan's Git edge next to the `git` CLI on the same generated fleet repository,
/// served by `git daemon` on loopback: first mirror, a poll with no change, a poll after a one-file commit,
/// and reading every file of a revision. Medians of `--runs` runs, in milliseconds.
struct GitBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "git", abstract: "Mirror, poll and read a fleet repository vs the git CLI.")

    @Option(help: "Cluster files in the generated fleet.") var files = 10_000
    @Option(help: "Commits in the generated history.") var commits = 1_000
    @Option(help: "Runs per measurement (the median is shown).") var runs = 5

    func run() async throws {
        let worker = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("capstan").path
        guard FileManager.default.isExecutableFile(atPath: worker) else {
            throw ValidationError("build the capstan executable next to capstan-bench first (\(worker))")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-gitbench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let repos = scratch + "/repos"
        let bare = repos + "/fleet.git"
        let start = ContinuousClock.now
        try BenchFleet.generate(at: bare, files: files, commits: commits)
        let size = try Shell.git(["count-objects", "-vH"], in: bare).split(separator: "\n").first { $0.hasPrefix("size-pack") } ?? ""
        print("generated \(files) files, \(commits) commits (\(size)) in \(format(ContinuousClock.now - start))")

        let daemon = try GitDaemonProcess(root: repos)
        defer { daemon.stop() }
        let url = "git://127.0.0.1:\(daemon.port)/fleet.git"
        let remote = GitRemote(url: try GitRemoteURL(url), proxy: .none, timeout: 600, workerExecutable: worker)

        var rows: [(String, [Double], [Double], String)] = []

        // 1. First mirror.
        var capstanFirst: [Double] = [], gitFirst: [Double] = []
        var source: GitFleetSource!
        for run in 0..<runs {
            let state = scratch + "/state-\(run)"
            let candidate = try GitFleetSource(remote: remote, stateDirectory: state)
            capstanFirst.append(try await time { _ = try await candidate.poll() })
            source = candidate
            gitFirst.append(try time { try Shell.git(["clone", "-q", "--mirror", url, scratch + "/cli-\(run).git"]) })
        }
        rows.append(("first mirror", capstanFirst, gitFirst, "git clone --mirror"))

        // 2. Poll with no change: one ref listing.
        var capstanIdle: [Double] = [], gitIdle: [Double] = [], gitFetchIdle: [Double] = []
        let cliMirror = scratch + "/cli-0.git"
        for _ in 0..<runs {
            capstanIdle.append(try await time {
                let result = try await source.pollDetailed()
                precondition(!result.fetched, "a poll without a change must not fetch")
            })
            gitIdle.append(try time { try Shell.git(["ls-remote", url, "refs/heads/main"]) })
            gitFetchIdle.append(try time { try Shell.git(["fetch", "-q", "origin"], in: cliMirror) })
        }
        rows.append(("poll, no change", capstanIdle, gitIdle, "git ls-remote"))
        rows.append(("", [], gitFetchIdle, "git fetch (mirror)"))

        // 3. Poll after a one-file commit: both fetch the same new commit.
        var capstanChange: [Double] = [], gitChange: [Double] = []
        for run in 0..<runs {
            try BenchFleet.commitOneFile(at: bare, run: run)
            capstanChange.append(try await time {
                let result = try await source.pollDetailed()
                precondition(result.fetched, "a poll after a commit must fetch")
            })
            gitChange.append(try time { try Shell.git(["fetch", "-q", "origin"], in: cliMirror) })
        }
        rows.append(("poll after 1-file commit", capstanChange, gitChange, "git fetch"))

        // 4. Read every file of the revision.
        let revision = try await source.poll()
        var capstanRead: [Double] = [], gitRead: [Double] = []
        var bytes = 0
        for _ in 0..<runs {
            capstanRead.append(try time {
                let tree = try source.tree(at: revision)
                bytes = 0
                for entry in try tree.entries() { bytes += try tree.contents(of: entry.path).count }
            })
            gitRead.append(try time { try Shell.git(["archive", "--format=tar", revision.id], in: cliMirror, discardOutput: true) })
        }
        rows.append(("read whole fleet (\(bytes / 1024) KiB)", capstanRead, gitRead, "git archive"))

        print("\n" + "measurement".padding(toLength: 30, withPad: " ", startingAt: 0) + "capstan ms   git CLI ms   (git command)")
        for (name, capstan, git, command) in rows {
            let c = capstan.isEmpty ? "" : String(format: "%9.1f", median(capstan))
            print(name.padding(toLength: 30, withPad: " ", startingAt: 0) + c.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "%10.1f", median(git)) + "   " + command)
        }
    }

    private func time(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return milliseconds(ContinuousClock.now - start)
    }

    private func time(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        return milliseconds(ContinuousClock.now - start)
    }

    private func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private func format(_ d: Duration) -> String { String(format: "%.1f s", milliseconds(d) / 1000) }
}

/// The generated fleet: `clusters/region-<r>/cluster-<n>.yaml` topology Clusters, written with `git fast-import`.
enum BenchFleet {
    static func cluster(_ index: Int, revision: Int) -> String {
        """
        apiVersion: cluster.x-k8s.io/v1beta1
        kind: Cluster
        metadata:
          name: cluster-\(index)
          namespace: region-\(index % 20)
          labels:
            env: \(index % 3 == 0 ? "prod" : "staging")
            revision: "\(revision)"
        spec:
          topology:
            class: standard
            version: v1.30.\(revision % 5)
            controlPlane:
              replicas: 3
            workers:
              machineDeployments:
              - class: default-worker
                name: md-0
                replicas: \(2 + index % 4)

        """
    }

    static func path(_ index: Int) -> String { "clusters/region-\(index % 20)/cluster-\(String(format: "%05d", index)).yaml" }

    static func generate(at bare: String, files: Int, commits: Int) throws {
        try Shell.git(["init", "-q", "--bare", "-b", "main", bare])
        var stream = Data()
        func add(_ text: String) { stream.append(Data(text.utf8)) }
        func file(_ index: Int, revision: Int) {
            let body = cluster(index, revision: revision)
            add("M 100644 inline \(path(index))\ndata \(body.utf8.count)\n\(body)\n")
        }
        for commit in 0..<commits {
            let message = commit == 0 ? "fleet" : "change \(commit)"
            add("commit refs/heads/main\ncommitter Bench <bench@example.com> \(1_700_000_000 + commit) +0000\ndata \(message.utf8.count)\n\(message)\n")
            if commit == 0 {
                for index in 0..<files { file(index, revision: 0) }
            } else {
                for k in 0..<10 { file((commit * 37 + k * 1013) % files, revision: commit) }
            }
            add("\n")
        }
        let input = bare + "/bench.stream"
        try stream.write(to: URL(fileURLWithPath: input))
        try Shell.run("/bin/sh", ["-c", "git fast-import --quiet < bench.stream && rm bench.stream"], in: bare)
    }

    /// One new commit changing one file, on top of main.
    static func commitOneFile(at bare: String, run: Int) throws {
        let body = cluster(7, revision: 100_000 + run)
        let message = "bench change \(run)"
        let stream = "commit refs/heads/main\ncommitter Bench <bench@example.com> \(1_800_000_000 + run) +0000\ndata \(message.utf8.count)\n\(message)\nfrom refs/heads/main^0\nM 100644 inline \(path(7))\ndata \(body.utf8.count)\n\(body)\n\n"
        try Shell.run("/bin/sh", ["-c", "git fast-import --quiet"], in: bare, stdin: stream)
    }
}

/// Runs commands for the benchmark with a clean Git environment.
enum Shell {
    static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        return env
    }()

    @discardableResult
    static func git(_ arguments: [String], in directory: String? = nil, discardOutput: Bool = false) throws -> String {
        try run("/usr/bin/git", arguments, in: directory, discardOutput: discardOutput)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                    discardOutput: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = discardOutput ? FileHandle.nullDevice : output
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let data = discardOutput ? Data() : output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(executable) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `git daemon` in the foreground on a free loopback port, stopped with its children at the end.
final class GitDaemonProcess {
    let port: Int
    private let process: Process

    init(root: String) throws {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                _ = bind(probe, pointer, length)
                return getsockname(probe, pointer, &length)
            }
        }
        close(probe)
        port = Int(UInt16(bigEndian: address.sin_port))
        process = Process()
        // The daemon itself, not the `git` wrapper (which would not pass our signal on).
        process.executableURL = URL(fileURLWithPath: "/usr/lib/git-core/git-daemon")
        process.arguments = ["--reuseaddr", "--export-all", "--base-path=\(root)", "--listen=127.0.0.1", "--port=\(port)", root]
        process.environment = Shell.environment
        process.standardError = FileHandle.nullDevice  // upload-pack's "remote end hung up" after ls-remote is noise
        try process.run()
        for _ in 0..<250 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var target = address
            target.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            usleep(20_000)
        }
        process.terminate()
        throw ValidationError("git daemon did not start on port \(port)")
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
