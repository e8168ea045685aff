import ArgumentParser
import CapstanCluster
import CapstanModel
import CapstanProviders
import CapstanStore
import Foundation

/// `capstan-bench providers`: drives N topology-style clusters (a 3-replica control plane plus
/// MachineDeployments, 10 machines per cluster) from creation to all-Ready with the embedded controllers in
/// simulated time, and reports wall time, controller throughput and peak memory.
struct ProvidersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "providers", abstract: "Embedded controllers: clusters from creation to Ready.")

    @Option(help: "Number of clusters.")
    var clusters = 1000

    @Option(help: "Storage backend: memory or sqlite.")
    var backend = "memory"

    @Option(help: "Watch events the store keeps (the informers read them every round, so a short log suffices).")
    var eventRetention: Int64 = 5_000

    func run() async throws {
        let clock = SimulatedClock()
        var options = ObjectServer.Options()
        options.eventRetention = eventRetention
        var store: ClusterStore?
        var dir: URL?
        let server: ObjectServer
        switch backend {
        case "sqlite":
            let d = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-bench-providers-\(UUID().uuidString)")
            dir = d
            store = try await ClusterStore.open(stateDirectory: d.path, clock: clock, options: options)
            server = store!.cluster
        default:
            server = try await ObjectServer(storage: MemoryStorage(), clock: clock, options: options)
        }
        defer {
            try? store?.close()
            if let dir { try? FileManager.default.removeItem(at: dir) }
        }

        let applyStart = ContinuousClock.now
        var applied = 0
        for i in 0..<clusters {
            for obj in TopologyFleet.cluster(name: String(format: "cluster-%04d", i), namespace: "fleet") {
                _ = try await server.apply(obj, fieldManager: "capstan", force: true)
                applied += 1
            }
        }
        let applyTime = ContinuousClock.now - applyStart

        let manager = EmbeddedProviders.manager(cluster: server, clock: clock)
        let runStart = ContinuousClock.now
        let report = try await manager.runUntilQuiescent()
        let runTime = ContinuousClock.now - runStart
        let stats = manager.statistics

        // All Ready?
        let clusterObjs = try await server.list(CAPI.Kind.cluster).items
        let machines = try await server.list(CAPI.Kind.machine).items
        let available = clusterObjs.filter { Conditions.isTrue($0, ConditionType.available) }.count
        let ready = machines.filter { Conditions.isTrue($0, ConditionType.ready) }.count
        let secs = Double(runTime.components.seconds) + Double(runTime.components.attoseconds) / 1e18
        let applySecs = Double(applyTime.components.seconds) + Double(applyTime.components.attoseconds) / 1e18
        print("backend: \(backend), clusters: \(clusters), objects applied: \(applied) in \(String(format: "%.2f", applySecs)) s")
        print("all Ready: \(available == clusters && ready == clusters * 10) (\(available)/\(clusters) clusters Available, \(ready)/\(machines.count) machines Ready)")
        print("quiescent: \(report.quiescent), simulated time: \(report.simulatedTime.components.seconds) s, rounds: \(report.rounds)")
        print(String(format: "wall time: %.2f s, reconciles: %d (%.0f/s), writes: %d (%.0f/s), conflicts: %d, errors: %d",
                     secs, stats.reconciles, Double(stats.reconciles) / secs, stats.writes, Double(stats.writes) / secs, stats.conflicts, stats.errors))
        for (name, n) in stats.reconcilesByController.sorted(by: { $0.value > $1.value }) {
            print("  \(name): \(n) reconciles, \(stats.writesByController[name] ?? 0) writes")
        }
        print("peak memory (VmHWM): \(PeakMemory.vmHWM())")
        if available != clusters || ready != clusters * 10 { throw ExitCode(1) }
    }
}

