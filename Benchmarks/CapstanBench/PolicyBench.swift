import ArgumentParser
import CapstanCEL
import CapstanFleet
import CapstanModel
import CapstanPolicy
import Foundation

/// `capstan-bench policy`: the `policies/` library evaluated by `PolicyEngine` against generated CAPI
/// Clusters (objects/s, policy evaluations/s), and standard-CEL forms of its Cluster checks in Capstan and
/// in cel-python (`pip install cel-python`, run in a python3 subprocess) as a peer.
struct PolicyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Policy library throughput (PolicyEngine; standard-CEL checks vs cel-python).")

    @Option(help: "Number of generated Cluster objects.") var objects = 10_000
    @Option(help: "Objects evaluated by cel-python (it is slow; the rate is per evaluation).") var pythonObjects = 1_000
    @Option(help: "Python interpreter with cel-python installed.") var python = "python3"
    @Option(help: "The policy library directory.") var policies = "policies"
    @Flag(help: "Skip the cel-python comparison.") var noPython = false

    /// Standard-CEL forms of the library's Cluster checks (cel-python 0.5 has no optional syntax
    /// (`.?f`), no strings extension (`split`, `join`) and no Kubernetes libraries (semver, CIDR)), with
    /// the parameter lists pre-split in `params`.
    static let peerExpressions: [String] = [
        // control-plane-replicas-odd
        "!has(object.spec.topology) || !has(object.spec.topology.controlPlane) || !has(object.spec.topology.controlPlane.replicas) || object.spec.topology.controlPlane.replicas % 2 == 1",
        // cluster-owner (presence, then syntax)
        "(has(object.metadata.labels) && 'platform.example.com/team' in object.metadata.labels) || (has(namespaceObject.metadata.labels) && 'platform.example.com/team' in namespaceObject.metadata.labels)",
        "!has(object.metadata.labels) || !('platform.example.com/team' in object.metadata.labels) || object.metadata.labels['platform.example.com/team'].matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
        // worker-replicas-bounds (per pool)
        "!has(object.spec.topology) || !has(object.spec.topology.workers) || !has(object.spec.topology.workers.machineDeployments) || object.spec.topology.workers.machineDeployments.all(p, !has(p.replicas) || (p.replicas >= 0 && p.replicas <= 50))",
        // no-default-namespace
        "request.namespace != 'default'",
        // production-health-checks
        "!has(object.metadata.labels) || !('platform.example.com/tier' in object.metadata.labels) || object.metadata.labels['platform.example.com/tier'] != 'production' || object.spec.topology.workers.machineDeployments.all(md, has(md.healthCheck) || has(md.machineHealthCheck))",
        // approved-cluster-classes
        "!has(object.spec.topology) || (has(object.spec.topology.classRef) && has(object.spec.topology.classRef.namespace) && (object.spec.topology.classRef.namespace + '/' + object.spec.topology.classRef.name) in params.classes)",
        // allowed-regions
        "!has(object.spec.topology) || !has(object.spec.topology.variables) || object.spec.topology.variables.filter(v, v.name == 'region').all(v, v.value in params.regions)",
    ]

    func run() async throws {
        let library = Self.loadLibrary(policies)
        let namespaces = (0..<10).map { i -> FleetObject in
            let labels = i < 3 ? "{platform.example.com/team: team-\(i), platform.example.com/tier: production}" : "{}"
            return FleetLoader(checkIdentity: false).load(tree: MemoryTree(texts: [
                "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-\(i), labels: \(labels)}\n"
            ])).objects[0]
        }
        let engine = PolicyEngine(objects: library + namespaces)
        guard !engine.policies.isEmpty else { throw ValidationError("no policies found under \(policies) (run from the repository root or pass --policies)") }
        if engine.hasErrors { print("WARNING: policy problems: \(engine.diagnostics)") }
        let clusters = Self.generate(objects)
        print("objects: \(clusters.count) Clusters, policies: \(engine.policies.count) (\(engine.bindings.count) bindings)")

        for (label, requests) in [
            ("CREATE", clusters.map { AdmissionRequest.create($0) }),
            ("UPDATE", clusters.map { AdmissionRequest.update($0, from: Self.previousVersion(of: $0)) }),
        ] {
            let start = DispatchTime.now().uptimeNanoseconds
            var evaluated = 0, verdicts = 0, denied = 0
            for r in requests {
                let e = engine.evaluate(r)
                evaluated += e.evaluated.count
                verdicts += e.verdicts.count
                if e.denied { denied += 1 }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(
                format: "capstan  library %@: %10.0f objects/s, %10.0f policy evaluations/s (%d evaluations, %d verdicts, %d objects denied)",
                label, Double(requests.count) / seconds, Double(evaluated) / seconds, evaluated, verdicts, denied))
        }

        let env = CELEnvironment.kubernetes.declaring(["object", "namespaceObject", "request", "params"])
        let programs = try Self.peerExpressions.map { try CELProgram($0, environment: env) }
        let bindings = clusters.map { Self.peerBindings($0) }
        let (rate, _) = Self.measure(programs, bindings)
        print(String(format: "capstan  standard-CEL checks (%d exprs): %12.0f evals/s", programs.count, rate))
        guard !noPython else { return }
        let sample = Array(bindings.prefix(pythonObjects))
        switch CELPythonPeer.run(python, sample, expressions: Self.peerExpressions) {
        case .success(let (pyRate, pyCounts)):
            print(String(format: "cel-python standard-CEL checks:        %12.0f evals/s", pyRate))
            print(String(format: "speed-up: %.1fx", rate / pyRate))
            let (_, ours) = Self.measure(programs, sample)
            if ours != pyCounts {
                print("WARNING: result counts differ: capstan \(ours) vs cel-python \(pyCounts)")
            } else {
                print("results agree on \(sample.count) objects (true counts per expression: \(ours))")
            }
        case .failure(let e):
            print("cel-python: skipped (\(e.message))")
        }
    }

    /// The library's policies, bindings and parameters (test suites and fixtures left out, as `capstan validate --policies` does).
    static func loadLibrary(_ path: String) -> [FleetObject] {
        let tree = DirectoryTree(path: path)
        struct WithoutFixtures: FileTree {
            let base: DirectoryTree
            func entries() throws -> [FileEntry] {
                try base.entries().filter { e in
                    let parts = e.path.split(separator: "/")
                    return parts.last != "capstan-policy-test.yaml" && !parts.dropLast().contains("tests")
                }
            }
            func contents(of path: String) throws -> [UInt8] { try base.contents(of: path) }
        }
        return FleetLoader(checkIdentity: false).load(tree: WithoutFixtures(base: tree)).objects
    }

    /// The bindings of the standard-CEL checks for one Cluster.
    static func peerBindings(_ cluster: KubeObject) -> [String: Value] {
        let ns = cluster.namespace
        let nsLabels: Value = ns < "team-3" ? ["platform.example.com/team": .string(ns), "platform.example.com/tier": "production"] : [:]
        return [
            "object": cluster.body,
            "namespaceObject": ["metadata": ["name": .string(ns), "labels": nsLabels]],
            "request": ["namespace": .string(ns), "name": .string(cluster.name), "operation": "CREATE"],
            "params": [
                "classes": ["capi-classes/docker-quick-start", "capi-classes/docker-legacy"],
                "regions": ["eu-west-1", "eu-central-1", "us-east-1"],
            ],
        ]
    }

    static func measure(_ programs: [CELProgram], _ inputs: [[String: Value]]) -> (Double, [Int]) {
        var counts = [Int](repeating: 0, count: programs.count)
        let start = DispatchTime.now().uptimeNanoseconds
        for input in inputs {
            let bindings = input.mapValues { CELValue($0) }
            for (i, p) in programs.enumerated() {
                if case .success(.bool(true)) = p.evaluate(bindings) { counts[i] += 1 }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (Double(inputs.count * programs.count) / seconds, counts)
    }

    /// The same Cluster one Kubernetes minor version earlier (for UPDATE requests).
    static func previousVersion(of cluster: KubeObject) -> KubeObject {
        var old = cluster
        if let v = old.body[path: ["spec", "topology", "version"]]?.stringValue, let dot = v.firstIndex(of: "."),
            let rest = v[v.index(after: dot)...].split(separator: ".").first, let minor = Int(rest)
        {
            old.body[path: ["spec", "topology", "version"]] = .string("v1.\(minor - 1).0")
        }
        return old
    }

    /// Deterministic v1beta2 Clusters in ten team namespaces, with a mix of passing and failing fields.
    static func generate(_ n: Int) -> [KubeObject] {
        var rng: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(bound))
        }
        let regions = ["eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"]
        return (0..<n).map { i in
            var labels: ObjectMap = [:]
            if next(10) < 7 { labels["platform.example.com/team"] = .string("team-\(next(20))") }
            if next(10) < 3 { labels["platform.example.com/tier"] = "production" }
            let workers: [Value] = (0..<(1 + next(4))).map { w in
                var md: ObjectMap = ["class": "default-worker", "name": .string("md-\(w)"), "replicas": .int(Int64(next(55)))]
                if next(2) == 0 { md["healthCheck"] = ["checks": ["nodeStartupTimeoutSeconds": 600]] }
                return .map(md)
            }
            let pods = next(20) == 0 ? "10.96.0.0/16" : "192.168.0.0/16"
            let body: Value = [
                "apiVersion": "cluster.x-k8s.io/v1beta2", "kind": "Cluster",
                "metadata": ["name": .string(String(format: "cluster-%05d", i)), "namespace": .string("team-\(next(10))"), "labels": .map(labels)],
                "spec": [
                    "clusterNetwork": ["pods": ["cidrBlocks": [.string(pods)]], "services": ["cidrBlocks": ["10.96.0.0/12"]]],
                    "topology": [
                        "classRef": ["name": .string(next(10) == 0 ? "experimental" : "docker-quick-start"), "namespace": "capi-classes"],
                        "version": .string("v1.\(28 + next(6)).\(next(8))"),
                        "controlPlane": ["replicas": .int(Int64([1, 3, 5, 2][next(4)]))],
                        "workers": ["machineDeployments": .list(workers)],
                        "variables": [["name": "environment", "value": "prod"], ["name": "region", "value": .string(regions[next(4)])]],
                    ],
                ],
            ]
            return KubeObject(body)
        }
    }
}
