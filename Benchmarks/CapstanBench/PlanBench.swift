import ArgumentParser
import CapstanFleet
import CapstanModel
import CapstanPlan
import Dispatch
import Foundation

/// `capstan-bench plan`: `capstan plan` on a fleet of N Clusters (fleet-example's docker-quick-start Clusters
/// multiplied), for a ClusterClass template change that affects every Cluster and for a change to one Cluster.
/// Reports load, plan and output times (wall and process CPU: the planner renders on all cores).
struct PlanBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "capstan plan on a large fleet.")

    @Option(help: "Number of Clusters.")
    var clusters = 1_000

    @Option(help: "The fleet-example directory.")
    var fleet = "fleet-example"

    @Option(help: "Repetitions of each scenario (the best is reported).")
    var repetitions = 3

    func run() throws {
        let files = try Self.files(fleet: fleet, clusters: clusters)
        let template = "clusterclasses/docker-quick-start/templates.yaml"
        let worker = "  name: docker-quick-start-default-worker\n  namespace: capi-classes\nspec:\n  template:\n    spec:\n      extraMounts:\n"
        guard files[template]?.contains(worker) == true else { throw ValidationError("unexpected \(template)") }
        var classChange = files
        classChange[template] = files[template]!.replacingOccurrences(
            of: worker, with: worker.replacingOccurrences(of: "      extraMounts:\n", with: "      preLoadImages: [registry.k8s.io/pause:3.10]\n      extraMounts:\n"))
        var oneCluster = files
        let first = "clusters/gen/c-0.yaml"
        oneCluster[first] = files[first]!.replacingOccurrences(of: "replicas: 1\n    variables", with: "replicas: 2\n    variables")
            .replacingOccurrences(of: "replicas: 3\n          healthCheck", with: "replicas: 4\n          healthCheck")
            .replacingOccurrences(of: "replicas: 4\n          metadata", with: "replicas: 5\n          metadata")

        let (base, baseLoad) = measure { FleetLoader().load(tree: MemoryTree(texts: files)) }
        guard !base.hasErrors else { throw ValidationError("fleet does not load: \(base.diagnostics.first!)") }
        print("plan: \(clusters) Clusters, \(base.objects.count) objects in Git; loading one revision: \(format(baseLoad.wall)) s wall, \(format(baseLoad.cpu)) CPU-s")
        for (name, headFiles) in [("ClusterClass template change (every Cluster with a default-worker pool)", classChange), ("one Cluster changed", oneCluster)] {
            let head = FleetLoader().load(tree: MemoryTree(texts: headFiles))
            var best: (wall: Double, cpu: Double) = (.infinity, .infinity)
            var plan: Plan?
            for _ in 0..<max(1, repetitions) {
                let (p, t) = measure { Planner.plan(PlanInput(base: base, baseLabel: "base", head: head, headLabel: "head")) }
                if t.wall < best.wall { best = t }
                plan = p
            }
            let p = plan!
            let s = PlanSummary(p)
            let (_, text) = measure { p.text() }
            let (markdown, md) = measure { p.markdown() }
            let (_, json) = measure { JSON.serializePretty(p.json) }
            print("  \(name):")
            print("    \(s.clustersLine); \(s.objectsLine); \(s.machinesLine)")
            print("    plan: \(format(best.wall)) s wall, \(format(best.cpu)) CPU-s (\(format(Double(clusters) * 2 / best.cpu)) Cluster renders per CPU-second, both revisions)")
            print("    output: text \(ms(text.wall)) ms, markdown \(ms(md.wall)) ms (\(markdown.count) characters), json \(ms(json.wall)) ms")
        }
        print("  peak memory (VmHWM): \(peakMemory())")
    }

    /// fleet-example's non-Cluster files plus `clusters` copies of its docker-quick-start Clusters.
    static func files(fleet: String, clusters: Int) throws -> [String: String] {
        var files: [String: String] = [:]
        var seeds: [String] = []
        let walker = FileManager.default.enumerator(atPath: fleet)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".yaml") else { continue }
            let text = try String(contentsOfFile: fleet + "/" + rel, encoding: .utf8)
            if rel.hasPrefix("clusters/") {
                if text.contains("name: docker-quick-start") { seeds.append(text) }
            } else {
                files[rel] = text
            }
        }
        guard !seeds.isEmpty else { throw ValidationError("no docker-quick-start Clusters in \(fleet)") }
        seeds.sort()
        for i in 0..<clusters {
            let seed = seeds[i % seeds.count]
            let name = seed.split(separator: "\n").first { $0.hasPrefix("  name: ") }!.dropFirst("  name: ".count)
            files["clusters/gen/c-\(i).yaml"] = seed.replacingOccurrences(of: "  name: \(name)\n", with: "  name: c-\(i)\n")
        }
        return files
    }

    func measure<T>(_ body: () -> T) -> (T, (wall: Double, cpu: Double)) {
        let start = DispatchTime.now(), cpu = processCPUTime()
        let v = body()
        return (v, (Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, processCPUTime() - cpu))
    }

    /// User + system CPU time of the whole process, in seconds.
    func processCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func format(_ v: Double) -> String { String(format: "%.2f", v) }
    func ms(_ v: Double) -> String { String(format: "%.0f", v * 1000) }

    func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return "unavailable" }
        let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.flatMap { Double($0) } ?? 0)
        return String(format: "%.1f MB", kb / 1024)
    }
}
