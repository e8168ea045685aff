import CapstanModel
import CapstanTesting
import CapstanYAML
import Foundation

@testable import CapstanTopology

/// One golden case: fixture files (under Fixtures/) for the fleet and the live state.
struct GoldenCase: CustomStringConvertible, Sendable {
    var name: String
    /// The upstream test (or spec section) the case follows.
    var follows: String
    var fleet: [String]
    var live: [String] = []
    var description: String { name }
}

enum GoldenRunner {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load(_ files: [String]) throws -> [SourceObject] {
        try files.flatMap { f in
            let text = try String(contentsOf: fixtures.appendingPathComponent(f), encoding: .utf8)
            return try yamlObjects(text, file: f)
        }
    }

    static func render(_ c: GoldenCase) throws -> FleetRender {
        let live = try load(c.live).map(\.object)
        return TopologyRenderer(fleet: FleetIndex(objects: try load(c.fleet)), live: LiveObjectIndex(live)).renderFleet()
    }

    /// The rendered topology objects as a YAML stream, then the render report as comments.
    static func report(_ r: FleetRender) -> String {
        var out = YAML.emitStream(r.clusters.flatMap { $0.objects.map(\.object.body) })
        out += "# ---- report\n"
        for c in r.clusters {
            out += "# Cluster \(c.cluster.namespace)/\(c.cluster.name)\n"
            for d in c.diagnostics { out += "#   \(d.severity): \(d.message)\n" }
            for o in c.objects where !o.hints.isEmpty {
                out += "#   hint \(o.role) \(o.object.kind)/\(o.object.name): \(o.hints.map(\.description).joined(separator: ", "))\n"
            }
            for d in c.deletions { out += "#   delete \(d.key) (\(d.reason))\n" }
            let u = c.upgrade
            if !c.failed {
                out += "#   upgrade: controlPlane=\(u.controlPlaneVersion ?? "-") cpPlan=\(u.controlPlaneUpgradePlan) workersPlan=\(u.workersUpgradePlan)"
                out += " pendingCreate=\(u.pendingCreate) pendingUpgrade=\(u.pendingUpgrade) upgrading=\(u.upgrading)\n"
            }
        }
        return out
    }
}
