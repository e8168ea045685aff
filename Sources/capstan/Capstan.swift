import ArgumentParser

/// The `capstan` command line: one executable for the daemon and every tool.
@main
struct Capstan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "GitOps reconciler for Cluster API fleets.",
        subcommands: [
            LintCommand.self,
            CELCommand.self,
            ValidateCommand.self,
            PolicyCommand.self,
            SourceCommand.self,
            VersionCommand.self,
            GitWorkerCommand.self,
            GetCommand.self,
            StoreStressCommand.self,
        ]
    )
}
