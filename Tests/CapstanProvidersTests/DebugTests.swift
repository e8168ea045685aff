import CapstanCluster
import CapstanModel
import CapstanProviders
import Testing

@Test func debugDump() async throws {
    let h = try await Harness.make(.memory)
    try await h.apply(Fixtures.cluster("c1", cpReplicas: 3, workers: [("md-0", 2)]))
    let r = try await h.manager.runUntilQuiescent()
    print("REPORT", r, h.manager.statistics, h.manager.recentErrors)
    for k in [K.md, K.ms] {
        for o in try await h.list(k) { print(JSON.serializePretty(o.body)) }
    }
}

@Test func debugDrain() async throws {
    let clock = SimulatedClock()
    let server = try await ObjectServer(storage: MemoryStorage(), clock: clock)
    let l = try await server.list(K.machine)
    print("LIST RV", l.resourceVersion)
    _ = try await server.create(KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "default", name: "m1"), fieldManager: "t")
    let probe = try await server.list(GroupVersionKind(group: "sim.capstan.io", version: "v1alpha1", kind: "ResourceVersionProbe"), namespace: nil, selector: nil)
    print("PROBE RV", probe.resourceVersion)
    let stream = try await server.watch(K.machine, namespace: nil, selector: nil, fromResourceVersion: l.resourceVersion)
    stream.cancel()
    for try await e in stream { print("EVENT", e.type, e.object.name, e.resourceVersion) }
    print("DONE")
}

@Test func debugDrain2() async throws {
    let clock = SimulatedClock()
    let server = try await ObjectServer(storage: MemoryStorage(), clock: clock)
    _ = try await server.create(KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "default", name: "m1"), fieldManager: "t")
    let l = try await server.list(K.machine)
    print("LIST RV", l.resourceVersion)
    _ = try await server.create(KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "default", name: "m2"), fieldManager: "t")
    let stream = try await server.watch(K.machine, namespace: nil, selector: nil, fromResourceVersion: l.resourceVersion)
    stream.cancel()
    for try await e in stream { print("EVENT", e.type, e.object.name, e.resourceVersion) }
    print("DONE")
}
