import ArgumentParser
import CapstanCluster
import CapstanFleet
import CapstanGit
import CapstanModel
import CapstanPlan
import CapstanStore
import Foundation

/// `capstan plan --base REF [--head REF] [--repo PATH_OR_URL] [--path DIR] [--live FILE_OR_DIR ... |
/// --management STATE_DIR] [--policies DIR ...] [-o text|markdown|json]`: what merging a change would do.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a change to the fleet would do: objects, machines, policy verdicts (for pull requests).",
        discussion: """
            Reads the fleet at two revisions of a Git repository (--repo, default: the repository in the
            current directory; a URL is mirrored under --state-dir), renders every topology Cluster at
            both with the same renderer the daemon uses, and reports per Cluster what is created,
            updated, deleted or held, the file:line in Git that caused it, what it means for machines
            (rollouts, scaling, upgrade steps and order), and the ValidatingAdmissionPolicy verdicts on
            the changes. Secret values are never shown.

            Without --live or --management, the base revision is assumed applied and settled, so template
            rotations and upgrade steps are the ones merging would start. REF is a branch, tag, remote
            branch (origin/main), full ref or commit id. See docs/plan.md; docs/ci.md shows CI setups.

            Exit status: 0 no changes, 2 changes, 3 changes that a policy denies, 1 errors (a revision
            that does not load or render, a bad option).

            Examples:
              capstan plan --base main --head my-change                 # in a clone of the fleet
              capstan plan --repo . --base origin/main -o markdown > plan.md
              capstan plan --base main --management .state -o json      # with the daemon's live state
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @OptionGroup var fleet: FleetSourceOptions

    @Option(help: ArgumentHelp("The revision the change starts from (e.g. origin/main or a commit id).", valueName: "ref"))
    var base: String

    @Option(help: ArgumentHelp("The revision with the change (default: HEAD).", valueName: "ref"))
    var head: String = "HEAD"

    @Option(name: .customLong("live"), help: ArgumentHelp("Live objects (file or directory, e.g. an export of the management cluster); repeatable.", valueName: "file-or-dir"))
    var live: [String] = []

    @Option(name: .customLong("management"), help: ArgumentHelp("Read live objects from the embedded management cluster in this state directory (read-only).", valueName: "state-dir"))
    var management: String?

    @Option(name: .customLong("policies"), help: ArgumentHelp("A directory (or file) of extra policies, bindings and parameters; repeatable.", valueName: "dir"))
    var policyDirectories: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: text, markdown or json.")
    var format: Format = .text

    @Option(name: .customLong("markdown-limit"), help: ArgumentHelp("Maximum length of -o markdown, in characters.", valueName: "n"))
    var markdownLimit: Int = 65_000

    func validate() throws {
        if !fleet.paths.isEmpty { throw ValidationError("capstan plan reads two revisions of a repository: use --repo, --base and --head instead of paths") }
        if fleet.ref != nil { throw ValidationError("capstan plan takes --base and --head instead of --ref") }
        if !live.isEmpty && management != nil { throw ValidationError("give --live or --management, not both") }
        if markdownLimit < 2_000 { throw ValidationError("--markdown-limit must be at least 2000") }
    }

    func run() async throws {
        let input: PlanInput
        do {
            input = try await load()
        } catch {
            FileHandle.standardError.write(Data("capstan plan: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let plan = Planner.plan(input)
        let text: String
        switch format {
        case .text: text = plan.text()
        case .markdown: text = plan.markdown(limit: markdownLimit)
        case .json: text = JSON.serializePretty(plan.json) + "\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        if format != .text {
            let s = PlanSummary(plan)
            FileHandle.standardError.write(Data("capstan plan: \(s.clustersLine); \(s.objectsLine); \(s.machinesLine); \(s.policyLine)\n".utf8))
        }
        let code = plan.exitCode
        if code != 0 { throw ExitCode(code) }
    }

    /// Both revisions, the live state and the extra policies.
    func load() async throws -> PlanInput {
        let (baseSnapshot, baseLabel) = try await snapshot(at: base)
        let (headSnapshot, headLabel) = try await snapshot(at: head)
        var liveObjects: [KubeObject]?
        var liveLabel = ""
        if !live.isEmpty {
            let loaded = FleetLoader(checkIdentity: false).load(try live.map(RenderCommand.source))
            if let e = loaded.diagnostics.first(where: { $0.severity == .error }) { throw ValidationError("cannot read live objects: \(e)") }
            liveObjects = loaded.objects.map(\.object)
            liveLabel = "objects from " + live.joined(separator: ", ")
        } else if let management {
            let store = try await ClusterStore.open(stateDirectory: management, readOnly: true)
            defer { try? store.close() }
            liveObjects = try await DriftCheck.readLive(store.cluster, kinds: store.cluster.kindRegistry.all.map(\.gvk))
            liveLabel = "the management cluster in \(management)"
        }
        var policySources: [FleetSource] = []
        for dir in policyDirectories { policySources.append(try PolicyFiles.source(for: dir)) }
        let policies = FleetLoader(checkIdentity: false).load(policySources)
        if let e = policies.diagnostics.first(where: { $0.severity == .error }) { throw ValidationError("cannot read policies: \(e)") }
        return PlanInput(base: baseSnapshot, baseLabel: baseLabel, head: headSnapshot, headLabel: headLabel, live: liveObjects,
                         liveLabel: liveLabel, policyObjects: policies.objects)
    }

    /// The fleet at `ref`: from the local repository directly, or from a mirror of a remote one.
    func snapshot(at ref: String) async throws -> (FleetSnapshot, String) {
        let repo = fleet.repo ?? "."
        let scope = fleet.path ?? ""
        let tree: GitTree
        if let gitDir = Self.localGitDirectory(repo) {
            tree = try Self.tree(gitDir: gitDir, ref: ref, path: scope, label: repo)
        } else {
            var options = fleet
            options.ref = ref
            if options.repo == nil { options.repo = repo }
            let source = try options.gitSource()
            let revision = try await source.poll()
            guard let t = try source.tree(at: revision) as? GitTree else { throw ValidationError("unexpected tree for \(repo)") }
            tree = t
        }
        let display: @Sendable (String) -> String = { scope.isEmpty ? $0 : scope + "/" + $0 }
        let snapshot = FleetLoader().load([FleetSource(tree: tree, displayPath: display)])
        return (snapshot, "\(ref)@sha1:\(tree.commitID)")
    }

    /// The Git directory of a local repository path (a work tree's `.git`, a linked work tree's gitdir, or a
    /// bare repository), nil for URLs.
    static func localGitDirectory(_ repo: String) -> String? {
        if repo.contains("://") || (repo.contains("@") && repo.contains(":")) { return nil }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repo, isDirectory: &isDir), isDir.boolValue else { return nil }
        let dotGit = (repo as NSString).appendingPathComponent(".git")
        if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDir) {
            if isDir.boolValue { return dotGit }
            // A linked work tree: `.git` is a file `gitdir: <path>`.
            if let text = try? String(contentsOfFile: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") {
                let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
                return path.hasPrefix("/") ? path : (repo as NSString).appendingPathComponent(path)
            }
        }
        return FileManager.default.fileExists(atPath: (repo as NSString).appendingPathComponent("HEAD")) ? repo : nil
    }

    /// The tree of `ref` in a local repository: a commit id, or a name tried as given, as a branch, a remote
    /// branch and a tag.
    static func tree(gitDir: String, ref: String, path: String, label: String) throws -> GitTree {
        let candidates = ref.hasPrefix("refs/") || ref == "HEAD" || ref.count == 40 ? [ref] : [ref, "refs/heads/\(ref)", "refs/remotes/\(ref)", "refs/tags/\(ref)"]
        for c in candidates {
            do {
                return try GitTree(repositoryPath: gitDir, commit: c, path: path, label: label)
            } catch let e as SourceError where e.reason == .notFound && e.ref == c {
                continue
            }
        }
        throw SourceError(.notFound, source: label, ref: ref, message: "no commit, branch, remote branch or tag '\(ref)' in \(label)")
    }
}
