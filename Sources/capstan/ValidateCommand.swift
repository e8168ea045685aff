import ArgumentParser
import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology
import Foundation

/// `capstan validate [PATH ... | --repo URL ...] [--policies DIR ...]`: evaluates every
/// ValidatingAdmissionPolicy (from the fleet and from policy directories) against every fleet object,
/// offline, as a CREATE, and against every object the topology Clusters render to. See docs/policies.md.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check fleet objects against ValidatingAdmissionPolicies (CEL), offline.",
        discussion: """
            Loads the fleet from each PATH (default: the current directory), or from a Git revision with
            --repo (see docs/git.md), and the policies found in it
            and in each --policies DIR (ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
            objects, plus their parameter objects; files named capstan-policy-test.yaml and files under a
            tests/ directory of a policy directory are fixtures and are skipped). Every fleet object is
            evaluated as a CREATE, and so is every object a topology Cluster renders to (control plane,
            MachineDeployments, templates, health checks), as the topology controller would create them;
            their verdicts point at the Cluster's file and line. Each failed check prints as

              file:line:col: Kind ns/name: policy P (binding B): Deny: message

            A Cluster that does not render (its ClusterClass is not in the fleet, a variable is invalid)
            is noted on standard error with the reason; its rendered objects are not checked (use
            `capstan render` to see why it fails).

            Policies that do not parse or compile are reported with their file and line. A summary goes
            to standard error. Exit status: 1 when a check denies, a policy or binding is broken, or a
            fleet file cannot be read; 0 otherwise (warnings are only printed).

            Examples:
              capstan validate fleet-example --policies policies
              capstan validate --repo . --ref main --policies policies -o json
            """)

    @OptionGroup var fleet: FleetSourceOptions

    @Option(name: .customLong("policies"), help: ArgumentHelp("A directory (or file) of policies, bindings and parameters (repeatable).", valueName: "dir"))
    var policyDirectories: [String] = []

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    func run() async throws {
        var problems: [Diagnostic] = []
        var fleetSources: [FleetSource] = []
        if fleet.usesRepository {
            do { fleetSources = try await fleet.resolve().sources } catch { problems.append(Diagnostic(.error, message: "\(error)")) }
        }
        var seen = Set<String>()
        for path in fleet.usesRepository ? [] : fleet.pathsOrCurrentDirectory where seen.insert(path).inserted {
            do { fleetSources.append(try LintCommand.source(for: path)) } catch { problems.append(Diagnostic(.error, message: "\(error)")) }
        }
        var policySources: [FleetSource] = []
        for dir in policyDirectories {
            do { policySources.append(try PolicyFiles.source(for: dir)) } catch { problems.append(Diagnostic(.error, message: "\(error)")) }
        }
        let fleet = FleetLoader().load(fleetSources)
        let policyObjects = FleetLoader(checkIdentity: false).load(policySources)
        let report = Self.validate(fleet: fleet, policyObjects: policyObjects.objects)
        problems += fleet.sortedDiagnostics + policyObjects.sortedDiagnostics + report.engine.diagnostics

        switch output {
        case .text:
            let text = problems.map { $0.description + "\n" }.joined() + report.verdicts.map { $0.description + "\n" }.joined()
            FileHandle.standardOutput.write(Data(text.utf8))
            FileHandle.standardError.write(Data(report.unrendered.map { "\($0.description)\n" }.joined().utf8))
        case .json:
            FileHandle.standardOutput.write(Data((JSON.serializePretty(Self.json(report, problems: problems + report.unrendered)) + "\n").utf8))
        }
        let denied = report.verdicts.filter(\.denies).count
        let warned = report.verdicts.filter { !$0.denies && $0.actions.contains(.warn) }.count
        let broken = problems.filter { $0.severity == .error }.count
        let summary = "capstan validate: \(plural(report.objectCount, "object")), \(plural(report.engine.policies.count, "policy", "policies"))"
            + " (\(plural(report.engine.bindings.count, "binding"))): \(denied) denied, \(plural(warned, "warning"))"
            + (broken > 0 ? ", \(plural(broken, "problem"))" : "")
            + (report.unrenderedClusters > 0 ? ", \(plural(report.unrenderedClusters, "Cluster")) not rendered" : "")
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        if denied > 0 || broken > 0 { throw ExitCode.failure }
    }

    /// What validating a fleet found.
    struct Report {
        var engine: PolicyEngine
        var verdicts: [PolicyVerdict]
        var auditAnnotations: [AuditAnnotation]
        var objectCount: Int
        /// Why some topology Clusters did not render (as warnings: their rendered objects were not checked).
        var unrendered: [Diagnostic]
        var unrenderedClusters: Int
    }

    /// Evaluates every fleet object (CREATE) with the policies of the fleet and of `policyObjects`, then
    /// every object the topology Clusters render to (CREATE, without live state).
    static func validate(fleet: FleetSnapshot, policyObjects: [FleetObject]) -> Report {
        let engine = PolicyEngine(objects: fleet.objects + policyObjects)
        var evaluation = engine.evaluate(fleet: fleet)
        var objectCount = fleet.objects.count
        var unrendered: [Diagnostic] = []
        var unrenderedClusters = 0
        if fleet.sortedDiagnostics.allSatisfy({ $0.severity != .error }) {
            let index = FleetIndex(snapshot: fleet)
            let renderer = TopologyRenderer(fleet: index, live: LiveObjectIndex([]))
            for render in renderer.renderFleet().clusters {
                guard !render.failed else {
                    unrenderedClusters += 1
                    unrendered += render.errors.map { e in
                        var w = e
                        w.severity = .warning
                        return w
                    }
                    continue
                }
                objectCount += render.objects.count { if case .cluster = $0.role { false } else { true } }
                evaluation.merge(engine.evaluate(render: render, derivedFrom: index.source(render.cluster)?.location))
            }
        }
        let verdicts = evaluation.verdicts.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (let x?, let y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        return Report(
            engine: engine, verdicts: verdicts, auditAnnotations: evaluation.auditAnnotations, objectCount: objectCount,
            unrendered: unrendered, unrenderedClusters: unrenderedClusters)
    }

    static func json(_ report: Report, problems: [Diagnostic]) -> Value {
        let verdicts: [Value] = report.verdicts.map { v in
            var m: ObjectMap = [
                "object": [
                    "group": .string(v.object.group), "kind": .string(v.object.kind), "namespace": .string(v.object.namespace),
                    "name": .string(v.object.name),
                ],
                "policy": .string(v.policy),
                "binding": v.binding.map(Value.string) ?? .null,
                "actions": .list(v.actions.map { .string($0.rawValue) }),
                "message": .string(v.message),
                "reason": .string(v.reason.rawValue),
            ]
            m["location"] = v.location.map { .string($0.description) } ?? .null
            if v.locationIsDerived { m["locationIsDerived"] = true }
            switch v.cause {
            case .violation(let index):
                m["cause"] = "violation"
                m["validationIndex"] = .int(Int64(index))
            case .failure:
                m["cause"] = "failure"
            }
            if let e = v.expressionLocation { m["expressionLocation"] = .string(e.description) }
            return .map(m)
        }
        let diagnostics: [Value] = problems.map { d in
            [
                "severity": .string(d.severity.rawValue), "location": d.location.map { .string($0.description) } ?? .null,
                "object": d.object.map(Value.string) ?? .null, "fieldPath": d.fieldPath.map(Value.string) ?? .null,
                "message": .string(d.message),
            ]
        }
        let annotations: [Value] = report.auditAnnotations.map { a in
            ["object": .string(a.object.description), "binding": .string(a.binding), "key": .string(a.key), "value": .string(a.value)]
        }
        return [
            "verdicts": .list(verdicts), "problems": .list(diagnostics), "auditAnnotations": .list(annotations),
            "summary": [
                "objects": .int(Int64(report.objectCount)), "policies": .int(Int64(report.engine.policies.count)),
                "bindings": .int(Int64(report.engine.bindings.count)),
                "denied": .int(Int64(report.verdicts.filter(\.denies).count)),
            ],
        ]
    }
}

/// `3 objects`, `1 policy`.
func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : many ?? one + "s")" }

/// Policy directories as `--policies` reads them: every YAML file except test suites and fixtures.
enum PolicyFiles {
    /// A directory or file of policies, with paths shown as the user typed them.
    static func source(for path: String) throws -> FleetSource {
        let base = try LintCommand.source(for: path)
        return FleetSource(tree: WithoutFixtures(base: base.tree), readsEveryFile: base.readsEveryFile, displayPath: base.displayPath)
    }

    /// True for files `capstan validate` leaves to `capstan policy test`: test suites and anything under
    /// a `tests/` directory.
    static func isFixture(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        return components.last.map(String.init) == PolicyTestSuite.fileName || components.dropLast().contains("tests")
    }

    /// A tree without the fixture files.
    struct WithoutFixtures: FileTree {
        let base: any FileTree
        func entries() throws -> [FileEntry] { try base.entries().filter { !PolicyFiles.isFixture($0.path) } }
        func contents(of path: String) throws -> [UInt8] { try base.contents(of: path) }
    }
}
