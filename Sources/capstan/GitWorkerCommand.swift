import ArgumentParser
import CapstanGit
import Foundation

/// `capstan __git-worker` (hidden): runs one Git network operation for a supervising Capstan process.
/// The request arrives as JSON on stdin and the answer leaves as JSON lines on stdout; see `GitWorker`.
struct GitWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: GitWorker.subcommand,
        abstract: "Internal: run one Git network operation for a supervising capstan process.",
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
