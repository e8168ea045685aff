import CapstanTesting
import Foundation

/// A Git repository for plan tests: `main` holds fleet-example (under `fleet/`) and the policy library (under
/// `policies/`); every scenario is a branch from `main` with a small change, so a plan compares `main` with it.
final class PlanRepository: Sendable {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    /// The scenarios: branch name → edits (file path under the repository → new contents, nil deletes).
    static let scenarios: [(branch: String, from: String, edits: @Sendable (Editor) throws -> Void)] = [
        ("version-bump", "main", { r in
            try r.replace("fleet/clusters/team-a/prod-1.yaml", "version: v1.30.6", "version: v1.31.2")
            try r.replace("fleet/clusters/team-b/ci-1.yaml", "version: 1.31.2", "version: 1.32.0")
        }),
        ("replicas", "main", { r in
            try r.replace("fleet/clusters/team-a/prod-1.yaml", "name: general\n          replicas: 3", "name: general\n          replicas: 5")
        }),
        ("new-pool", "main", { r in
            try r.replace("fleet/clusters/team-a/dev-1.yaml", "          name: md-0\n          replicas: 1\n",
                          "          name: md-0\n          replicas: 1\n        - class: memory-worker\n          name: cache\n          replicas: 2\n")
        }),
        ("template-change", "main", { r in
            try r.replace("fleet/clusterclasses/docker-quick-start/templates.yaml",
                          "  name: docker-quick-start-default-worker\n  namespace: capi-classes\nspec:\n  template:\n    spec:\n      extraMounts:\n        - containerPath: /var/run/docker.sock\n          hostPath: /var/run/docker.sock\n",
                          "  name: docker-quick-start-default-worker\n  namespace: capi-classes\nspec:\n  template:\n    spec:\n      extraMounts:\n        - containerPath: /var/run/docker.sock\n          hostPath: /var/run/docker.sock\n      preLoadImages:\n        - registry.k8s.io/pause:3.10\n")
        }),
        ("clusters-added-removed", "main", { r in
            var dev2 = try r.read("fleet/clusters/team-a/dev-1.yaml")
            dev2 = dev2.replacingOccurrences(of: "name: dev-1", with: "name: dev-2")
                .replacingOccurrences(of: "controlPlane:\n      replicas: 1", with: "controlPlane:\n      replicas: 2")
                .replacingOccurrences(of: "dev-1.team-a.internal", with: "dev-2.team-a.internal")
            try r.write("fleet/clusters/team-a/dev-2.yaml", dev2)
            try r.write("fleet/clusters/team-b/legacy-1.yaml", nil)
        }),
        ("invalid-variable", "main", { r in
            try r.replace("fleet/clusters/team-a/dev-1.yaml", "value: dev\n", "value: qa\n")
        }),
        ("secret-base", "main", { r in
            try r.write("fleet/secrets/registry.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: registry-credentials
                  namespace: team-a
                type: kubernetes.io/basic-auth
                data:
                  username: cm9ib3QtdXNlcg==
                  password: b2xkLXBhc3N3b3JkLTEyMw==
                stringData:
                  note: first-rotation-token

                """)
        }),
        ("secret", "secret-base", { r in
            try r.replace("fleet/secrets/registry.yaml", "password: b2xkLXBhc3N3b3JkLTEyMw==", "password: bmV3LXBhc3N3b3JkLTQ1Ng==\n  token: c2VjcmV0LXRva2VuLXZhbHVl")
        }),
    ]

    /// Secret values of the `secret` scenarios (raw and decoded), which must never appear in any output.
    static let secretValues = ["cm9ib3QtdXNlcg==", "robot-user", "b2xkLXBhc3N3b3JkLTEyMw==", "old-password-123", "bmV3LXBhc3N3b3JkLTQ1Ng==",
                               "new-password-456", "c2VjcmV0LXRva2VuLXZhbHVl", "secret-token-value", "first-rotation-token"]

    /// Commit ids by branch.
    let commits: [String: String]

    init() throws {
        directory = try TemporaryDirectory(prefix: "capstan-plan")
        let root = CLI.packageRoot()
        let path = directory.path
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("fleet-example").path, toPath: path + "/fleet")
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("policies").path, toPath: path + "/policies")
        try GitCLI.runBlocking(["init", "-q", "-b", "main", path])
        try GitCLI.runBlocking(["add", "-A"], in: path)
        try GitCLI.runBlocking(["commit", "-q", "-m", "fleet-example"], in: path)
        var commits = ["main": try GitCLI.runBlocking(["rev-parse", "HEAD"], in: path)]
        for s in Self.scenarios {
            try GitCLI.runBlocking(["checkout", "-q", "-b", s.branch, s.from], in: path)
            try s.edits(Editor(path: path))
            try GitCLI.runBlocking(["add", "-A"], in: path)
            try GitCLI.runBlocking(["commit", "-q", "-m", s.branch], in: path)
            commits[s.branch] = try GitCLI.runBlocking(["rev-parse", "HEAD"], in: path)
        }
        try GitCLI.runBlocking(["checkout", "-q", "main"], in: path)
        self.commits = commits
    }

    /// One repository for every test in the process (scenario branches never change).
    static let shared: PlanRepository = { try! PlanRepository() }()

    /// `capstan plan` on this repository, with commit ids replaced by `<branch>` so outputs can be golden.
    func plan(base: String = "main", head: String, _ extra: [String] = []) throws -> CLI.Result {
        var r = try CLI.run(["plan", "--repo", path, "--path", "fleet", "--base", base, "--head", head] + extra, directory: URL(fileURLWithPath: path))
        for (branch, id) in commits {
            r.stdout = r.stdout.replacingOccurrences(of: id, with: "<\(branch)>")
            r.stderr = r.stderr.replacingOccurrences(of: id, with: "<\(branch)>")
        }
        r.stdout = r.stdout.replacingOccurrences(of: path, with: "<repo>")
        r.stderr = r.stderr.replacingOccurrences(of: path, with: "<repo>")
        return r
    }
}

/// Edits files of a work tree.
struct Editor {
    let path: String

    func read(_ file: String) throws -> String { try String(contentsOfFile: path + "/" + file, encoding: .utf8) }

    func write(_ file: String, _ contents: String?) throws {
        let url = URL(fileURLWithPath: path + "/" + file)
        guard let contents else { try FileManager.default.removeItem(at: url); return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }

    func replace(_ file: String, _ old: String, _ new: String) throws {
        let text = try read(file)
        guard text.contains(old) else { throw ServerError("\(file) does not contain \(old)") }
        try write(file, text.replacingOccurrences(of: old, with: new))
    }
}
