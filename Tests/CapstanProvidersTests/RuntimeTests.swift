import CapstanCluster
import CapstanModel
@testable import CapstanProviders
import Testing

@Suite("Controller runtime pieces")
struct RuntimeTests {
    func key(_ name: String) -> ObjectKey { ObjectKey(group: "cluster.x-k8s.io", kind: "Machine", namespace: "default", name: name) }

    @Test("work queue: FIFO, de-duplication, requeue-after, backoff")
    func workQueue() {
        var q = WorkQueue<ObjectKey>()
        let t0 = Moment(milliseconds: 1_000_000)
        q.add(key("a")); q.add(key("b")); q.add(key("a"))
        #expect(q.readyCount == 2)
        #expect(q.pop() == key("a"))
        q.add(key("c"), at: t0.advanced(by: .seconds(10)))
        q.add(key("c"), at: t0.advanced(by: .seconds(5)))   // the earlier schedule wins
        q.add(key("d"), at: t0.advanced(by: .seconds(7)))
        #expect(q.nextDue() == t0.advanced(by: .seconds(5)))
        q.promote(now: t0.advanced(by: .seconds(6)))
        #expect(q.pop() == key("b"))
        #expect(q.pop() == key("c"))
        #expect(q.pop() == nil)
        q.add(key("d"))                                     // ready now supersedes the schedule
        #expect(q.pop() == key("d"))
        #expect(q.nextDue() == nil)
        #expect(q.isEmpty)
        let d1 = q.addRateLimited(key("e"), now: t0), d2 = q.addRateLimited(key("e"), now: t0), d3 = q.addRateLimited(key("e"), now: t0)
        #expect((d1, d2, d3) == (.milliseconds(5), .milliseconds(10), .milliseconds(20)))
        q.forget(key("e"))
        #expect(q.addRateLimited(key("e"), now: t0) == .milliseconds(5))
        for _ in 0..<40 { q.addRateLimited(key("f"), now: t0) }
        #expect(q.addRateLimited(key("f"), now: t0) == .seconds(1000))
    }