/// The objects the topology renderer produces for one cluster of a small ClusterClass: the Cluster (with
/// `spec.topology` and the references the topology controller fills in), DockerCluster, KubeadmControlPlane
/// (3 replicas) and its machine template, two MachineDeployments (4 + 3 replicas) with their bootstrap and
/// infrastructure templates, and a MachineHealthCheck — templates owned by the Cluster as topology does.
enum TopologyFleet {
    static func cluster(name: String, namespace: String, version: String = "v1.33.0") -> [KubeObject] {
        func obj(_ apiVersion: String, _ kind: String, _ n: String, _ spec: Value, labels: [String: String] = [:]) -> KubeObject {
            var o = KubeObject(apiVersion: apiVersion, kind: kind, namespace: namespace, name: n)
            var l = labels
            l["cluster.x-k8s.io/cluster-name"] = name
            l["topology.cluster.x-k8s.io/owned"] = ""
            o.labels = l
            o.spec = spec
            return o
        }
        func ref(_ group: String, _ kind: String, _ n: String) -> Value { ["apiGroup": .string(group), "kind": .string(kind), "name": .string(n)] }
        let infra = "infrastructure.cluster.x-k8s.io"
        var cluster = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Cluster", namespace: namespace, name: name)
        cluster.spec = [
            "clusterNetwork": ["pods": ["cidrBlocks": ["192.168.0.0/16"]], "services": ["cidrBlocks": ["10.128.0.0/12"]]],
            "topology": ["classRef": ["name": "quick-start"], "version": .string(version),
                         "controlPlane": ["replicas": 3],
                         "workers": ["machineDeployments": [["class": "default-worker", "name": "md-0", "replicas": 4],
                                                            ["class": "default-worker", "name": "md-1", "replicas": 3]]]],
            "infrastructureRef": ref(infra, "DockerCluster", name),
            "controlPlaneRef": ref("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", name),
        ]
        var objs = [cluster]
        objs.append(obj("infrastructure.cluster.x-k8s.io/v1beta2", "DockerCluster", name, ["loadBalancer": [:]]))
        objs.append(obj("infrastructure.cluster.x-k8s.io/v1beta2", "DockerMachineTemplate", "\(name)-control-plane", ["template": ["spec": ["extraMounts": []]]]))
        objs.append(obj("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane", name, [
            "replicas": 3, "version": .string(version),
            "machineTemplate": ["spec": ["infrastructureRef": ref(infra, "DockerMachineTemplate", "\(name)-control-plane")]],
            "kubeadmConfigSpec": ["clusterConfiguration": ["apiServer": ["certSANs": ["localhost", "127.0.0.1"]]],
                                  "initConfiguration": ["nodeRegistration": [:]], "joinConfiguration": ["nodeRegistration": [:]]],
        ]))
        objs.append(obj("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfigTemplate", "\(name)-md", ["template": ["spec": ["joinConfiguration": ["nodeRegistration": [:]]]]]))
        objs.append(obj("infrastructure.cluster.x-k8s.io/v1beta2", "DockerMachineTemplate", "\(name)-md", ["template": ["spec": ["extraMounts": []]]]))
        for (md, replicas) in [("md-0", 4), ("md-1", 3)] {
            let mdName = "\(name)-\(md)"
            let selector: Value = ["cluster.x-k8s.io/cluster-name": .string(name), "topology.cluster.x-k8s.io/deployment-name": .string(md)]
            objs.append(obj("cluster.x-k8s.io/v1beta2", "MachineDeployment", mdName, [
                "clusterName": .string(name), "replicas": .int(Int64(replicas)),
                "selector": ["matchLabels": selector],
                "template": ["metadata": ["labels": selector], "spec": [
                    "clusterName": .string(name), "version": .string(version),
                    "bootstrap": ["configRef": ref("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate", "\(name)-md")],
                    "infrastructureRef": ref(infra, "DockerMachineTemplate", "\(name)-md"),
                ]],
            ], labels: ["topology.cluster.x-k8s.io/deployment-name": md]))
        }
        objs.append(obj("cluster.x-k8s.io/v1beta2", "MachineHealthCheck", "\(name)-md", [
            "clusterName": .string(name),
            "selector": ["matchLabels": ["cluster.x-k8s.io/cluster-name": .string(name)]],
            "checks": ["nodeStartupTimeoutSeconds": 600,
                       "unhealthyNodeConditions": [["type": "Ready", "status": "False", "timeoutSeconds": 300],
                                                   ["type": "Ready", "status": "Unknown", "timeoutSeconds": 300]]],
            "remediation": ["triggerIf": ["unhealthyLessThanOrEqualTo": "40%"]],
        ]))
        return objs
    }
}

/// The process's peak resident set size, from /proc/self/status.
enum PeakMemory {
    static func vmHWM() -> String {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return "unavailable" }
        let kb = Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0)
        return String(format: "%.0f MiB", kb / 1024)
    }
}
