import ArgumentParser

/// The `capstan` command line: one executable for the daemon and every tool.
@main
struct Capstan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "GitOps reconciler for Cluster API fleets.",
        subcommands: [
            VersionCommand.self,
            GetCommand.self,
            StoreStressCommand.self,
            StatusCommand.self,
            SimCommand.self,
        ]
    )
}
