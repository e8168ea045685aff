import ArgumentParser

/// `capstan version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the Capstan version.")

    func run() throws {
        print("capstan \(CapstanVersion.current)")
    }
}

/// The version string, set at release time.
enum CapstanVersion {
    static let current = "0.1.0-dev"
}
