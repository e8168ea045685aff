import CapstanDiff
import CapstanModel
import CapstanPlan

/// What the last drift check found, in the form the status commit writes it: one `DriftReport` document
/// per scope with drift (`drift/<namespace>/<name>.yaml`, `drift/fleet.yaml` for objects outside Clusters)
/// and lines for `STATUS.md`. Built from `CapstanPlan.DriftCheck.Result`, the one drift computation.
public struct DriftFindings: Sendable, Hashable {
    /// One scope (a Cluster, or the fleet's other objects) with drift or problems.
    public struct Scope: Sendable, Hashable {
        /// `namespace/name`, nil for objects outside Clusters.
        public var cluster: String?
        /// `team-a/prod-1: 1 drifted (11 checked)`.
        public var summaryLine: String
        /// One line per object: `drifted MachineDeployment team-a/x: spec.replicas: desired 3, live 5`.
        public var lines: [String]
    }

    /// The revision compared against.
    public var revision: String
    public var mode: FleetConfig.DriftMode
    /// `Drift: 1 of 4 Clusters drifted; objects: ...` (DriftOutput's summary).
    public var summary: String
    /// Scopes with drift, fleet objects first.
    public var scopes: [Scope]
    /// Report files by path (only scopes with drift).
    public var files: [String: String]
    /// Objects drifted, missing or not desired.
    public var objectCount: Int
    /// Clusters with at least one such object.
    public var clusterCount: Int
    /// Objects corrected (mode `correct`).
    public var correctedCount: Int
    /// Problems that stopped the comparison.
    public var problems: [String]

    /// Findings from a check of `revision`.
    init(result: DriftCheck.Result, revision: String, mode: FleetConfig.DriftMode) {
        self.revision = revision
        self.mode = mode
        summary = DriftOutput.summary(result)
        problems = result.problems.map(\.description)
        let dirty = result.reports.filter { !$0.isClean }
        scopes = dirty.map { r in
            Scope(cluster: r.cluster.map { "\($0.namespace)/\($0.name)" }, summaryLine: r.summaryLine,
                  lines: r.diagnostics.map(\.description) + r.objects.map(Self.line))
        }
        var files: [String: String] = [:]
        let dirtyPaths = Set(dirty.map { r in r.cluster.map { "drift/\($0.namespace)/\($0.name).yaml" } ?? "drift/fleet.yaml" })
        for f in DriftOutput.files(result) where dirtyPaths.contains(f.path) {
            files[f.path] = "# Drift from \(revision), written by Capstan (mode \(mode.rawValue)). Do not edit.\n" + f.contents
        }
        self.files = files
        objectCount = result.reports.reduce(0) { $0 + $1.objects.count }
        clusterCount = result.reports.filter { $0.cluster != nil && !$0.objects.isEmpty }.count
        correctedCount = result.reports.reduce(0) { $0 + $1.objects.filter { $0.corrected == true }.count }
    }

    /// `drifted MachineDeployment team-a/x: spec.replicas: desired 3, live 5 (corrected)`.
    static func line(_ o: ObjectDrift) -> String {
        var s = "\(o.state.name) \(o.key)"
        if case .drifted(let fields) = o.state { s += ": " + fields.prefix(3).map(\.description).joined(separator: "; ") }
        switch o.corrected {
        case true?: s += " (corrected)"
        case false?: s += " (correction failed: \(o.error ?? "unknown error"))"
        case nil: break
        }
        return s
    }
}
