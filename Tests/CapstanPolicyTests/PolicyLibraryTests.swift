import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTesting
import Foundation
import Testing

/// The ready-made `policies/` library: every policy compiles, and every suite's expectations hold.
@Suite struct PolicyLibraryTests {
    static let root = CLI.packageRoot().appendingPathComponent("policies")

    /// Every suite in the library, with its directory.
    static func suites() throws -> [(directory: String, suite: PolicyTestSuite)] {
        let tree = DirectoryTree(path: root.path)
        let files = try tree.entries().map(\.path).filter { $0.hasSuffix("/" + PolicyTestSuite.fileName) }
        return try files.flatMap { file -> [(String, PolicyTestSuite)] in
            let text = String(decoding: try tree.contents(of: file), as: UTF8.self)
            let directory = (file as NSString).deletingLastPathComponent
            return objects(text, file: file).filter { $0.key.kind == PolicyTestSuite.kind }.map { (directory, PolicyTestSuite($0)) }
        }
    }

    static func load(_ directory: String, _ files: [String]) -> [FleetObject] {
        let sources = files.map { f in
            FleetSource(tree: DirectoryTree(path: root.appendingPathComponent(directory).appendingPathComponent(f).path), readsEveryFile: true) { _ in
                "\(directory)/\(f)"
            }
        }
        return FleetLoader(checkIdentity: false).load(sources).objects
    }

    @Test func libraryHasTenPoliciesWithPassingAndFailingFixtures() throws {
        let suites = try Self.suites()
        let policies = Set(suites.map(\.directory))
        #expect(policies.count >= 10)
        for directory in policies {
            let cases = suites.filter { $0.directory == directory }.flatMap(\.suite.cases)
            #expect(cases.contains { $0.expect == .pass }, "\(directory) has no passing fixture")
            #expect(cases.contains { [.deny, .warn].contains($0.expect) }, "\(directory) has no failing fixture")
        }
    }

    @Test func everySuitePasses() throws {
        var ran = 0
        for (directory, suite) in try Self.suites() {
            #expect(suite.problems.isEmpty, "\(directory): \(suite.problems)")
            let resources = Self.load(directory, suite.resourceFiles)
            let engine = PolicyEngine(objects: Self.load(directory, suite.policyFiles) + resources)
            #expect(!engine.policies.isEmpty, "\(directory): no policy loaded")
            #expect(engine.diagnostics.isEmpty, "\(directory): \(engine.diagnostics)")
            for result in suite.run(engine: engine, resources: resources) {
                ran += 1
                #expect(result.passed, "\(directory) \(result.testCase.title): expected \(result.testCase.expect), got \(result.outcome.map(\.rawValue) ?? "nothing"): \(result.detail)")
            }
        }
        #expect(ran >= 40)
    }

    @Test func aWrongExpectationFails() throws {
        // The runner must be able to fail: flip one expectation and run it.
        let suite = PolicyTestSuite(objects("""
            apiVersion: policy.capstan.dev/v1alpha1
            kind: PolicyTest
            metadata: {name: flipped}
            policies: [policy.yaml]
            resources: [tests/clusters.yaml]
            cases:
              - {resource: Cluster policy-tests/cp-two, expect: pass}
              - {resource: Cluster policy-tests/cp-three, expect: deny}
              - {resource: Cluster policy-tests/cp-two, expect: deny, message: no such text}
              - {resource: Cluster policy-tests/missing, expect: pass}
              - {resource: Cluster policy-tests/cp-two, expect: deny, policy: unknown}
            """)[0])
        let directory = "control-plane-replicas-odd"
        let resources = Self.load(directory, suite.resourceFiles)
        let results = suite.run(engine: PolicyEngine(objects: Self.load(directory, suite.policyFiles) + resources), resources: resources)
        #expect(results.map(\.passed) == [false, false, false, false, false])
        #expect(results[0].outcome == .deny && results[1].outcome == .pass)
        #expect(results[2].detail.hasPrefix("no message contains \"no such text\"; got control-plane-replicas-odd: Deny:"))
        #expect(results[3].detail == "no object Cluster policy-tests/missing in the resource files")
        #expect(results[4].detail == "no policy named unknown in the policy files")
    }
}
