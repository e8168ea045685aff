import CapstanModel
import CapstanYAML
import Foundation
import CapstanTesting
import Testing

@testable import CapstanTopology

/// fleet-example/ renders cleanly; its output is a golden file.
@Suite struct FleetExampleTests {
    func render() throws -> FleetRender {
        let dir = packageRoot.appendingPathComponent("fleet-example")
        let objects = try loadYAMLTree(dir, base: packageRoot)
        return TopologyRenderer(fleet: FleetIndex(objects: objects)).renderFleet()
    }

    @Test func rendersCleanly() throws {
        let r = try render()
        let diagnostics = r.clusters.flatMap(\.diagnostics).filter { !$0.message.contains("not live yet") }
        // Keep failure output short: the first problem is enough to act on.
        #expect(diagnostics.isEmpty, "\(diagnostics.count) problems, first: \(String(diagnostics.first?.description.prefix(400) ?? ""))")
        #expect(r.clusters.count == 4)
    }

    @Test func matchesGolden() throws {
        try Golden.check(RenderOutput.yaml(try render()), named: "fleet-example.yaml")
    }
}
