import ArgumentParser
import CapstanCEL
import CapstanModel
import Foundation

/// `capstan-bench cel`: evaluations per second of fleet policy expressions over generated CAPI
/// `Cluster` objects, compared with cel-python (`pip install cel-python`) run in a python3 subprocess on
/// the same objects and the same standard-CEL expressions.
struct CELBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cel", abstract: "CEL policy evaluation throughput (Capstan vs cel-python).")

    @Option(help: "Number of generated Cluster objects.") var objects = 10_000
    @Option(help: "Objects evaluated by cel-python (it is slow; the rate is per evaluation).") var pythonObjects = 1_000
    @Option(help: "Python interpreter with cel-python installed.") var python = "python3"
    @Flag(help: "Skip the cel-python comparison.") var noPython = false

    /// Policy expressions in standard CEL, so that both engines run them.
    static let expressions: [String] = [
        "object.spec.topology.controlPlane.replicas % 2 == 1",
        "object.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && size(object.metadata.name) <= 63",
        "'fleet.example.com/owner' in object.metadata.labels",
        "object.metadata.labels['env'] != 'prod' || object.spec.topology.controlPlane.replicas >= 3",
        "object.spec.topology.workers.machineDeployments.all(md, md.replicas <= 50)",
        "object.spec.topology.workers.machineDeployments.exists(md, md['class'] == 'gpu-worker')",
        "size(object.spec.topology.workers.machineDeployments.filter(md, md.replicas > 10)) <= 2",
        "object.spec.clusterNetwork.pods.cidrBlocks.all(c, c.startsWith('10.') || c.startsWith('192.168.'))",
        "object.spec.topology.variables.exists(v, v.name == 'imageRepository' && v.value.startsWith('registry.example.com/'))",
        "has(object.spec.topology.classRef) && object.spec.topology.classRef.name.endsWith('-v2')",
        "object.spec.topology.version.startsWith('v1.3')",
        "object.spec.topology.workers.machineDeployments.map(md, md.replicas).exists(r, r > 40) == false",
    ]

    /// Expressions that use the Kubernetes libraries (Capstan only; cel-python lacks them).
    static let kubernetesExpressions: [String] = [
        "semver(object.spec.topology.version, true).isGreaterThan(semver('1.29.0'))",
        "object.spec.clusterNetwork.pods.cidrBlocks.all(c, cidr(c).prefixLength() <= 16)",
        "object.spec.topology.workers.machineDeployments.map(md, md.replicas).sum() <= 200",
        "format.dns1123Label().validate(object.metadata.name).hasValue() == false",
    ]

    func run() async throws {
        let clusters = Self.generate(objects)
        print("objects: \(clusters.count), expressions: \(Self.expressions.count) standard + \(Self.kubernetesExpressions.count) Kubernetes-library")
        let env = CELEnvironment.kubernetes.declaring(["object"])

        let standard = try Self.expressions.map { try CELProgram($0, environment: env) }
        let (rate, _) = Self.measure(standard, clusters)
        print(String(format: "capstan  standard CEL:   %12.0f evals/s", rate))

        let k8s = try Self.kubernetesExpressions.map { try CELProgram($0, environment: env) }
        let (k8sRate, _) = Self.measure(k8s, clusters)
        print(String(format: "capstan  k8s libraries:  %12.0f evals/s", k8sRate))

        let all = standard + k8s
        let (allRate, _) = Self.measure(all, clusters)
        let perObject = allRate / Double(all.count)
        print(String(format: "capstan  policy library (%d exprs): %.0f objects/s", all.count, perObject))

        guard !noPython else { return }
        let sample = Array(clusters.prefix(pythonObjects))
        switch CELPythonPeer.run(python, sample.map { ["object": $0] }, expressions: Self.expressions) {
        case .success(let (pyRate, pyCounts)):
            print(String(format: "cel-python standard CEL: %12.0f evals/s", pyRate))
            print(String(format: "speed-up: %.1fx", rate / pyRate))
            // Same answers on the shared sample.
            let (_, ours) = Self.measure(standard, sample)
            if ours != pyCounts {
                print("WARNING: result counts differ: capstan \(ours) vs cel-python \(pyCounts)")
            } else {
                print("results agree on \(sample.count) objects (true counts per expression: \(ours))")
            }
        case .failure(let e):
            print("cel-python: skipped (\(e.message))")
        }
    }

    /// Evaluates every program on every object; returns evaluations per second and true counts.
    static func measure(_ programs: [CELProgram], _ clusters: [Value]) -> (Double, [Int]) {
        var counts = [Int](repeating: 0, count: programs.count)
        let start = DispatchTime.now().uptimeNanoseconds
        for c in clusters {
            let bindings = ["object": CELValue(c)]
            for (i, p) in programs.enumerated() {
                if case .success(.bool(true)) = p.evaluate(bindings) { counts[i] += 1 }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (Double(clusters.count * programs.count) / seconds, counts)
    }

    /// Deterministic CAPI v1beta2 Cluster objects with varied labels, versions, workers and variables.
    static func generate(_ n: Int) -> [Value] {
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(bound))
        }
        let envs = ["prod", "staging", "dev"]
        let regions = ["eu-west-1", "us-east-1", "ap-south-1"]
        let classes = ["default-worker", "gpu-worker", "highmem-worker"]
        var out: [Value] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            var labels: ObjectMap = ["env": .string(envs[next(3)]), "region": .string(regions[next(3)])]
            if next(10) < 8 { labels["fleet.example.com/owner"] = .string("team-\(next(20))") }
            let workers: [Value] = (0..<(2 + next(3))).map { w in
                [
                    "class": .string(classes[next(3)]), "name": .string("md-\(w)"),
                    "replicas": .int(Int64(1 + next(45))),
                ]
            }
            let name = next(50) == 0 ? "Cluster_\(i)" : "cluster-\(String(format: "%05d", i))"
            let cluster: Value = [
                "apiVersion": "cluster.x-k8s.io/v1beta2", "kind": "Cluster",
                "metadata": ["name": .string(name), "namespace": "fleet", "labels": .map(labels)],
                "spec": [
                    "clusterNetwork": [
                        "pods": ["cidrBlocks": .list([.string(next(10) == 0 ? "172.16.0.0/12" : "10.\(next(200)).0.0/16")])],
                        "services": ["cidrBlocks": ["10.96.0.0/12"]],
                    ],
                    "topology": [
                        "classRef": ["name": .string(next(2) == 0 ? "quick-start-v2" : "quick-start")],
                        "version": .string("v1.\(27 + next(5)).\(next(8))"),
                        "controlPlane": ["replicas": .int(Int64([1, 3, 5, 2][next(4)]))],
                        "workers": ["machineDeployments": .list(workers)],
                        "variables": [
                            ["name": "imageRepository", "value": .string(next(4) == 0 ? "docker.io/x" : "registry.example.com/capi")],
                            ["name": "region", "value": .string(regions[next(3)])],
                        ],
                    ],
                ],
            ]
            out.append(cluster)
        }
        return out
    }
}
