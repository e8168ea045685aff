import ArgumentParser
import CapstanFleet
import CapstanModel
import CapstanTopology
import Dispatch
import Foundation

/// `capstan-bench render`: renders N topology Clusters of fleet-example's `docker-quick-start` class (with
/// all its patches) on one core and on all cores, and reports Clusters/second and peak memory (VmHWM).
struct RenderBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Topology rendering throughput.")

    @Option(help: "Number of Clusters to render.")
    var clusters = 10_000

    @Option(help: "The fleet-example directory.")
    var fleet = "fleet-example"

    @Option(name: .customLong("class"), help: "The ClusterClass whose Clusters are multiplied.")
    var className = "docker-quick-start"

    @Option(help: "Threads for the parallel run (0 = all cores).")
    var threads = 0

    func run() throws {
        let snapshot = FleetLoader().load(tree: DirectoryTree(path: fleet, fileExtensions: ["yaml", "yml"]))
        guard !snapshot.hasErrors else { throw ValidationError("cannot read \(fleet): \(snapshot.diagnostics.map(\.description))") }
        let templates = snapshot.objects.map(\.object).filter { $0.kind != "Cluster" }
        let seeds = snapshot.objects.map(\.object).filter {
            $0.kind == "Cluster" && ($0.body[path: ["spec", "topology", "classRef", "name"]] ?? $0.body[path: ["spec", "topology", "class"]])?.stringValue == className
        }
        guard !seeds.isEmpty else { throw ValidationError("no \(className) Clusters in \(fleet)") }
        var objects = templates
        for i in 0..<clusters {
            var c = seeds[i % seeds.count]
            c.name = "\(c.name)-\(i)"
            objects.append(c)
        }
        let setupStart = DispatchTime.now()
        let renderer = TopologyRenderer(fleet: FleetIndex(objects), live: LiveObjectIndex.empty)
        let keys = renderer.fleet.topologyClusters
        let setup = seconds(since: setupStart)

        let serialStart = DispatchTime.now()
        let serialCPUStart = threadCPUTime()
        var failed = 0
        var objectCount = 0
        for key in keys {
            let r = renderer.render(cluster: key)
            if r.failed { failed += 1 }
            objectCount += r.objects.count
        }
        let serial = seconds(since: serialStart)
        let serialCPU = threadCPUTime() - serialCPUStart
        if failed > 0 {
            let first = keys.lazy.map { renderer.render(cluster: $0) }.first { $0.failed }
            throw ValidationError("\(failed) Clusters failed to render: \(first?.errors.first?.description ?? "")")
        }

        let cores = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        let chunk = (keys.count + cores - 1) / cores
        let parallelStart = DispatchTime.now()
        let cpuTimes = CPUTimes(count: cores)
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            let lo = worker * chunk, hi = min(keys.count, lo + chunk)
            guard lo < hi else { return }
            let start = threadCPUTime()
            for key in keys[lo..<hi] { _ = renderer.render(cluster: key) }
            cpuTimes.set(worker, threadCPUTime() - start)
        }
        let parallel = seconds(since: parallelStart)
        let parallelCPU = cpuTimes.total

        print("render: \(keys.count) Clusters (\(objectCount) objects), class setup \(format(setup * 1000)) ms")
        print("  1 core:   \(format(Double(keys.count) / serialCPU)) Clusters/s per CPU-second (wall: \(format(Double(keys.count) / serial)) Clusters/s over \(format(serial)) s)")
        print("  \(cores) threads: wall \(format(Double(keys.count) / parallel)) Clusters/s over \(format(parallel)) s; CPU \(format(parallelCPU)) s vs \(format(serialCPU)) s serial (scaling efficiency \(format(100 * serialCPU / parallelCPU))%)")
        print("  peak memory (VmHWM): \(peakMemory())")
    }

    /// CPU time of the calling thread, in seconds (unaffected by other processes on a busy machine).
    func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    func format(_ v: Double) -> String { String(format: "%.1f", v) }

    /// `VmHWM` from /proc/self/status (Linux), e.g. `123456 kB`.
    func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return "unavailable" }
        let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.flatMap { Double($0) } ?? 0)
        return "\(format(kb / 1024)) MB"
    }
}

/// Per-worker CPU times written from `concurrentPerform` workers, one slot each.
final class CPUTimes: @unchecked Sendable {
    // Each worker writes only its own slot of a fixed buffer; reads happen after all workers finished.
    private let values: UnsafeMutableBufferPointer<Double>
    init(count: Int) { values = .allocate(capacity: count); values.initialize(repeating: 0) }
    deinit { values.deallocate() }
    func set(_ i: Int, _ v: Double) { values[i] = v }
    var total: Double { values.reduce(0, +) }
}
