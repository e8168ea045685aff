import ArgumentParser
import CapstanCluster
import CapstanModel
import CapstanStore
import Foundation

/// `capstan-bench store`: the embedded management cluster at fleet scale — apply throughput, label-selector
/// lists, watch fan-out and peak memory, for the SQLite and the memory backend. Each backend runs in its own
/// child process so peak RSS (`VmHWM`) is per backend.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Embedded management cluster store.")

    @Option(help: "Objects to apply (MachineSets plus Machines).")
    var objects = 100_000

    @Option(help: "memory, sqlite, or all (each in a child process).")
    var backend = "all"

    @Option(help: "Concurrent watchers for the fan-out measurement.")
    var watchers = 50

    @Option(help: "Writes observed by the watchers.")
    var watchEvents = 5_000

    @Flag(help: "SQLite synchronous=FULL (power-loss durability) instead of NORMAL.")
    var fullSync = false

    func run() async throws {
        if backend == "all" {
            for b in ["sqlite", "memory"] {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                p.arguments = ["store", "--backend", b, "--objects", "\(objects)", "--watchers", "\(watchers)", "--watch-events", "\(watchEvents)"]
                    + (fullSync ? ["--full-sync"] : [])
                try p.run()
                p.waitUntilExit()
                if p.terminationStatus != 0 { throw ExitCode(p.terminationStatus) }
            }
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-bench-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var store: ClusterStore?
        let cluster: ObjectServer
        switch backend {
        case "memory":
            cluster = try await ObjectServer(storage: MemoryStorage(), clock: SystemClock(), uids: RandomUIDGenerator())
        case "sqlite":
            store = try await ClusterStore.open(stateDirectory: dir.path, durability: fullSync ? .powerLoss : .processCrash)
            cluster = store!.cluster
        default:
            throw ValidationError("unknown backend \(backend)")
        }
        let label = backend == "sqlite" ? "sqlite (synchronous=\(fullSync ? "FULL" : "NORMAL"))" : "memory"
        print("backend: \(label), \(objects) objects; load average \(Self.loadAverage())")

        // Apply: MachineSets first (owners), then Machines owned by them.
        let clusters = max(1, objects / 104)
        var setUIDs: [String: String] = [:]
        let start = ContinuousClock.now, cpuStart = Self.cpuSeconds()
        var applied = 0
        for c in 0..<clusters {
            for s in 0..<4 {
                let ms = try await cluster.apply(Self.machineSet(cluster: c, index: s), fieldManager: "capstan")
                setUIDs[ms.name] = ms.uid
                applied += 1
            }
        }
        var i = 0
        while applied < objects {
            let c = i % clusters, s = (i / clusters) % 4
            _ = try await cluster.apply(Self.machine(cluster: c, set: s, index: i, setUID: setUIDs[Self.setName(c, s)]!), fieldManager: "capstan")
            applied += 1
            i += 1
        }
        let applySeconds = Self.seconds(ContinuousClock.now - start), applyCPU = Self.cpuSeconds() - cpuStart
        print(String(format: "apply (create):       %8.0f objects/s wall, %8.0f per CPU-s  (%d in %.1f s)",
                     Double(applied) / applySeconds, Double(applied) / applyCPU, applied, applySeconds))

        // Re-apply with a changed field (update path: read, merge, ownership, write).
        let updates = min(10_000, i)
        let updStart = ContinuousClock.now, updCPU = Self.cpuSeconds()
        for j in 0..<updates {
            let c = j % clusters, s = (j / clusters) % 4
            var m = Self.machine(cluster: c, set: s, index: j, setUID: setUIDs[Self.setName(c, s)]!)
            m.spec?["version"] = "v1.31.2"
            _ = try await cluster.apply(m, fieldManager: "capstan")
        }
        let updSeconds = Self.seconds(ContinuousClock.now - updStart), updCPUs = Self.cpuSeconds() - updCPU
        print(String(format: "apply (update):       %8.0f objects/s wall, %8.0f per CPU-s  (%d in %.1f s)",
                     Double(updates) / updSeconds, Double(updates) / updCPUs, updates, updSeconds))

        print("memory after applying: RSS \(Self.procStatus()["VmRSS"] ?? "?"), peak \(Self.procStatus()["VmHWM"] ?? "?")")

        // Label-selector lists (the broad ones hold tens of thousands of decoded objects at once).
        let machines = GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine")
        for (name, selector, reps) in [
            ("selective (1 cluster)", "cluster.x-k8s.io/cluster-name=c42", 50),
            ("selective (set-based)", "cluster.x-k8s.io/cluster-name in (c1,c2,c3),env!=dev", 50),
            ("broad (env=prod)", "env=prod", 3),
            ("negative-only scan", "env!=prod", 3),
        ] {
            let sel = try LabelSelector(parsing: selector)
            var count = 0
            let t0 = ContinuousClock.now, c0 = Self.cpuSeconds()
            for _ in 0..<reps { count = try await cluster.list(machines, namespace: nil, selector: sel).items.count }
            let ms = Self.seconds(ContinuousClock.now - t0) * 1000 / Double(reps)
            let cpuMs = (Self.cpuSeconds() - c0) * 1000 / Double(reps)
            print(String(format: "list %-24@ %8.2f ms/query wall, %8.2f CPU-ms  (%d objects)", name as NSString, ms, cpuMs, count))
        }

        // Watch fan-out: every watcher sees every event.
        let rv = try await cluster.list(machines, namespace: "fleet-0", selector: try LabelSelector(parsing: "cluster.x-k8s.io/cluster-name=c0")).resourceVersion
        var streams: [WatchStream] = []
        for _ in 0..<watchers { streams.append(try await cluster.watch(machines, namespace: nil, selector: nil, fromResourceVersion: rv)) }
        let events = watchEvents, frozen = streams
        let fanStart = ContinuousClock.now, fanCPU = Self.cpuSeconds()
        let consumers = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for s in frozen {
                    group.addTask {
                        var n = 0
                        for try await _ in s {
                            n += 1
                            if n == events { break }
                        }
                        return n
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        for j in 0..<events {
            let c = j % clusters, s = (j / clusters) % 4
            var m = Self.machine(cluster: c, set: s, index: j, setUID: setUIDs[Self.setName(c, s)]!)
            m.spec?["version"] = .string("v1.32.\(j % 7)")
            _ = try await cluster.apply(m, fieldManager: "capstan")
        }
        let writeSeconds = Self.seconds(ContinuousClock.now - fanStart)
        let delivered = try await consumers.value
        let fanSeconds = Self.seconds(ContinuousClock.now - fanStart), fanCPUs = Self.cpuSeconds() - fanCPU
        print(String(format: "watch fan-out:        %8.0f events/s delivered wall, %8.0f per CPU-s  (%d watchers x %d events in %.2f s; writes took %.2f s)",
                     Double(delivered) / fanSeconds, Double(delivered) / fanCPUs, watchers, events, fanSeconds, writeSeconds))
        streams.removeAll()

        let status = Self.procStatus()
        print("memory at the end: peak RSS (VmHWM) \(status["VmHWM"] ?? "?"), current RSS \(status["VmRSS"] ?? "?")")
        if let store {
            let size = (try? FileManager.default.attributesOfItem(atPath: store.storage.path)[.size] as? Int) ?? 0
            print(String(format: "database file: %.1f MB (plus WAL)", Double(size) / 1_048_576))
            try store.close()
        }
    }

    /// CPU seconds used by the whole process so far (all threads): figures per CPU second stay meaningful on a
    /// machine shared with other work, where wall-clock rates drop.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    static func procStatus() -> [String: String] {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return out
    }

    static func setName(_ cluster: Int, _ set: Int) -> String { "c\(cluster)-md-\(set)-7d9f5" }

    static func env(_ cluster: Int) -> String { ["prod", "staging", "dev"][cluster % 3] }

    /// A MachineSet as the CAPI MachineDeployment controller creates it.
    static func machineSet(cluster c: Int, index s: Int) -> KubeObject {
        var ms = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineSet", namespace: "fleet-\(c % 10)", name: setName(c, s))
        ms.labels = ["cluster.x-k8s.io/cluster-name": "c\(c)", "cluster.x-k8s.io/deployment-name": "c\(c)-md-\(s)",
                     "env": env(c), "topology.cluster.x-k8s.io/owned": ""]
        ms.spec = [
            "clusterName": .string("c\(c)"), "replicas": 25,
            "selector": ["matchLabels": ["cluster.x-k8s.io/deployment-name": .string("c\(c)-md-\(s)")]],
            "template": [
                "metadata": ["labels": ["cluster.x-k8s.io/deployment-name": .string("c\(c)-md-\(s)")]],
                "spec": [
                    "clusterName": .string("c\(c)"), "version": "v1.30.4",
                    "bootstrap": ["configRef": ["apiGroup": "bootstrap.cluster.x-k8s.io", "kind": "KubeadmConfigTemplate", "name": .string("c\(c)-md-\(s)-bootstrap")]],
                    "infrastructureRef": ["apiGroup": "infrastructure.cluster.x-k8s.io", "kind": "DockerMachineTemplate", "name": .string("c\(c)-md-\(s)-infra")],
                ],
            ],
        ]
        return ms
    }

    /// A Machine owned by its MachineSet, with the labels and references CAPI sets.
    static func machine(cluster c: Int, set s: Int, index i: Int, setUID: String) -> KubeObject {
        var m = KubeObject(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "Machine", namespace: "fleet-\(c % 10)", name: "\(setName(c, s))-m\(i)")
        m.labels = ["cluster.x-k8s.io/cluster-name": "c\(c)", "cluster.x-k8s.io/deployment-name": "c\(c)-md-\(s)",
                    "cluster.x-k8s.io/set-name": setName(c, s), "env": env(c), "node-role.kubernetes.io/worker": ""]
        m.annotations = ["cluster.x-k8s.io/cloned-from-name": "c\(c)-md-\(s)-infra", "cluster.x-k8s.io/cloned-from-groupkind": "DockerMachineTemplate.infrastructure.cluster.x-k8s.io"]
        m.ownerReferences = [OwnerReference(apiVersion: "cluster.x-k8s.io/v1beta2", kind: "MachineSet", name: setName(c, s), uid: setUID, controller: true, blockOwnerDeletion: true)]
        m.finalizers = ["machine.cluster.x-k8s.io"]
        m.spec = [
            "clusterName": .string("c\(c)"), "version": "v1.30.4", "failureDomain": .string("fd-\(i % 3)"),
            "providerID": .string("docker:////c\(c)-m\(i)"),
            "bootstrap": ["configRef": ["apiGroup": "bootstrap.cluster.x-k8s.io", "kind": "KubeadmConfig", "name": .string("\(setName(c, s))-m\(i)")],
                          "dataSecretName": .string("\(setName(c, s))-m\(i)")],
            "infrastructureRef": ["apiGroup": "infrastructure.cluster.x-k8s.io", "kind": "DockerMachine", "name": .string("\(setName(c, s))-m\(i)")],
            "deletion": ["nodeDrainTimeoutSeconds": 300, "nodeDeletionTimeoutSeconds": 10],
            "readinessGates": [["conditionType": "NodeHealthy"]],
        ]
        return m
    }
}
