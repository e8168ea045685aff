import ArgumentParser

/// The `capstan` command line: one executable for the daemon and every tool.
@main
struct Capstan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "GitOps reconciler for Cluster API fleets.",
        subcommands: [
            // The daemon
            RunCommand.self,
            // Review and render a fleet
            LintCommand.self,
            RenderCommand.self,
            ValidateCommand.self,
            PlanCommand.self,
            DriftCommand.self,
            PolicyCommand.self,
            CELCommand.self,
            SourceCommand.self,
            // The management cluster
            GetCommand.self,
            StatusCommand.self,
            // Misc
            VersionCommand.self,
            // Hidden helpers (child processes)
            GitWorkerCommand.self,
            StoreStressCommand.self,
            SimCommand.self,
        ]
    )
}
