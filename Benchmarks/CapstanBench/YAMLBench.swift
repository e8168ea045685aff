import ArgumentParser
import CYAML
import CapstanModel
import CapstanYAML
import Foundation

/// `capstan-bench yaml`: throughput of the YAML codec on a generated multi-document manifest stream,
/// next to libyaml's bare event scan (the floor any libyaml-based parser pays) and PyYAML's C loader.
struct YAMLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yaml",
        abstract: "YAML parse and emit throughput (MB/s) against libyaml and PyYAML's C loader.")

    @Option(help: "Size of the generated stream in MB.")
    var megabytes = 50

    @Option(help: "Runs per measurement; the best is reported.")
    var iterations = 3

    @Flag(help: "Skip the PyYAML comparison.")
    var skipPython = false

    @Flag(help: "Measure only our parser (for profiling).")
    var parseOnly = false

    func run() throws {
        let text = ManifestGenerator.stream(bytes: megabytes * 1_000_000)
        let bytes = Array(text.utf8)
        let mb = Double(bytes.count) / 1e6
        var options = YAMLParseOptions.kubernetes
        options.limits.maxInputBytes = max(options.limits.maxInputBytes, bytes.count + 1)
        print(String(format: "input: %.1f MB, %d documents", mb, ManifestGenerator.documentCount(text)))

        var documents: [YAMLDocument] = []
        // Each run's result is kept until the next run starts, outside the timed region, so freeing the
        // previous values is not counted as parsing.
        func parseRun() throws -> Double {
            documents = []
            return try time { documents = try YAML.parseStream(bytes, file: "bench.yaml", options: options) }
        }
        if parseOnly {
            report("YAML.parseStream", mb, try (0..<max(1, iterations)).map { _ in try parseRun() }.min()!, note: "parse only")
            return
        }
        let scan = try best { _ = try LibYAMLScan.countEvents(bytes) }
        let events = try LibYAMLScan.countEvents(bytes)
        report("libyaml event scan", mb, scan, note: "\(events) events, no values")

        let parse = try (0..<max(1, iterations)).map { _ in try parseRun() }.min()!
        report("YAML.parseStream", mb, parse, note: String(format: "%.0f%% of the event scan", 100 * scan / parse))

        let values = documents.map(\.value)
        var emitted = ""
        let emit = best {
            emitted = ""
            emitted = YAML.emitStream(values)
        }
        report("YAML.emitStream", Double(emitted.utf8.count) / 1e6, emit, note: "output MB")

        let back = try YAML.parseStream(emitted, file: "emitted.yaml", options: options).map(\.value)
        print("round trip: \(back == values ? "equal" : "DIFFERENT")")

        if !skipPython {
            if let seconds = try? PyYAML.loadAllSeconds(bytes, iterations: iterations) {
                report("PyYAML CSafeLoader", mb, seconds, note: "load_all in python3")
            } else {
                print("PyYAML CSafeLoader: unavailable (python3 with the yaml C extension is needed)")
            }
        }
    }

    /// The CPU time of one run on this thread, in seconds. CPU time rather than wall time, so that other
    /// work on a shared machine does not count against the code measured.
    private func time(_ body: () throws -> Void) rethrows -> Double {
        let start = Self.threadCPUSeconds()
        try body()
        return Self.threadCPUSeconds() - start
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The shortest of `iterations` runs, in seconds.
    private func best(_ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, iterations) { best = min(best, try time(body)) }
        return best
    }

    private func report(_ name: String, _ mb: Double, _ seconds: Double, note: String) {
        let padded = name.padding(toLength: 22, withPad: " ", startingAt: 0)
        print(String(format: "%@ %8.1f MB/s  (%.3f s CPU; %@)", padded, mb / seconds, seconds, note))
    }
}

/// libyaml's event parser with nothing built: the cost every libyaml-based parser pays.
enum LibYAMLScan {
    struct Failure: Error {}

    static func countEvents(_ bytes: [UInt8]) throws -> Int {
        try bytes.withUnsafeBufferPointer { buffer in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            yaml_parser_initialize(parser)
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_input_string(parser, buffer.baseAddress!, buffer.count)
            var event = yaml_event_t()
            var count = 0
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else { throw Failure() }
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { return count }
            }
        }
    }
}

/// Runs PyYAML's libyaml-backed loader on the same bytes.
enum PyYAML {
    struct Failure: Error {}

    static func loadAllSeconds(_ bytes: [UInt8], iterations: Int) throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-bench-\(UUID().uuidString).yaml")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, time, yaml
            data = open(sys.argv[1], 'rb').read()
            best = float('inf')
            for _ in range(int(sys.argv[2])):
                t = time.thread_time()
                n = sum(1 for _ in yaml.load_all(data, Loader=yaml.CSafeLoader))
                best = min(best, time.thread_time() - t)
            print(best)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path, String(max(1, iterations))]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let seconds = Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw Failure() }
        return seconds
    }
}
