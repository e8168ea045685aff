import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Suite("KubeadmControlPlane")
struct ControlPlaneTests {
    static func controlPlaneMachines(_ h: Harness) async throws -> [KubeObject] {
        try await h.list(K.machine).filter { $0.labels["cluster.x-k8s.io/control-plane"] != nil }
    }

    @Test("a chained upgrade goes 1.33 → 1.34 → 1.35 → 1.36, one minor at a time", arguments: Backend.allCases)
    func chainedUpgrade(backend: Backend) async throws {
        let h = try await Harness.make(backend)
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.0", cpReplicas: 3, workers: []))
        try await h.settle()
        try await h.apply([Fixtures.controlPlane("c1-cp", cluster: "c1", replicas: 3, version: "v1.36.0", template: "c1-cp")])

        let statusVersions = Recorder<String>(), plans = Recorder<String>()
        try await h.settle { _ in
            let kcp = try await h.get(K.kcp, "c1-cp")
            if let v = kcp?.str("status", "version") { statusVersions.record(v) }
            let minors = try await Self.controlPlaneMachines(h).filter { !$0.isDeleting }.compactMap { KubeVersion($0.str("spec", "version") ?? "")?.minor }
            if let lo = minors.min(), let hi = minors.max() {
                #expect(hi - lo <= 1, "machines more than one minor apart: \(minors)")
            }
            #expect(minors.count <= 4, "more than replicas + 1 control-plane machines")
            let plan = try await h.get(K.cluster, "c1")?.body[path: ["status", "controlPlane", "upgradePlan"]]?.listValue?
                .compactMap { $0["version"]?.stringValue }.joined(separator: ",")
            if let plan, !plan.isEmpty { plans.record(plan) }
            return true
        }
        #expect(statusVersions.distinct == ["v1.33.0", "v1.34.0", "v1.35.0", "v1.36.0"])
        #expect(plans.distinct.first == "v1.34.0,v1.35.0,v1.36.0")
        #expect(plans.distinct.contains("v1.35.0,v1.36.0"))
        let machines = try await Self.controlPlaneMachines(h)
        #expect(machines.count == 3)
        #expect(machines.allSatisfy { $0.str("spec", "version") == "v1.36.0" && $0.condition("UpToDate")?.status == .true })
        let kcp = try #require(try await h.get(K.kcp, "c1-cp"))
        #expect(kcp.str("status", "version") == "v1.36.0")
        #expect(kcp.num("status", "upToDateReplicas") == 3)
        #expect(kcp.condition("RollingOut")?.status == .false)
        #expect(try await h.get(K.cluster, "c1")?.body[path: ["status", "controlPlane", "upgradePlan"]] == nil)
    }

