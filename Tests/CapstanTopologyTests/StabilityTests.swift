import CapstanModel
import Testing

@testable import CapstanTopology

/// Names are deterministic and stable across renders; rotation follows template spec changes.
@Suite struct StabilityTests {
    let fleetFiles = ["base/classes.yaml", "desired-state/full.yaml"]

    func render(_ fleet: [SourceObject], live: [KubeObject] = []) -> ClusterRender {
        let r = TopologyRenderer(fleet: FleetIndex(objects: fleet), live: LiveObjectIndex(live)).renderFleet()
        return r.clusters[0]
    }

    func names(_ r: ClusterRender) -> [String] { r.objects.map { "\($0.object.kind)/\($0.object.name)" } }

    @Test func renderingAgainstItsOwnOutputKeepsEveryName() throws {
        let fleet = try GoldenRunner.load(fleetFiles)
        let first = render(fleet)
        let second = render(fleet, live: first.objects.map(\.object))
        #expect(!first.failed && !second.failed)
        #expect(names(first) == names(second))
        #expect(second.objects.allSatisfy { !$0.hints.contains { if case .rotated = $0 { true } else { false } } })
        #expect(second.deletions.isEmpty)
    }

    @Test func namesDependOnClusterIdentityNotOnOrder() throws {
        let fleet = try GoldenRunner.load(fleetFiles)
        let reversed = Array(fleet.reversed())
        #expect(names(render(fleet)) == names(render(reversed)))
    }

    /// Changing the worker machine template rotates exactly the infrastructure templates of the
    /// MachineDeployments cloned from it, and repoints those MachineDeployments; nothing else changes name.
    @Test func changingOneTemplateRotatesExactlyItsClones() throws {
        let fleet = try GoldenRunner.load(fleetFiles)
        let live = render(fleet).objects.map(\.object)
        let changed = fleet.map { so -> SourceObject in
            guard so.object.kind == "GenericInfrastructureMachineTemplate", so.object.name == "worker-machine" else { return so }
            var o = so
            o.object.body[path: ["spec", "template", "spec", "size"]] = "xlarge"
            return o
        }
        let r = render(changed, live: live)
        let rotated = r.objects.filter { $0.hints.contains { if case .rotated = $0 { true } else { false } } }
        #expect(rotated.map(\.role).map(\.description).sorted() == [
            "machine-deployment/big-pool/infrastructure-template", "machine-deployment/rollout-after-only/infrastructure-template",
        ])
        let before = Dictionary(uniqueKeysWithValues: live.map { ($0.key, $0) })
        let renamed = r.objects.filter { before[$0.object.key] == nil }.map(\.role.description).sorted()
        #expect(renamed == ["machine-deployment/big-pool/infrastructure-template", "machine-deployment/rollout-after-only/infrastructure-template"])
        for md in r.objects where md.object.kind == "MachineDeployment" {
            let ref = md.object.body[path: ["spec", "template", "spec", "infrastructureRef", "name"]]?.stringValue ?? ""
            let template = r.objects.first { $0.role == .machineDeploymentInfrastructureTemplate(topology: md.role.topologyName ?? "") }
            #expect(ref == template?.object.name)
        }
        // Old MachineDeployment templates are left to the MachineSet controller (no deletions).
        #expect(r.deletions.isEmpty)
        // Rendering again with the rotated objects live converges.
        let again = render(changed, live: r.objects.map(\.object))
        #expect(names(again) == names(r))
        #expect(again.objects.allSatisfy { !$0.hints.contains { if case .rotated = $0 { true } else { false } } })
    }

    /// A control-plane machine template change rotates it and deletes the old one after the control plane.
    @Test func controlPlaneTemplateRotationDeletesTheOldTemplate() throws {
        let fleet = try GoldenRunner.load(fleetFiles)
        let live = render(fleet).objects.map(\.object)
        let changed = fleet.map { so -> SourceObject in
            guard so.object.name == "cp-machine-tpl" else { return so }
            var o = so
            o.object.body[path: ["spec", "template", "spec", "size"]] = "huge"
            return o
        }
        let r = render(changed, live: live)
        let old = live.first { $0.kind == "GenericInfrastructureMachineTemplate" && $0.labels[CAPI.deploymentNameLabel] == nil }!
        #expect(r.deletions.map(\.key) == [old.key])
        #expect(r.deletions.first?.applyOrder == ObjectRole.controlPlane.applyOrder)
        let mt = r.objects.first { $0.role == .controlPlaneInfrastructureMachineTemplate }!
        #expect(mt.hints.filter { $0 != .placeholderOwnerUID } == [.rotated(from: old.name)])
        let cp = r.objects.first { $0.role == .controlPlane }!
        #expect(cp.object.body[path: ["spec", "machineTemplate", "spec", "infrastructureRef", "name"]]?.stringValue == mt.object.name)
    }

    /// A live Cluster's uid replaces the placeholder in every owner reference.
    @Test func liveClusterUIDIsUsed() throws {
        let fleet = try GoldenRunner.load(fleetFiles)
        var cluster = fleet.first { $0.object.kind == "Cluster" }!.object
        cluster.uid = "a1b2c3d4-0000-4000-8000-000000000001"
        let r = render(fleet, live: [cluster])
        let uids = Set(r.objects.flatMap { $0.object.ownerReferences.map(\.uid) })
        #expect(uids == ["a1b2c3d4-0000-4000-8000-000000000001"])
        #expect(!r.objects.contains { $0.hints.contains(.placeholderOwnerUID) })
        #expect(!r.warnings.contains { $0.message.contains("not live") })
    }
}
