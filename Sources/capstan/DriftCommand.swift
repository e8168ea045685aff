import ArgumentParser
import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPlan
import CapstanStore
import Foundation

/// `capstan drift [--management STATE_DIR] [PATH ... | --repo URL ...] [-o text|markdown|json|yaml] [--correct]`:
/// what in the management cluster differs from the fleet.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the management cluster with the fleet: fields changed behind Capstan's back, missing and leftover objects.",
        discussion: """
            Renders the fleet (PATHs, or a Git revision with --repo) against the embedded management
            cluster in --management (default: $CAPSTAN_STATE_DIR, else .state) and reports per Cluster:
            fields Capstan sets whose live value differs (desired and live values, and which field
            manager changed them), objects Capstan wants that are missing, and objects Capstan applied
            that the fleet no longer wants. Status, defaults and fields other managers add are never
            drift. Secret values are never shown.

            The store is opened read-only, so this works while the daemon runs. --correct re-applies the
            drifted and missing objects with Capstan's field managers (server-side apply, force); it needs
            the state directory's write lock, so stop the daemon first. Objects no longer wanted are only
            reported. See docs/drift.md.

            Exit status: 0 in sync (or everything corrected), 2 drift found, 1 errors (the fleet does not
            load, a Cluster does not render, a correction failed, the store is locked or missing).

            Examples:
              capstan drift --management .state fleet-example
              capstan drift --management .state --repo . --ref main -o markdown
              capstan drift --management .state fleet-example --correct
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json, yaml }

    @OptionGroup var fleet: FleetSourceOptions

    @Option(name: .customLong("management"), help: ArgumentHelp("State directory of the embedded management cluster (default: $CAPSTAN_STATE_DIR, else .state).", valueName: "state-dir"))
    var management: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: text, markdown, json or yaml.")
    var format: Format = .text

    @Flag(help: "Re-apply drifted and missing objects (server-side apply with Capstan's field managers, force).")
    var correct = false

    @Option(name: .customLong("ignore-manager"), help: ArgumentHelp("Fields whose live value this field manager owns are not drift (e.g. an autoscaler); repeatable.", valueName: "name"))
    var ignoredManagers: [String] = []

    @Option(name: .customLong("report-dir"), help: ArgumentHelp("Also write one report per Cluster as <dir>/<namespace>/<name>.yaml (fleet objects: <dir>/fleet.yaml).", valueName: "dir"))
    var reportDirectory: String?

    func run() async throws {
        let stateDir = management ?? ProcessInfo.processInfo.environment["CAPSTAN_STATE_DIR"] ?? ".state"
        let result: DriftCheck.Result
        do {
            let resolved = try await fleet.resolve()
            let snapshot = FleetLoader().load(resolved.sources)
            let store = try await ClusterStore.open(stateDirectory: stateDir, readOnly: !correct)
            defer { try? store.close() }
            let check = DriftCheck(detector: DriftDetector(ignoredManagers: Set(ignoredManagers)))
            result = try await check.run(fleet: snapshot, cluster: store.cluster, kinds: store.cluster.kindRegistry.all.map(\.gvk), correct: correct)
        } catch let error as StoreError {
            if case .locked = error, correct {
                FileHandle.standardError.write(Data("capstan drift: --correct needs the write lock: \(error)\n".utf8))
            } else {
                FileHandle.standardError.write(Data("capstan drift: \(error)\n".utf8))
            }
            throw ExitCode.failure
        } catch {
            FileHandle.standardError.write(Data("capstan drift: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let text: String
        switch format {
        case .text: text = DriftOutput.text(result)
        case .markdown: text = DriftOutput.markdown(result)
        case .json: text = JSON.serializePretty(DriftOutput.json(result)) + "\n"
        case .yaml: text = DriftOutput.yaml(result)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        if format != .text { FileHandle.standardError.write(Data("capstan drift: \(DriftOutput.summary(result))\n".utf8)) }
        if let reportDirectory {
            for file in DriftOutput.files(result, directory: reportDirectory) {
                let url = URL(fileURLWithPath: file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
        }
        let errors = !result.problems.isEmpty || result.reports.contains { r in r.diagnostics.contains { $0.severity == .error } || r.objects.contains { $0.corrected == false } }
        if errors { throw ExitCode.failure }
        let remaining = result.reports.contains { r in r.objects.contains { $0.corrected != true } }
        if remaining { throw ExitCode(2) }
    }
}