    static func machine(_ name: String, available: Bool) -> KubeObject {
        var m = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "default", name: name)
        m.status = ["conditions": [["type": "Available", "status": .string(available ? "True" : "False"), "reason": "x"]]]
        return m
    }

    func plan(desired: Int, surge: Int, unavailable: Int, new: (Int, Int, Int), old: [(Int, Int, Int)]) -> RolloutPlan {
        // (replicas, machines, available)
        func set(_ n: String, _ t: (Int, Int, Int)) -> RolloutPlan.Set {
            RolloutPlan.Set(key: key(n), replicas: t.0, machines: (0..<t.1).map { Self.machine("\(n)-\($0)", available: $0 < t.2) })
        }
        var p = RolloutPlan(desired: desired, maxSurge: surge, maxUnavailable: unavailable)
        p.newSet = set("new", new)
        p.oldSets = old.enumerated().map { set("old\($0.offset)", $0.element) }
        p.planRollingUpdate()
        return p
    }

    @Test("rolling update arithmetic follows the Deployment controller")
    func rolloutPlan() {
        // Surge 1 / unavailable 0: first one new machine, nothing removed until it is available.
        var p = plan(desired: 3, surge: 1, unavailable: 0, new: (0, 0, 0), old: [(3, 3, 3)])
        #expect(p.newSet.replicas == 1 && p.oldSets[0].replicas == 3)
        p = plan(desired: 3, surge: 1, unavailable: 0, new: (1, 1, 0), old: [(3, 3, 3)])
        #expect(p.newSet.replicas == 1 && p.oldSets[0].replicas == 3)
        p = plan(desired: 3, surge: 1, unavailable: 0, new: (1, 1, 1), old: [(3, 3, 3)])
        #expect(p.newSet.replicas == 1 && p.oldSets[0].replicas == 2)
        // Surge 0 / unavailable 1: remove first.
        p = plan(desired: 3, surge: 0, unavailable: 1, new: (0, 0, 0), old: [(3, 3, 3)])
        #expect(p.newSet.replicas == 0 && p.oldSets[0].replicas == 2)
        // Both zero: Kubernetes allows one unavailable.
        #expect(RolloutPlan(desired: 3, maxSurge: 0, maxUnavailable: 0).maxUnavailable == 1)
        // Nothing is removed while the new machine is unavailable and no surge room is left...
        p = plan(desired: 3, surge: 1, unavailable: 0, new: (1, 1, 0), old: [(3, 3, 1)])
        #expect(p.oldSets[0].replicas == 3)
        // ...then unavailable old machines go first (they cost no availability).
        p = plan(desired: 3, surge: 1, unavailable: 0, new: (1, 1, 1), old: [(3, 3, 1)])
        #expect(p.oldSets[0].replicas == 2)
        // Scaling the new set down when desired drops.
        p = plan(desired: 2, surge: 1, unavailable: 0, new: (3, 3, 3), old: [])
        #expect(p.newSet.replicas == 2)
        // OnDelete: old sets keep their machines, the new set makes up the rest.
        var o = RolloutPlan(desired: 3, maxSurge: 1, maxUnavailable: 0)
        o.newSet = RolloutPlan.Set(key: key("new"), replicas: 0, machines: [])
        o.oldSets = [RolloutPlan.Set(key: key("old"), replicas: 3, machines: [Self.machine("x", available: true), Self.machine("y", available: true)])]
        o.planOnDelete()
        #expect(o.oldSets[0].replicas == 2 && o.newSet.replicas == 1)
    }

    @Test("versions and upgrade plans")
    func versions() {
        let v = { (s: String) in KubeVersion(s)! }
        #expect(KubeVersion("1.33.0") == v("v1.33.0"))
        #expect(KubeVersion("v1.33") == nil && KubeVersion("banana") == nil)
        #expect(v("v1.33.0-rc.1") < v("v1.33.0"))
        #expect(KubeVersion.upgradePlan(from: v("v1.33.0"), to: v("v1.36.2")).map(\.description) == ["v1.34.0", "v1.35.0", "v1.36.2"])
        #expect(KubeVersion.upgradePlan(from: v("v1.33.0"), to: v("v1.34.5")).map(\.description) == ["v1.34.5"])
        #expect(KubeVersion.upgradePlan(from: v("v1.33.0"), to: v("v1.33.0")).isEmpty)
        #expect(KubeVersion.upgradePlan(from: v("v1.35.0"), to: v("v1.33.0")).map(\.description) == ["v1.33.0"])
        #expect(KubeVersion.upgradePlan(from: v("v1.33.0"), to: v("v1.35.0"), known: [v("v1.34.1"), v("v1.34.4"), v("v1.36.0")]).map(\.description) == ["v1.34.4", "v1.35.0"])
    }

    @Test("int-or-percent, Go durations, ranges")
    func parsing() {
        #expect(IntOrPercent(.int(2))?.scaled(10, roundUp: false) == 2)
        #expect(IntOrPercent("25%")?.scaled(10, roundUp: true) == 3)
        #expect(IntOrPercent("25%")?.scaled(10, roundUp: false) == 2)
        #expect(IntOrPercent("3")?.scaled(10, roundUp: false) == 3)
        #expect(IntOrPercent("x%") == nil)
        #expect(GoDuration.duration("10m") == .seconds(600))
        #expect(GoDuration.duration("1h30m") == .seconds(5400))
        #expect(GoDuration.duration("300s") == .seconds(300))
        #expect(GoDuration.duration("1.5s") == .milliseconds(1500))
        #expect(GoDuration.duration("12") == nil && GoDuration.duration("3d") == nil)
        #expect(MachineHealthCheckController.parseRange("[1-3]")! == (1, 3))
        #expect(MachineHealthCheckController.parseRange("[3-1]") == nil)
        #expect(MachineHealthCheckController.parseRange("1-3") == nil)
    }

    @Test("SHA-256 and base64 against known vectors")
    func digests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fooba".utf8)) == "Zm9vYmE=")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.decode("Zm9vYmE=").map { String(decoding: $0, as: UTF8.self) } == "fooba")
    }

    @Test("conditions keep their transition time while the status holds")
    func conditions() {
        var status: Value = .map([:])
        let t0 = Moment(milliseconds: 1_735_689_600_000), t1 = t0.advanced(by: .seconds(30))
        Conditions.set([Condition("Ready", .false, reason: "NotReady")], in: &status, now: t0, generation: 1)
        Conditions.set([Condition("Ready", .false, reason: "StillNotReady", message: "m")], in: &status, now: t1, generation: 2)
        var obj = KubeObject(apiVersion: "v1", kind: "X", name: "x")
        obj.status = status
        #expect(Conditions.get(obj, "Ready")?.lastTransitionTime == "2025-01-01T00:00:00Z")
        #expect(Conditions.get(obj, "Ready")?.reason == "StillNotReady")
        #expect(Conditions.get(obj, "Ready")?.observedGeneration == 2)
        Conditions.set([Condition("Ready", .true, reason: "Ready")], in: &status, now: t1, generation: 2)
        obj.status = status
        #expect(Conditions.get(obj, "Ready")?.lastTransitionTime == "2025-01-01T00:00:30Z")
        #expect(Conditions.get(obj, "Ready")?.message == "")
    }

    @Test("machine-set names stay valid label values; template hashes ignore in-place fields")
    func names() {
        let long = String(repeating: "a", count: 70)
        #expect(MachineDeploymentController.machineSetName(long, "bcdfghjklm").count == 63)
        #expect(MachineTemplate.labelValue(long).count <= 63)
        let spec: Value = ["version": "v1.33.0", "infrastructureRef": ["apiGroup": "g", "kind": "K", "name": "n"], "minReadySeconds": 10]
        var changed = spec
        changed["minReadySeconds"] = 20
        #expect(MachineTemplate.hash(spec) == MachineTemplate.hash(changed))
        changed["version"] = "v1.34.0"
        #expect(MachineTemplate.hash(spec) != MachineTemplate.hash(changed))
    }
}
