import Foundation

/// Runs the `git` command line for tests, isolated from the user's and the system's Git configuration.
public enum GitCLI {
    /// The git executable.
    public static let path = "/usr/bin/git"

    /// Fixed identity and dates, no user config.
    public static let environment: [String: String] = [
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": "/nonexistent",
        "GIT_AUTHOR_NAME": "Fixture", "GIT_AUTHOR_EMAIL": "fixture@example.com",
        "GIT_COMMITTER_NAME": "Fixture", "GIT_COMMITTER_EMAIL": "fixture@example.com",
        "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
    ]

    /// Runs `git args` in `directory` off the concurrency pool; throws with stderr when it fails. Returns
    /// stdout without the final newline.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                           environment extra: [String: String] = [:]) async throws -> String {
        try await offloaded { try runBlocking(arguments, in: directory, stdin: stdin, environment: extra) }
    }

    /// The exit status of `git args` (for commands that answer with it, like `merge-base --is-ancestor`).
    public static func exitStatus(_ arguments: [String], in directory: String? = nil) async throws -> Int32 {
        try await offloaded {
            try CLI.runExecutable(URL(fileURLWithPath: path), arguments, directory: directory.map { URL(fileURLWithPath: $0) },
                                  environment: environment, timeout: 60).exitCode
        }
    }

    /// `run`, blocking the calling thread (for code already off the pool).
    @discardableResult
    public static func runBlocking(_ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                                   environment extra: [String: String] = [:]) throws -> String {
        let result = try CLI.runExecutable(URL(fileURLWithPath: path), arguments, stdin: stdin,
                                           directory: directory.map { URL(fileURLWithPath: $0) },
                                           environment: environment.merging(extra) { $1 }, timeout: 60)
        guard result.exitCode == 0 else {
            throw ServerError("git \(arguments.joined(separator: " ")) failed (\(result.exitCode)): \(result.stderr)")
        }
        var out = result.stdout
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }
}

/// A repository to serve in tests: a bare repository under `<root>/repos/<name>` (the directory servers
/// export) and a working clone to make commits with the git CLI.
public final class GitFixture: Sendable {
    public let directory: TemporaryDirectory
    public let name: String

    /// The directory servers export (`--base-path`, `GIT_PROJECT_ROOT`).
    public var reposRoot: String { directory.path + "/repos" }
    /// The bare repository.
    public var barePath: String { reposRoot + "/" + name }
    /// The working clone.
    public var workPath: String { directory.path + "/work" }

    /// Creates the bare repository (default branch `main`, pushes allowed over every protocol) and commits
    /// `files` as the first commit.
    public init(name: String = "fleet.git", files: [String: String]) async throws {
        directory = try TemporaryDirectory(prefix: "capstan-git")
        self.name = name
        let (bare, work, repos) = (directory.path + "/repos/" + name, directory.path + "/work", directory.path + "/repos")
        try await offloaded {
            try FileManager.default.createDirectory(atPath: repos, withIntermediateDirectories: true)
            try GitCLI.runBlocking(["init", "-q", "--bare", "-b", "main", bare])
            try GitCLI.runBlocking(["config", "http.receivepack", "true"], in: bare)
            try GitCLI.runBlocking(["config", "daemon.receivepack", "true"], in: bare)
            try GitCLI.runBlocking(["init", "-q", "-b", "main", work])
            try GitCLI.runBlocking(["remote", "add", "origin", bare], in: work)
        }
        try await commit(files: files, message: "initial fleet")
    }

    /// Writes `files` in the working clone, commits and pushes `branch`; returns the new commit id.
    @discardableResult
    public func commit(files: [String: String], message: String = "change", branch: String = "main") async throws -> String {
        let workPath = self.workPath
        return try await offloaded {
        for (path, content) in files {
            let url = URL(fileURLWithPath: workPath + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try GitCLI.runBlocking(["add", "-A"], in: workPath)
        try GitCLI.runBlocking(["commit", "-q", "--allow-empty", "-m", message], in: workPath)
        try GitCLI.runBlocking(["push", "-q", "origin", "HEAD:refs/heads/\(branch)"], in: workPath)
        return try GitCLI.runBlocking(["rev-parse", "HEAD"], in: workPath)
        }
    }

    /// Replaces the last commit with a different one and force-pushes it (history rewritten on the remote).
    @discardableResult
    public func rewriteLastCommit(files: [String: String], branch: String = "main") async throws -> String {
        let workPath = self.workPath
        return try await offloaded {
        try GitCLI.runBlocking(["reset", "-q", "--hard", "HEAD~1"], in: workPath)
        for (path, content) in files {
            let url = URL(fileURLWithPath: workPath + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try GitCLI.runBlocking(["add", "-A"], in: workPath)
        try GitCLI.runBlocking(["commit", "-q", "-m", "rewritten"], in: workPath)
        try GitCLI.runBlocking(["push", "-q", "--force", "origin", "HEAD:refs/heads/\(branch)"], in: workPath)
        return try GitCLI.runBlocking(["rev-parse", "HEAD"], in: workPath)
        }
    }

    /// The commit `ref` points to in the bare repository.
    public func head(_ ref: String = "refs/heads/main") async throws -> String {
        try await GitCLI.run(["rev-parse", ref], in: barePath)
    }

    /// A file at `ref` in the bare repository.
    public func show(_ ref: String, _ path: String) async throws -> String {
        try await GitCLI.run(["show", "\(ref):\(path)"], in: barePath)
    }

    /// Adds `count` files of incompressible random bytes (`size` bytes each) in one commit, quickly
    /// (`git fast-import`), to make fetches that take a while.
    public func addRandomBlobs(count: Int, size: Int, branch: String = "main") async throws {
        let parent = try await head("refs/heads/\(branch)")
        let (barePath, workPath, scratch) = (self.barePath, self.workPath, directory.path)
        try await offloaded {
        var stream = Data()
        stream.append(Data("commit refs/heads/\(branch)\ncommitter Fixture <fixture@example.com> 1700000000 +0000\ndata 5\nbig!\nfrom \(parent)\n".utf8))
        guard let random = FileHandle(forReadingAtPath: "/dev/urandom") else { throw ServerError("no /dev/urandom") }
        defer { try? random.close() }
        for index in 0..<count {
            stream.append(Data("M 100644 inline blobs/blob-\(index).bin\ndata \(size)\n".utf8))
            stream.append(random.readData(ofLength: size))
            stream.append(0x0A)
        }
        let input = scratch + "/fast-import.stream"
        try stream.write(to: URL(fileURLWithPath: input))
        let result = try CLI.runExecutable(URL(fileURLWithPath: "/bin/sh"),
                                           ["-c", "\(GitCLI.path) fast-import --quiet < '\(input)'"],
                                           directory: URL(fileURLWithPath: barePath), environment: GitCLI.environment, timeout: 120)
        guard result.exitCode == 0 else { throw ServerError("fast-import failed: \(result.stderr)") }
        try FileManager.default.removeItem(atPath: input)
        try GitCLI.runBlocking(["fetch", "-q", "origin"], in: workPath)
        try GitCLI.runBlocking(["reset", "-q", "--hard", "origin/\(branch)"], in: workPath)
        }
    }
}
