public import Foundation

/// Runs the built `capstan` executable (CLI tests check stdout, stderr and the exit code).
public enum CLI {
    /// What a command printed and how it exited.
    public struct Result: Sendable {
        public var stdout: String
        public var stderr: String
        public var exitCode: Int32
        public var duration: Double
    }

    /// The directory holding the built products (`.build/debug`), found from the test bundle's location.
    public static var productsDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["CAPSTAN_PRODUCTS_DIR"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The test runner lives in <products>/CapstanPackageTests.xctest[/...]; walk up to the folder holding `capstan`.
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("capstan").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }

    /// The package root (the folder with Package.swift), found from a source file path.
    public static func packageRoot(from file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Runs `capstan` with `arguments`, optional stdin, in `directory`, and waits (bounded by `timeout` seconds).
    public static func run(
        _ arguments: [String], stdin: String? = nil, directory: URL? = nil,
        environment: [String: String] = [:], timeout: Double = 120
    ) throws -> Result {
        try runExecutable(productsDirectory.appendingPathComponent("capstan"), arguments, stdin: stdin,
                          directory: directory, environment: environment, timeout: timeout)
    }

    /// Runs any executable and captures its output.
    public static func runExecutable(
        _ executable: URL, _ arguments: [String], stdin: String? = nil, directory: URL? = nil,
        environment: [String: String] = [:], timeout: Double = 120
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        let start = Date()
        try process.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = DispatchTime.now() + timeout
        if group.wait(timeout: deadline) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            group.wait()
        }
        process.waitUntilExit()
        return Result(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            exitCode: process.terminationStatus, duration: Date().timeIntervalSince(start))
    }
}
