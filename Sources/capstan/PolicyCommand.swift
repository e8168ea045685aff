import ArgumentParser
import CapstanFleet
import CapstanModel
import CapstanPolicy
import Foundation

/// `capstan policy`: tools for policy authors.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Policy authoring tools.", subcommands: [PolicyTestCommand.self])
}

/// `capstan policy test DIR ...`: runs every `capstan-policy-test.yaml` suite under each DIR and prints one
/// line per case; exit 1 on any mismatch or broken suite. See docs/policies.md for the file format.
struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run policy test suites (capstan-policy-test.yaml files).",
        discussion: """
            Finds every capstan-policy-test.yaml under each DIR (or takes the file given), loads the policy
            files and fixture files it names (paths relative to the test file), evaluates each case's
            object and compares the outcome (pass, deny, warn, audit or skip, and optionally a message
            substring) with the expected one. Prints one line per case and `N passed, M failed`.
            Exit status: 1 when a case fails or a suite, policy or fixture cannot be read; 0 otherwise.

            Examples:
              capstan policy test policies
              capstan policy test policies/worker-replicas-bounds/capstan-policy-test.yaml
            """)

    @Argument(help: ArgumentHelp("Directories holding test suites, or suite files.", valueName: "dir"))
    var directories: [String]

    func run() throws {
        var passed = 0, failed = 0
        var out = ""
        for dir in directories {
            let files: [String]
            do {
                files = try Self.suiteFiles(under: dir)
            } catch {
                out += "\(dir): \(error)\n"
                failed += 1
                continue
            }
            if files.isEmpty {
                out += "\(dir): no \(PolicyTestSuite.fileName) found\n"
                failed += 1
            }
            for file in files {
                let (p, f, text) = Self.runSuites(in: file)
                passed += p
                failed += f
                out += text
            }
        }
        out += "\(passed) passed, \(failed) failed\n"
        FileHandle.standardOutput.write(Data(out.utf8))
        if failed > 0 { throw ExitCode.failure }
    }

    /// The suite files under `path` (or `path` itself when it is a file), as display paths.
    static func suiteFiles(under path: String) throws -> [String] {
        let tree = DirectoryTree(path: path)
        if try tree.isSingleFile() { return [path] }
        let prefix = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        return try tree.entries().map(\.path).filter { $0.split(separator: "/").last.map(String.init) == PolicyTestSuite.fileName }
            .map { prefix + $0 }
    }

    /// Runs every suite of one file; returns passed and failed counts and the report text.
    static func runSuites(in file: String) -> (Int, Int, String) {
        let loaded = FleetLoader(checkIdentity: false).load([FleetSource(tree: DirectoryTree(path: file), readsEveryFile: true) { _ in file }])
        if loaded.hasErrors {
            return (0, 1, loaded.sortedDiagnostics.map { "\($0)\n" }.joined())
        }
        let suites = loaded.objects.filter { $0.key.kind == PolicyTestSuite.kind }
        if suites.isEmpty { return (0, 1, "\(file): no object of kind \(PolicyTestSuite.kind)\n") }
        var passed = 0, failed = 0, out = ""
        let directory = (file as NSString).deletingLastPathComponent
        for object in suites {
            let suite = PolicyTestSuite(object)
            out += "\(file): \(suite.name)\n"
            var problems = suite.problems
            func load(_ paths: [String]) -> [FleetObject] {
                let sources = paths.map { relative -> FleetSource in
                    let full = directory.isEmpty ? relative : directory + "/" + relative
                    return FleetSource(tree: DirectoryTree(path: full), readsEveryFile: true) { sub in
                        (try? DirectoryTree(path: full).isSingleFile()) == true ? full : full + "/" + sub
                    }
                }
                for (path, source) in zip(paths, sources) where (try? source.tree.entries()) == nil {
                    problems.append(Diagnostic(.error, at: suite.location, message: "cannot read \(path) (relative to \(file))"))
                }
                let snapshot = FleetLoader(checkIdentity: false).load(sources)
                problems += snapshot.sortedDiagnostics.filter { $0.severity == .error }
                return snapshot.objects
            }
            let policyObjects = load(suite.policyFiles)
            let resources = load(suite.resourceFiles)
            let engine = PolicyEngine(objects: policyObjects + resources)
            problems += engine.diagnostics.filter { $0.severity == .error }
            if !problems.isEmpty {
                out += problems.map { "  ERROR \($0)\n" }.joined()
                failed += 1
                continue
            }
            for result in suite.run(engine: engine, resources: resources) {
                let c = result.testCase
                if result.passed {
                    passed += 1
                    out += "  ok    \(c.title): \(c.expect.rawValue)\n"
                } else {
                    failed += 1
                    let got = result.outcome.map { "got \($0.rawValue)" } ?? "not run"
                    out += "  FAIL  \(c.location): \(c.title): expected \(c.expect.rawValue), \(got)"
                        + (result.detail.isEmpty ? "" : ": \(result.detail)") + "\n"
                }
            }
        }
        return (passed, failed, out)
    }
}
