import CapstanModel
import Foundation

/// The peer both CEL benchmarks compare with: the same expressions in cel-python (`pip install cel-python`),
/// run as a child process over JSON files.
enum CELPythonPeer {
    /// cel-python is missing or failed; the message is its last line of stderr.
    struct PythonFailure: Error { var message: String }

    /// Evaluates `expressions` over `inputs` (variable name → JSON value) in cel-python; returns evaluations per
    /// second and, per expression, how many inputs it was true for.
    static func run(_ python: String, _ inputs: [[String: Value]], expressions: [String]) -> Result<(Double, [Int]), PythonFailure> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-celpython-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("inputs.jsonl")
        let exprs = dir.appendingPathComponent("expressions.json")
        let script = dir.appendingPathComponent("bench.py")
        do {
            try inputs.map { JSON.serialize(.map(ObjectMap($0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))) }
                .joined(separator: "\n").write(to: data, atomically: true, encoding: .utf8)
            try JSON.serialize(.list(expressions.map(Value.string))).write(to: exprs, atomically: true, encoding: .utf8)
            try pythonScript.write(to: script, atomically: true, encoding: .utf8)
        } catch {
            return .failure(PythonFailure(message: "cannot write temporary files: \(error)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path, data.path, exprs.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return .failure(PythonFailure(message: "cannot run \(python): \(error)")) }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let result = try? JSON.parse(String(decoding: output, as: UTF8.self)),
            let rate = result["rate"]?.numberValue, let counts = result["counts"]?.listValue
        else {
            let message = String(decoding: errors, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "failed"
            return .failure(PythonFailure(message: message))
        }
        return .success((rate, counts.compactMap { $0.intValue.map(Int.init) }))
    }

    static let pythonScript = """
        import json, sys, time
        import celpy
        from celpy import celtypes
        inputs = [json.loads(line) for line in open(sys.argv[1])]
        exprs = json.load(open(sys.argv[2]))
        env = celpy.Environment()
        programs = [env.program(env.compile(e)) for e in exprs]
        counts = [0] * len(programs)
        start = time.perf_counter()
        for i in inputs:
            activation = {k: celpy.json_to_cel(v) for k, v in i.items()}
            for n, p in enumerate(programs):
                try:
                    r = p.evaluate(activation)
                except Exception:
                    continue
                if isinstance(r, celtypes.BoolType) and bool(r):
                    counts[n] += 1
        elapsed = time.perf_counter() - start
        print(json.dumps({"rate": len(inputs) * len(programs) / elapsed, "counts": counts}))
        """
}
