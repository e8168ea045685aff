import CapstanModel
import CapstanTesting
import Foundation
import Testing

/// `capstan plan` on fleet-example and small changes to it, run as the built binary; outputs are golden.
@Suite(.serialized) struct PlanGoldenTests {
    static let cases: [(branch: String, exit: Int32)] = [
        ("version-bump", 2), ("replicas", 2), ("new-pool", 2), ("template-change", 2),
        ("clusters-added-removed", 3), ("invalid-variable", 1), ("secret", 2),
    ]

    @Test(arguments: cases.map(\.branch))
    func goldenPlans(branch: String) throws {
        let repo = PlanRepository.shared
        let expected = Self.cases.first { $0.branch == branch }!.exit
        let base = branch == "secret" ? "secret-base" : "main"
        let policies = ["--policies", repo.path + "/policies"]
        let text = try repo.plan(base: base, head: branch, policies)
        #expect(text.exitCode == expected, "\(text.stderr)")
        golden(text.stdout, "\(branch).txt")
        let markdown = try repo.plan(base: base, head: branch, policies + ["-o", "markdown"])
        #expect(markdown.exitCode == expected)
        #expect(markdown.stdout.count < 65_000)
        golden(markdown.stdout, "\(branch).md")
        let json = try repo.plan(base: base, head: branch, policies + ["-o", "json"])
        #expect(json.exitCode == expected)
        let value = try JSON.parse(json.stdout)
        #expect(value["version"] == 1)
        #expect(value[path: ["summary", "exitCode"]] == .int(Int64(expected)))
        golden(json.stdout, "\(branch).json")
        for output in [text.stdout, markdown.stdout, json.stdout, text.stderr] {
            for secret in PlanRepository.secretValues { #expect(!output.contains(secret), "secret value \(secret) in output") }
        }
    }

    @Test func identicalRevisionsPlanNothing() throws {
        let r = try PlanRepository.shared.plan(base: "main", head: "main")
        #expect(r.exitCode == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasSuffix("Clusters: 0 added, 0 changed, 0 removed, 4 unchanged; objects: 0 to create, 0 to update, 0 to delete, 0 held; machines: 0 replaced, 0 created, 0 deleted; policy: 0 deny, 0 warn\n"))
    }

    @Test func unknownRefsAndBrokenRevisionsAreErrors() throws {
        let repo = PlanRepository.shared
        let missing = try repo.plan(head: "no-such-branch")
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("no commit, branch, remote branch or tag 'no-such-branch'"))
        #expect(missing.stdout.isEmpty)
    }

    /// Checks a golden file, recording a failure without stopping the test (so one run records every file).
    func golden(_ actual: String, _ name: String, file: String = #filePath) {
        do { try Golden.check(actual, named: name, testFile: file) } catch { Issue.record("\(error)") }
    }
}
