import CapstanModel
import Foundation
import Testing

@testable import CapstanTopology

@Test func smokeRenderBasic() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/basic.json")
    let value = try JSON.parse(String(contentsOf: url, encoding: .utf8))
    let objects = (value.listValue ?? []).map(KubeObject.init)
    let r = TopologyRenderer(fleet: FleetIndex(objects))
    let out = r.renderFleet()
    for c in out.clusters {
        for d in c.diagnostics { print(d) }
        for o in c.objects { print("---", o.role, o.hints); print(JSON.serializePretty(o.object.body)) }
    }
    #expect(out.clusters.first?.failed == false)
}
