import ArgumentParser
import CapstanFleet
import CapstanGit

/// `capstan source`: shows which revision and which files Capstan reads from a fleet (after `--path` and
/// `.capstanignore`), one `<content id>  <path>` line per file.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Show the revision and the files Capstan reads from a fleet (paths or --repo).",
        discussion: """
            With --repo, mirrors the repository under --state-dir (bounded by --git-timeout), resolves the ref
            and lists the files of the fleet at that revision as Capstan reads them (scoped to --path,
            .capstanignore applied). See docs/git.md.

            Examples:
              capstan source --repo https://git.example.com/platform/fleet.git --ref main --path fleet
              capstan source --repo ssh://git@git.example.com/platform/fleet.git --ssh-key ~/.ssh/id_ed25519 --ref 'semver:>=1.2 <2'
              capstan source fleet-example
            """)

    @OptionGroup var fleet: FleetSourceOptions

    func run() async throws {
        let resolved: FleetSourceOptions.Resolved
        do {
            resolved = try await fleet.resolve(fileExtensions: nil)
        } catch let error as SourceError {
            throw ValidationErrorMessage(error.description)
        }
        if let revision = resolved.revision { print("revision \(revision)") }
        for source in resolved.sources {
            let entries: [FileEntry]
            do { entries = try source.tree.entries() } catch { throw ValidationErrorMessage("\(error)") }
            for entry in entries { print("\(entry.contentID)  \(source.displayPath(entry.path))") }
        }
    }
}

/// An error printed as is (`error: <message>`), exit status 1.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
