import CapstanModel
import CapstanTesting
import Foundation
import Testing

/// `capstan validate` and `capstan policy test` run as the built binary.
@Suite(.serialized) struct ValidateCommandTests {
    /// A scratch directory with a fleet and a policy directory.
    final class Fixture {
        let directory: URL
        init(files: [String: String]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-validate-\(UUID().uuidString)")
            for (name, text) in files {
                let url = directory.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
        }
        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    static let policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: odd}
        spec:
          matchConstraints:
            resourceRules:
              - {apiGroups: [cluster.x-k8s.io], apiVersions: ["*"], operations: [CREATE], resources: [clusters]}
          validations:
            - expression: "object.spec.topology.controlPlane.replicas % 2 == 1"
              message: control plane replicas must be odd
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: odd}
        spec: {policyName: odd, validationActions: [ACTIONS]}
        """

    static func cluster(_ name: String, replicas: Int) -> String {
        """
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata:
          name: \(name)
          namespace: fleet
        spec:
          topology:
            controlPlane:
              replicas: \(replicas)
        """
    }

    static func fixture(actions: String = "Deny", extra: [String: String] = [:]) throws -> Fixture {
        var files = [
            "fleet/good.yaml": cluster("good", replicas: 3),
            "fleet/bad.yaml": cluster("bad", replicas: 2),
            "policies/odd/policy.yaml": policy.replacingOccurrences(of: "ACTIONS", with: actions),
            // Fixtures of a policy test must not take part in `validate`.
            "policies/odd/tests/broken.yaml": "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: x}\nspec: {}\n",
            "policies/odd/capstan-policy-test.yaml": "apiVersion: policy.capstan.dev/v1alpha1\nkind: PolicyTest\nmetadata: {name: odd}\n",
        ]
        files.merge(extra) { $1 }
        return try Fixture(files: files)
    }

    @Test func denialsPrintLocatedLinesAndExitOne() throws {
        let f = try Self.fixture()
        let r = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: f.directory)
        #expect(r.stdout == "fleet/bad.yaml:1:1: Cluster fleet/bad: policy odd (binding odd): Deny: control plane replicas must be odd\n")
        // The fixture's Clusters name no ClusterClass: they do not render, which is noted, not a failure.
        #expect(r.stderr.hasPrefix("fleet/bad.yaml:7:3: Cluster fleet/bad: warning: "), "\(r.stderr)")
        #expect(r.stderr.hasSuffix("\ncapstan validate: 2 objects, 1 policy (1 binding): 1 denied, 0 warnings, 2 Clusters not rendered\n"))
        #expect(r.exitCode == 1)
    }

    @Test func warningsArePrintedButPass() throws {
        let f = try Self.fixture(actions: "Warn")
        let r = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: f.directory)
        #expect(r.stdout.contains("Cluster fleet/bad: policy odd (binding odd): Warn: control plane replicas must be odd"))
        #expect(r.stderr.hasSuffix(": 0 denied, 1 warning, 2 Clusters not rendered\n"))
        #expect(r.exitCode == 0)
    }

    @Test func policiesInTheFleetApplyWithoutPoliciesOption() throws {
        let f = try Self.fixture(extra: ["fleet/policy.yaml": Self.policy.replacingOccurrences(of: "ACTIONS", with: "Deny")])
        let r = try CLI.run(["validate", "fleet"], directory: f.directory)
        #expect(r.stdout.contains("fleet/bad.yaml:1:1: Cluster fleet/bad: policy odd"))
        #expect(r.exitCode == 1)
    }

    @Test func brokenPolicyIsReportedWithFileAndLine() throws {
        let broken = Self.policy.replacingOccurrences(of: "ACTIONS", with: "Deny")
            .replacingOccurrences(of: "replicas % 2 == 1", with: "replicas %% 2")
        let f = try Self.fixture(extra: ["policies/odd/policy.yaml": broken])
        let r = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: f.directory)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("policies/odd/policy.yaml:9:7: ValidatingAdmissionPolicy odd: spec.validations[0].expression: expression does not compile: 1:") == true)
        // Every object the policy matches fails closed, naming the expression's location.
        #expect(lines.contains { $0.hasPrefix("fleet/good.yaml:1:1: Cluster fleet/good: policy odd (binding odd): Deny: expression") && $0.hasSuffix("[policies/odd/policy.yaml:9:19]") })
        #expect(r.exitCode == 1)
    }

    @Test func jsonOutput() throws {
        let f = try Self.fixture()
        let r = try CLI.run(["validate", "fleet", "--policies", "policies", "-o", "json"], directory: f.directory)
        let json = try JSON.parse(r.stdout)
        let verdict = try #require(json["verdicts"]?[0])
        #expect(verdict["policy"] == "odd" && verdict["binding"] == "odd")
        #expect(verdict["object"]?["name"] == "bad" && verdict["location"] == "fleet/bad.yaml:1:1")
        #expect(verdict["actions"] == ["Deny"] && verdict["cause"] == "violation" && verdict["validationIndex"] == 0)
        #expect(json["summary"]?["denied"] == 1)
        #expect(r.exitCode == 1)
    }

    @Test func unreadableFleetFileFails() throws {
        let f = try Self.fixture(extra: ["fleet/bad.yaml": "apiVersion: v1\nkind: [\n"])
        let r = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: f.directory)
        #expect(r.stdout.hasPrefix("fleet/bad.yaml:"))
        #expect(r.exitCode == 1)
    }

    @Test func policyTestReportsEachCaseAndFailsOnMismatch() throws {
        let suite = """
            apiVersion: policy.capstan.dev/v1alpha1
            kind: PolicyTest
            metadata: {name: odd}
            policies: [policy.yaml]
            resources: [tests/clusters.yaml]
            cases:
              - {name: odd passes, resource: Cluster fleet/good, expect: pass}
              - {name: even denied, resource: Cluster fleet/bad, expect: deny, message: must be odd}
            """
        let fixtures = Self.cluster("good", replicas: 3) + "\n---\n" + Self.cluster("bad", replicas: 2)
        let f = try Self.fixture(extra: ["policies/odd/capstan-policy-test.yaml": suite, "policies/odd/tests/clusters.yaml": fixtures])
        let ok = try CLI.run(["policy", "test", "policies"], directory: f.directory)
        #expect(ok.stdout == """
            policies/odd/capstan-policy-test.yaml: odd
              ok    odd passes (Cluster fleet/good): pass
              ok    even denied (Cluster fleet/bad): deny
            2 passed, 0 failed

