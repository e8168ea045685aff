import ArgumentParser
import CapstanGit
import Foundation

/// `capstan __git-worker` (hidden): runs Git network operations for a supervising Capstan process, one request
/// at a time: each arrives as a JSON line on stdin, its answer leaves as JSON lines on stdout; it exits at
/// end-of-file. See `GitWorker` and `WorkerPool`.
struct GitWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: GitWorker.subcommand,
        abstract: "Internal: run Git network operations for a supervising capstan process.",
        shouldDisplay: false)

    func run() throws {
        // The supervisor decides when a worker stops (SIGKILL at its deadline). A Ctrl-C or a SIGTERM sent to the
        // whole process group must not kill a status push mid-way while the daemon is shutting down gracefully.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let status = GitWorker.runFromStandardIO()
        if status != 0 { throw ExitCode(status) }
    }
}
