import ArgumentParser

/// `capstan-bench`: benchmarks for the hot paths, run on a release build by `make bench`.
/// Each area adds one subcommand in its own file; `all` runs every area with default sizes.
@main
struct CapstanBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan-bench",
        abstract: "Benchmarks for Capstan's hot paths (run on a release build).",
        subcommands: [
            AllBenchmarks.self,
            YAMLBench.self,
            TemplateBench.self,
            CELBench.self,
            PolicyBench.self,
            GitBench.self,
            RenderBench.self,
            PlanBench.self,
            StoreBench.self,
            ProvidersBench.self,
            ReconcilerBench.self,
        ]
    )
}

/// Runs every benchmark with its default size.
struct AllBenchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark.")
    func run() async throws {
        for command in CapstanBench.configuration.subcommands where command != AllBenchmarks.self {
            print("== \(command.configuration.commandName ?? "")")
            var instance = try command.parseAsRoot([])
            if var asyncCommand = instance as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try instance.run()
            }
        }
    }
}
