import ArgumentParser
import CapstanFleet
import CapstanModel
import CapstanTopology
import Foundation

/// `capstan render [PATH ...] [--live FILE_OR_DIR ...] [--cluster NAMESPACE/NAME] [-o yaml|json]`: every
/// object the fleet wants in the management cluster, with topology Clusters expanded exactly as the Cluster
/// API topology controller would expand them.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the fleet: expand every topology Cluster into the objects Cluster API would create.",
        discussion: """
            Reads every .yaml/.yml file under each PATH (directories recursively;
            default: the current directory). Objects that are not topology Clusters
            pass through unchanged; each Cluster with spec.topology is rendered with
            its ClusterClass (v1beta1 or v1beta2): variables defaulted and validated,
            InfrastructureCluster, ControlPlane and its machine template,
            MachineDeployments with their templates and MachineHealthChecks,
            MachinePools, inline patches applied, and the Cluster with the refs,
            labels and annotations the topology controller sets.

            --live reads objects that already exist (files or directories, e.g. a
            previous render or an export of the management cluster): their names are
            reused, upgrades in progress are followed, changed templates rotate.
            Without it, new names are derived deterministically and owner references
            carry a placeholder uid until the Cluster exists.

            Output (stdout): a YAML stream, or with -o json a v1 List, ordered by
            Cluster, then apply order, then kind and name. A Cluster that fails
            renders nothing; its error goes to stderr with the file:line of the
            Cluster and of the ClusterClass element at fault. Exit status: 0 when
            every Cluster rendered, 1 otherwise.

            Examples:
              capstan render fleet-example
              capstan render fleet-example --cluster team-a/prod-1 -o json
              capstan render --repo https://git.example.com/platform/fleet.git --ref main --path fleet
              capstan render fleet-example --live previous-render.yaml   # reuse live names
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @Argument(help: ArgumentHelp("Fleet files or directories (default: the current directory).", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("live"), help: ArgumentHelp("Live objects (file or directory); repeatable.", valueName: "file-or-dir"))
    var live: [String] = []

    @Option(name: .customLong("cluster"), help: ArgumentHelp("Render only this Cluster.", valueName: "namespace/name"))
    var cluster: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: yaml or json.")
    var format: Format = .yaml

    func run() throws {
        let fleetSources: [FleetSource], liveSources: [FleetSource]
        do {
            fleetSources = try (paths.isEmpty ? ["."] : paths).map(Self.source)
            liveSources = try live.map(Self.source)
        } catch {
            Self.writeError("capstan render: cannot read \(error); nothing rendered\n")
            throw ExitCode.failure
        }
        let fleetSnapshot = FleetLoader().load(fleetSources)
        let liveSnapshot = FleetLoader(checkIdentity: false).load(liveSources)
        let loadErrors = (fleetSnapshot.diagnostics + liveSnapshot.diagnostics).filter { $0.severity == .error }
        if !loadErrors.isEmpty {
            Self.writeError(loadErrors.map(\.description).joined(separator: "\n") + "\ncapstan render: the fleet could not be read; nothing rendered\n")
            throw ExitCode.failure
        }
        let renderer = TopologyRenderer(fleet: FleetIndex(snapshot: fleetSnapshot), live: LiveObjectIndex(liveSnapshot.objects.map(\.object)))
        var result: FleetRender
        if let cluster {
            let parts = cluster.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--cluster must be NAMESPACE/NAME, got \(cluster)") }
            let key = ObjectKey(group: "cluster.x-k8s.io", kind: "Cluster", namespace: parts[0], name: parts[1])
            guard renderer.fleet.topologyClusters.contains(key) else {
                Self.writeError("capstan render: no topology Cluster \(cluster) in the fleet\n")
                throw ExitCode.failure
            }
            result = FleetRender(clusters: [renderer.render(cluster: key)], passthrough: [], diagnostics: [])
        } else {
            result = renderer.renderFleet()
        }
        let out = format == .json ? RenderOutput.jsonList(result) : RenderOutput.yaml(result)
        FileHandle.standardOutput.write(Data(out.utf8))
        Self.writeError(Self.report(result))
        if result.clusters.contains(where: \.failed) { throw ExitCode.failure }
    }

    /// Errors, warnings and apply notes for stderr; Clusters that are not live are summarised in one line.
    static func report(_ r: FleetRender) -> String {
        var lines = r.diagnostics.map(\.description)
        var notLive = 0
        for c in r.clusters {
            for d in c.diagnostics {
                if d.severity == .warning && d.message.contains("is not live yet") {
                    notLive += 1
                    continue
                }
                lines.append(d.description)
            }
            for o in c.objects where !o.hints.isEmpty && o.hints != [.placeholderOwnerUID] {
                let hints = o.hints.filter { $0 != .placeholderOwnerUID }.map(\.description).joined(separator: ", ")
                lines.append("note: Cluster \(c.cluster.namespace)/\(c.cluster.name): \(o.object.key): \(hints)")
            }
            for d in c.deletions {
                lines.append("note: Cluster \(c.cluster.namespace)/\(c.cluster.name): delete \(d.key): \(d.reason)")
            }
        }
        if notLive > 0 {
            lines.append("note: \(notLive) Cluster\(notLive == 1 ? " is" : "s are") not live: owner references carry the placeholder uid \(TopologyRenderer.placeholderClusterUID) (render with --live to use the real uid)")
        }
        let failed = r.clusters.filter(\.failed).count
        lines.append("capstan render: \(r.clusters.count) topology Cluster\(r.clusters.count == 1 ? "" : "s"), \(failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A directory or file on disk; locations show the path as typed.
    static func source(for path: String) throws -> FleetSource {
        let tree = DirectoryTree(path: path, fileExtensions: ["yaml", "yml"])
        if try tree.isSingleFile() {
            return FleetSource(tree: tree, readsEveryFile: true) { _ in path }
        }
        let prefix = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        return FleetSource(tree: tree) { prefix + $0 }
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
