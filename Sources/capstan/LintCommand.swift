import ArgumentParser
import CapstanFleet
import CapstanModel
import Foundation

/// `capstan lint [PATH ...]`: syntax and identity problems in fleet YAML, one `file:line:col: message`
/// line each, every file checked even when others fail.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check fleet YAML files for syntax errors and object identity problems.",
        discussion: """
            Reads every .yaml and .yml file under each PATH (a directory, searched
            recursively, or a file, read whatever its extension; default: the current
            directory) and prints each problem on its own line as
            `file:line:col: message`, with paths as you gave them. Every file is
            checked even when others fail. It reports:

              - YAML syntax errors: malformed YAML, tabs used for indentation,
                invalid UTF-8 or control characters (binary files), duplicate
                mapping keys, unknown anchors, bad `<<` merges
              - values Kubernetes cannot read: .inf and .nan, null or unsigned
                64-bit map keys, scalars that do not fit their !!int/!!bool tag
              - exceeded limits: files over 64 MiB, documents over 8 MiB, nesting
                deeper than 512 levels, aliases expanding to over 100,000 nodes
              - documents that are not objects (maps); a missing apiVersion, kind
                or metadata.name
              - the same object (group, kind, namespace, name) defined twice,
                with both locations
              - invalid names, namespaces, label keys and values, annotation
                keys; label and annotation values that are not strings

            Scalars are typed as Kubernetes reads manifests (YAML 1.1): yes, on
            and y are booleans, 012 is octal 10, 1.0 is the integer 1. Quote
            strings that look like something else.

            A one-line summary goes to standard error. Exit status: 0 when no
            problems were found, 1 otherwise.

            With --repo the fleet is read from a Git revision instead (see
            docs/git.md); a directory's .capstanignore is applied either way.

            Examples:
              capstan lint                      # the current directory
              capstan lint fleet/ extra.yaml    # a directory and a file
              capstan lint --repo https://git.example.com/fleet.git --path clusters
            """)

    @OptionGroup var fleet: FleetSourceOptions

    func run() async throws {
        var diagnostics: [Diagnostic] = []
        var sources: [FleetSource] = []
        if fleet.usesRepository {
            do {
                sources = try await fleet.resolve().sources
            } catch {
                diagnostics.append(Diagnostic(.error, message: "\(error)"))
            }
        }
        var seen = Set<String>()
        for path in fleet.usesRepository ? [] : fleet.pathsOrCurrentDirectory where seen.insert(path).inserted {
            do {
                sources.append(try Self.source(for: path))
            } catch {
                diagnostics.append(Diagnostic(.error, message: "\(error)"))
            }
        }
        let report = Self.lint(sources)
        diagnostics = report.diagnostics + diagnostics
        // Problems to standard output, written before the summary so the two never interleave.
        let output = diagnostics.map { $0.description + "\n" }.joined()
        FileHandle.standardOutput.write(Data(output.utf8))
        let files = report.snapshot.files.count
        let objects = report.snapshot.objects.count
        let problems = diagnostics.count
        let summary = "capstan lint: \(files) file\(files == 1 ? "" : "s"), \(objects) object\(objects == 1 ? "" : "s"): "
            + (problems == 0 ? "no problems" : "\(problems) problem\(problems == 1 ? "" : "s")")
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode.failure }
    }

    /// What linting found: the snapshot and its diagnostics in file and line order.
    struct Report {
        var snapshot: FleetSnapshot
        var diagnostics: [Diagnostic]
    }

    /// Lints fleet sources, wherever their trees come from (a directory here; a Git revision elsewhere).
    static func lint(_ sources: [FleetSource], loader: FleetLoader = FleetLoader()) -> Report {
        let snapshot = loader.load(sources)
        return Report(snapshot: snapshot, diagnostics: snapshot.sortedDiagnostics)
    }

    /// A directory or file on disk as a source whose locations show `path` as the user typed it.
    static func source(for path: String) throws -> FleetSource {
        try FleetSourceOptions.directorySource(path, fileExtensions: ["yaml", "yml"])
    }
}
