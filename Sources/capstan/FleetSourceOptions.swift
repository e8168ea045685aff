import ArgumentParser
import CapstanFleet
import CapstanGit
import Foundation
import Synchronization

/// The options of every command that reads a fleet: either paths (files or directories), or a Git repository
/// (`--repo URL [--ref REF] [--path DIR]`) mirrored under `--state-dir` and read at one revision without a
/// checkout. Secrets come from files (`--password-file`, `--token-file`, `--ssh-passphrase-file`) or the
/// environment (`CAPSTAN_GIT_PASSWORD`, `CAPSTAN_GIT_TOKEN`, `CAPSTAN_SSH_PASSPHRASE`), never from arguments.
struct FleetSourceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Fleet files or directories (default: the current directory; or use --repo).", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Read the fleet from this Git repository: a path, file://, git://, http(s):// or ssh:// URL.", valueName: "url"))
    var repo: String?

    @Option(help: ArgumentHelp("With --repo: branch, tag:<name>, semver:<range>, commit:<id> or a full ref (default: the remote's default branch).", valueName: "ref"))
    var ref: String?

    @Option(help: ArgumentHelp("With --repo: the fleet's directory inside the repository (its .capstanignore applies).", valueName: "dir"))
    var path: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where Git mirrors are kept (default: $XDG_CACHE_HOME/capstan, else .capstan).", valueName: "dir"))
    var stateDir: String?

    @OptionGroup var access: GitAccessOptions

    func validate() throws {
        if repo != nil && !paths.isEmpty { throw ValidationError("give fleet paths or --repo, not both") }
        if repo == nil && (ref != nil || path != nil) { throw ValidationError("--ref and --path need --repo") }
    }

    /// Whether the fleet comes from `--repo`.
    var usesRepository: Bool { repo != nil }

    /// The paths to read (the current directory when none are given).
    var pathsOrCurrentDirectory: [String] { paths.isEmpty ? ["."] : paths }

    /// A fleet ready to read: the trees for the loader, and the Git revision when one was read.
    struct Resolved {
        var sources: [FleetSource]
        var revision: Revision?
        /// What was read, for messages (`git://host/fleet.git main@sha1:…`, or the paths).
        var label: String
    }

    /// Polls the repository (mirroring it on first use) and reads the revision, or wraps the paths. Directories
    /// list only files with `fileExtensions` (nil: every file) and apply their `.capstanignore`; a file named
    /// directly is read whatever its extension. Locations show paths as the user typed them.
    func resolve(fileExtensions: Set<String>? = ["yaml", "yml"]) async throws -> Resolved {
        guard repo != nil else {
            var seen = Set<String>()
            let sources = try pathsOrCurrentDirectory.filter { seen.insert($0).inserted }.map {
                try Self.directorySource($0, fileExtensions: fileExtensions)
            }
            return Resolved(sources: sources, revision: nil, label: pathsOrCurrentDirectory.joined(separator: " "))
        }
        let source = try gitSource()
        let revision = try await source.poll()
        let tree = try source.tree(at: revision)
        let scope = source.path
        return Resolved(sources: [FleetSource(tree: tree) { scope.isEmpty ? $0 : scope + "/" + $0 }], revision: revision,
                        label: "\(source.remote) \(revision)")
    }

    /// A file or directory on disk as a fleet source (a directory applies its `.capstanignore`).
    static func directorySource(_ path: String, fileExtensions: Set<String>?) throws -> FleetSource {
        let directory = DirectoryTree(path: path, fileExtensions: fileExtensions)
        if try directory.isSingleFile() {
            return FleetSource(tree: directory, readsEveryFile: true) { _ in path }
        }
        let prefix = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        return FleetSource(tree: try ScopedTree(base: directory, path: nil, label: path)) { prefix + $0 }
    }

    /// The Git source these options describe (requires `--repo`).
    func gitSource() throws -> GitFleetSource {
        guard let repo else { throw ValidationError("--repo is required") }
        let remote = try access.remote(url: repo)
        return try GitFleetSource(remote: remote, ref: try GitRef(parsing: ref), path: path ?? "",
                                  stateDirectory: stateDirectory, progress: TerminalProgress.ifStandardErrorIsTerminal())
    }

    /// `--state-dir`, else `$XDG_CACHE_HOME/capstan`, else `.capstan`.
    var stateDirectory: String {
        if let stateDir { return stateDir }
        if let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], !cache.isEmpty { return cache + "/capstan" }
        return ".capstan"
    }
}

/// Transfer progress on stderr (`Receiving objects:  42% (420/1000), 1.2 MiB`), only when stderr is a terminal.
final class TerminalProgress: Sendable {
    private let finished = Mutex(false)

    /// A progress callback for fetches, or nil when stderr is not a terminal.
    static func ifStandardErrorIsTerminal() -> (@Sendable (TransferProgress) -> Void)? {
        guard isatty(2) == 1 else { return nil }
        let progress = TerminalProgress()
        return { progress.show($0) }
    }

    func show(_ p: TransferProgress) {
        let done = p.totalObjects > 0 && p.receivedObjects == p.totalObjects
        let alreadyFinished = finished.withLock { finished in
            defer { finished = finished || done }
            return finished
        }
        if alreadyFinished { return }
        let percent = p.totalObjects > 0 ? p.receivedObjects * 100 / p.totalObjects : 0
        let mib = Double(p.receivedBytes) / 1_048_576
        let line = String(format: "\rReceiving objects: %3d%% (%d/%d), %.1f MiB", percent, p.receivedObjects, p.totalObjects, mib)
            + (done ? ", done.\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
