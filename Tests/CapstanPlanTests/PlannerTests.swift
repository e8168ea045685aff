import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPlan
import CapstanTesting
import Foundation
import Testing

@Suite struct PlannerTests {
    let base = FleetFiles.example

    func plan(_ head: FleetFiles, live: [KubeObject]? = nil, policies: [FleetObject] = []) -> Plan {
        Planner.plan(PlanInput(base: base.snapshot, baseLabel: "base", head: head.snapshot, headLabel: "head", live: live, liveLabel: "test", policyObjects: policies))
    }

    static var policyLibrary: [FleetObject] {
        let dir = CLI.packageRoot().appendingPathComponent("policies").path
        let snapshot = FleetLoader(checkIdentity: false).load([FleetSource(tree: DirectoryTree(path: dir, fileExtensions: ["yaml"]))])
        return snapshot.objects.filter { !$0.path.contains("tests/") && !$0.path.hasSuffix("capstan-policy-test.yaml") }
    }

    @Test func chainedUpgradesFollowTheClassVersionsAndThePolicyDeniesSkippingAMinor() {
        let p = plan(base.replacing("clusters/team-a/prod-1.yaml", "version: v1.30.6", "version: v1.32.0"), policies: Self.policyLibrary)
        let prod = p.clusters.first { $0.key.name == "prod-1" }!
        let upgrade = prod.impact.upgrade!
        #expect((upgrade.from, upgrade.to) == ("v1.30.6", "v1.32.0"))
        #expect(upgrade.controlPlaneSteps == ["v1.31.2", "v1.32.0"])  // from ClusterClass kubernetesVersions
        #expect(upgrade.workerOrder == ["general", "memory"])
        #expect(upgrade.concurrency == 2)
        // Each control-plane step replaces all 3 machines, one at a time; this pass starts with the first step.
        #expect(prod.impact.controlPlane?.rollout?.machines == 6)
        #expect(prod.objects.first { $0.key.kind == "KubeadmControlPlane" }?.change.change.fieldChanges.contains {
            $0.path.display == "spec.version" && $0.new == "v1.31.2"
        } == true)
        #expect(prod.impact.workers.map(\.action) == [.held, .held])
        #expect(p.hasDeny)
        #expect(p.exitCode == 3)
        #expect(prod.verdicts.contains { $0.policy == "kubernetes-version-skew" && $0.denies })
    }

    @Test func replicaChangesScaleWithoutReplacing() {
        let p = plan(base.replacing("clusters/team-a/prod-1.yaml", "name: general\n          replicas: 3", "name: general\n          replicas: 1"))
        let w = p.clusters.first { $0.key.name == "prod-1" }!.impact.workers
        #expect(w.count == 1)
        #expect(w[0].action == .scale)
        #expect(w[0].scale == Scale(from: 3, to: 1))
        #expect(w[0].machines == MachineCounts(replaced: 0, created: 0, deleted: 2))
    }

    @Test func metadataOnlyChangesAreInPlace() {
        let p = plan(base.replacing("clusters/team-a/prod-1.yaml", "platform.example.com/workload: cache", "platform.example.com/workload: cache-v2"))
        let w = p.clusters.first { $0.key.name == "prod-1" }!.impact.workers
        #expect(w.map(\.action) == [.inPlace])
        #expect(w[0].machines.isZero)
        #expect(w[0].inPlace.first?.contains("spec.template.metadata.labels.platform.example.com/workload") == true)
    }

    @Test func percentagesResolveAgainstReplicasForRolloutSteps() {
        let strategy = RolloutStrategy(kind: .rollingUpdate, maxSurge: 1, maxUnavailable: 0)
        #expect(strategy.steps(replicas: 5) == 5)
        #expect(RolloutStrategy(kind: .rollingUpdate, maxSurge: 2, maxUnavailable: 1).steps(replicas: 10) == 4)
        #expect(RolloutStrategy(kind: .onDelete, maxSurge: 0, maxUnavailable: 0).steps(replicas: 3) == nil)
        // 25% of 10: surge rounds up (3), unavailable rounds down (2).
        let p = plan(base.replacing("clusters/team-a/prod-1.yaml", "name: general\n          replicas: 3",
                                    "name: general\n          replicas: 10\n          rollout:\n            strategy:\n              type: RollingUpdate\n              rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}")
                        .replacing("clusters/team-a/prod-1.yaml", "version: v1.30.6", "version: v1.31.2"))
        let general = p.clusters.first { $0.key.name == "prod-1" }!.impact.workers.first { $0.topology == "general" }!
        #expect(general.rollout?.strategy == RolloutStrategy(kind: .rollingUpdate, maxSurge: 3, maxUnavailable: 2))
        #expect(general.rollout?.steps == 2)
    }

    @Test func liveStateNamesAreUsed() {
        // Live objects from a render of the base (as an export of the management cluster would hold them).
        let settled = SteadyState.objects(settling: base.snapshot)
        let renamed = settled.map { o -> KubeObject in
            guard o.kind == "MachineDeployment", o.namespace == "team-a", o.labels["topology.cluster.x-k8s.io/deployment-name"] == "md-0" else { return o }
            var r = o
            r.body[path: ["metadata", "name"]] = "dev-1-md-0-live"
            return r
        }
        let p = plan(base.replacing("clusters/team-a/dev-1.yaml", "name: md-0\n          replicas: 1", "name: md-0\n          replicas: 2"), live: renamed)
        let dev = p.clusters.first { $0.key.name == "dev-1" }!
        #expect(dev.objects.contains { $0.key.name == "dev-1-md-0-live" && $0.change.change.fieldChanges.map(\.path.display) == ["spec.replicas"] })
        #expect(p.liveState == .given("test"))
    }

    @Test func revisionsThatDoNotLoadCompareNothing() {
        let p = plan(base.setting("clusters/team-a/dev-1.yaml", "apiVersion: v1\nkind: [unclosed\n"))
        #expect(p.exitCode == 1)
        #expect(p.clusters.isEmpty)
        #expect(p.head.errors.first?.location?.file == "clusters/team-a/dev-1.yaml")
        #expect(p.text().contains("The head revision does not load; nothing was compared:\n  clusters/team-a/dev-1.yaml:"))
    }

    @Test func markdownIsCutUnderTheLimitWithANote() {
        // 60 Clusters each changing: far beyond a small limit.
        var head = base
        var baseFiles = base
        for i in 0..<60 {
            let text = base.texts["clusters/team-a/dev-1.yaml"]!.replacingOccurrences(of: "name: dev-1", with: "name: c\(i)")
            baseFiles = baseFiles.setting("clusters/gen/c\(i).yaml", text)
            head = head.setting("clusters/gen/c\(i).yaml", text.replacingOccurrences(of: "replicas: 1\n    variables", with: "replicas: 3\n    variables"))
        }
        let p = Planner.plan(PlanInput(base: baseFiles.snapshot, baseLabel: "base", head: head.snapshot, headLabel: "head"))
        #expect(p.clusters.filter { $0.status == .changed }.count == 60)
        let full = p.markdown()
        #expect(full.count <= Plan.markdownLimit)
        #expect(p.markdown(limit: 1_000_000).count > Plan.markdownLimit)  // so the default limit did cut something
        #expect(!p.markdown(limit: 1_000_000).contains("Cut to stay under"))
        let cut = p.markdown(limit: 12_000)
        #expect(cut.count <= 12_000)
        #expect(cut.contains("> **Cut to stay under 12000 characters:**"))
        #expect(cut.hasPrefix("## Capstan plan\n"))
        #expect(cut.contains("| `team-a/c0` | changed |"))
    }
}