            """)
        #expect(ok.exitCode == 0)

        let wrong = suite.replacingOccurrences(of: "expect: pass", with: "expect: deny")
        try wrong.write(to: f.directory.appendingPathComponent("policies/odd/capstan-policy-test.yaml"), atomically: true, encoding: .utf8)
        let bad = try CLI.run(["policy", "test", "policies"], directory: f.directory)
        #expect(bad.stdout.contains("  FAIL  policies/odd/capstan-policy-test.yaml:7:5: odd passes (Cluster fleet/good): expected deny, got pass\n"))
        #expect(bad.stdout.hasSuffix("1 passed, 1 failed\n"))
        #expect(bad.exitCode == 1)
    }

    @Test func policyTestWithoutSuitesFails() throws {
        let f = try Fixture(files: ["empty/readme.yaml": "a: 1\n"])
        let r = try CLI.run(["policy", "test", "empty"], directory: f.directory)
        #expect(r.stdout == "empty: no capstan-policy-test.yaml found\n0 passed, 1 failed\n")
        #expect(r.exitCode == 1)
    }

    /// The objects a topology Cluster renders to are admitted too: the library's MachineDeployment policy
    /// denies a rendered pool, and the verdict points at the Cluster's file.
    @Test func renderedTopologyObjectsAreAdmitted() throws {
        let root = CLI.packageRoot().appendingPathComponent("fleet-example")
        var files: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! where url.pathExtension == "yaml" {
            files["fleet/" + url.path.dropFirst(root.path.count + 1)] = try String(contentsOf: url, encoding: .utf8)
        }
        files["fleet/namespaces/namespaces.yaml"] = files["fleet/namespaces/namespaces.yaml"]!.replacingOccurrences(
            of: "platform.example.com/team: team-a", with: "platform.example.com/team: team-a\n    platform.example.com/tier: production")
        files["policies/md/policy.yaml"] = try String(
            contentsOf: CLI.packageRoot().appendingPathComponent("policies/machinedeployment-max-unavailable/policy.yaml"), encoding: .utf8)
        let clean = try Fixture(files: files)
        let ok = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: clean.directory)
        #expect(ok.exitCode == 0, "\(ok.stdout)\(ok.stderr)")

        files["fleet/clusters/team-a/prod-1.yaml"] = files["fleet/clusters/team-a/prod-1.yaml"]!.replacingOccurrences(
            of: "          name: memory\n", with: "          name: memory\n          rollout:\n            strategy:\n              type: RollingUpdate\n              rollingUpdate: {maxUnavailable: 1}\n")
        let f = try Fixture(files: files)
        let r = try CLI.run(["validate", "fleet", "--policies", "policies"], directory: f.directory)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stdout)")
        #expect(lines.first?.hasPrefix("fleet/clusters/team-a/prod-1.yaml:3:1: MachineDeployment team-a/prod-1-memory-") == true, "\(r.stdout)")
        #expect(lines.first?.hasSuffix("must keep maxUnavailable at 0, got 1") == true, "\(r.stdout)")
        #expect(r.exitCode == 1)
    }

    @Test func theLibraryPasses() throws {
        let r = try CLI.run(["policy", "test", "policies"], directory: CLI.packageRoot())
        #expect(r.exitCode == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" 0 failed\n"))
    }
}

/// `capstan validate --repo`: the fleet read from a Git revision (a local repository, no network).
@Suite(.serialized) struct ValidateRepositoryTests {
    @Test func validatesAGitRevision() throws {
        let f = try ValidateCommandTests.fixture()
        let repo = f.directory.appendingPathComponent("fleet")
        func git(_ args: [String]) throws {
            let r = try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/git"), ["-C", repo.path] + args)
            #expect(r.exitCode == 0, "git \(args): \(r.stderr)")
        }
        try git(["init", "-q", "-b", "main"])
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "fleet"])
        let r = try CLI.run(
            ["validate", "--repo", repo.path, "--state-dir", f.directory.appendingPathComponent("state").path, "--policies", "policies"],
            directory: f.directory)
        #expect(r.stdout == "bad.yaml:1:1: Cluster fleet/bad: policy odd (binding odd): Deny: control plane replicas must be odd\n", "\(r.stderr)")
        #expect(r.exitCode == 1)
    }
}