    @Test("intermediate versions come from the kubernetes-versions annotation")
    func chainedUpgradeWithKnownVersions() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.2", cpReplicas: 1, workers: []))
        try await h.settle()
        var cp = Fixtures.controlPlane("c1-cp", cluster: "c1", replicas: 1, version: "v1.35.1", template: "c1-cp")
        cp.annotations = ["controlplane.capstan.io/kubernetes-versions": "v1.34.0,v1.34.3,v1.35.1"]
        try await h.apply([cp])
        let versions = Recorder<String>()
        try await h.settle { _ in
            if let v = try await h.get(K.kcp, "c1-cp")?.str("status", "version") { versions.record(v) }
            return true
        }
        #expect(versions.distinct == ["v1.33.2", "v1.34.3", "v1.35.1"])
    }

    @Test("a single-node control plane is upgraded in place", arguments: Backend.allCases)
    func inPlaceUpgrade(backend: Backend) async throws {
        let h = try await Harness.make(backend)
        try await h.apply(Fixtures.cluster("c1", version: "v1.33.0", cpReplicas: 1, workers: []))
        try await h.settle()
        let before = try await Self.controlPlaneMachines(h)
        #expect(before.count == 1)
        try await h.apply([Fixtures.controlPlane("c1-cp", cluster: "c1", replicas: 1, version: "v1.35.0", template: "c1-cp")])
        let sawUpdating = Counter(), versions = Recorder<String>()
        try await h.settle { _ in
            let machines = try await Self.controlPlaneMachines(h)
            #expect(machines.count == 1, "in-place upgrades never add a machine")
            if machines.first?.condition("Updating")?.status == .true { sawUpdating.add() }
            if let v = try await h.get(K.kcp, "c1-cp")?.str("status", "version") { versions.record(v) }
            return true
        }
        #expect(sawUpdating.value > 0)
        #expect(versions.distinct == ["v1.33.0", "v1.34.0", "v1.35.0"])
        let after = try await Self.controlPlaneMachines(h)
        #expect(after.map(\.name) == before.map(\.name))
        #expect(after.first?.str("spec", "version") == "v1.35.0")
        #expect(after.first?.str("status", "nodeInfo", "kubeletVersion") == "v1.35.0")
        #expect(after.first?.annotations["in-place-updates.internal.cluster.x-k8s.io/update-in-progress"] == nil)
        #expect(after.first?.condition("Ready")?.status == .true)
        let node = try #require(try await h.list(K.node).first)
        #expect(node.str("status", "nodeInfo", "kubeletVersion") == "v1.35.0")
        #expect(try await h.get(K.cluster, "c1")?.condition("Available")?.status == .true)
    }

    @Test("bootstrap data: kubeadm init for the first control-plane machine, join for the others")
    func bootstrapData() async throws {
        let h = try await Harness.make()
        try await h.apply(Fixtures.cluster("c1", cpReplicas: 3, workers: [("md-0", 1)]))
        try await h.settle()
        let machines = try await h.list(K.machine).sorted { ($0.str("metadata", "creationTimestamp") ?? "", $0.name) < ($1.str("metadata", "creationTimestamp") ?? "", $1.name) }
        var inits = 0, joins = 0
        for m in machines {
            let config = try #require(try await h.get(K.kubeadmConfig, m.name))
            #expect(config.str("status", "dataSecretName") == m.name)
            #expect(config.body[path: ["status", "initialization", "dataSecretCreated"]] == true)
            #expect(config.ownerReferences.contains { $0.kind == "Machine" && $0.uid == m.uid && $0.controller == true })
            let secret = try #require(try await h.get(K.secret, m.name))
            #expect(secret.str("type") == "cluster.x-k8s.io/secret")
            #expect(secret.labels["cluster.x-k8s.io/cluster-name"] == "c1")
            let data = String(decoding: try #require(Base64Decoder.decode(secret.str("data", "value") ?? "")), as: UTF8.self)
            #expect(data.hasPrefix("## template: jinja\n#cloud-config\n"))
            #expect(data.contains("\"kubernetesVersion\": \"v1.33.0\"") || data.contains("JoinConfiguration"))
            if data.contains("kubeadm init") { inits += 1 } else if data.contains("kubeadm join") { joins += 1 }
            #expect(m.str("spec", "bootstrap", "dataSecretName") == m.name)
        }
        #expect(inits == 1 && joins == 3)
        #expect(machines.first.map { $0.labels["cluster.x-k8s.io/control-plane"] != nil } == true)
    }
}

/// Records values seen across steps, in order.
final class Recorder<T: Equatable & Sendable>: @unchecked Sendable {  // @unchecked: observers run one at a time.
    private(set) var values: [T] = []
    func record(_ v: T) { values.append(v) }
    /// Values with consecutive repeats removed.
    var distinct: [T] { values.reduce(into: []) { out, v in if out.last != v { out.append(v) } } }
}

/// Base64 decoding for checking Secret data.
enum Base64Decoder {
    static func decode(_ s: String) -> [UInt8]? {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var lookup = [Int](repeating: -1, count: 256)
        for (i, c) in table.enumerated() { lookup[Int(c)] = i }
        var out: [UInt8] = [], acc = 0, bits = 0
        for c in s.utf8 where c != UInt8(ascii: "=") {
            guard lookup[Int(c)] >= 0 else { return nil }
            acc = (acc << 6) | lookup[Int(c)]
            bits += 6
            if bits >= 8 { bits -= 8; out.append(UInt8((acc >> bits) & 0xff)) }
        }
        return out
    }
}
