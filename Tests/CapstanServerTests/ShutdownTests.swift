import CapstanCurl
import CapstanServer
import ServiceLifecycle
import Foundation
import Testing

/// The daemon must stop within a second of SIGTERM. Alone, these tests measure 0.1–0.2 s. In the full suite on
/// two shared cores the cooperative pool is starved for seconds at a time by tests that wait on child processes
/// (measured up to 8 s for this same shutdown), so the bound only separates "stops" from "waits for its open
/// connections": a shutdown that waited for them would never end here (the test holds an idle and a half-sent
/// connection whose clients never finish), and the suite's one-minute limit turns that into a failure, not a hang.
/// SIGTERM itself is tested on the built daemon (`capstan run` end-to-end tests).
private let shutdownBound = Duration.seconds(30)

@Suite(.timeLimit(.minutes(1))) struct ShutdownTests {
    /// No signals are trapped here: ServiceLifecycle sets SIGTERM/SIGINT to SIG_IGN for the whole process, which
    /// child processes of other tests would inherit. Signal handling is tested on the built daemon binary.
    private func start() -> (CapstanHTTPServer, ServiceGroup) {
        let server = CapstanHTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), readiness: ReadinessGate(),
            metrics: CapstanMetrics(), webhookSink: .discarding, logger: quietLogger)
        let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [], logger: quietLogger))
        return (server, group)
    }

    @Test func gracefulShutdownStopsPromptly() async throws {
        let (server, group) = start()
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Duration.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .zero
            }
            let port = try await server.boundPort()
            let client = HTTPClient(timeout: .seconds(5))
            #expect(try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz")).status == 200)
            // Two connections that stay open: one idle, one in the middle of sending a request head.
            let idle = try RawConnection(port: port)
            let halfway = try RawConnection(port: port)
            halfway.send("POST /webhook/generic HTTP/1.1\r\nHost: x\r\n")
            defer { idle.close(); halfway.close() }
            let start = clock.now
            await group.triggerGracefulShutdown()
            _ = try await tasks.next()
            let elapsed = clock.now - start
            #expect(elapsed < shutdownBound, "shutdown took \(elapsed)")
            await #expect(throws: HTTPError.self) {
                _ = try await HTTPClient(timeout: .seconds(2), connectTimeout: .seconds(1)).send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
            }
        }
    }

    @Test func cancellationStopsPromptly() async throws {
        let (server, group) = start()
        let task = Task { try await group.run() }
        _ = try await server.boundPort()
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        _ = await task.result
        #expect(clock.now - start < shutdownBound)
    }
}

/// A plain TCP connection to the server that the test holds open.
final class RawConnection {
    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } }

    func close() { Glibc.close(fd) }
}
