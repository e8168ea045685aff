import CapstanCurl
import CapstanServer
import ServiceLifecycle
import Testing

@Suite struct ShutdownTests {
    /// No signals are trapped here: ServiceLifecycle sets SIGTERM/SIGINT to SIG_IGN for the whole process, which
    /// child processes of other tests would inherit. Signal handling is tested on the built daemon binary.
    private func start() -> (CapstanHTTPServer, ServiceGroup) {
        let server = CapstanHTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), readiness: ReadinessGate(),
            metrics: CapstanMetrics(), webhookSink: .discarding, logger: quietLogger)
        let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [], logger: quietLogger))
        return (server, group)
    }

    @Test func gracefulShutdownStopsWithinASecond() async throws {
        let (server, group) = start()
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Duration.self) { tasks in
            tasks.addTask {
                try await group.run()
                return .zero
            }
            let port = try await server.boundPort()
            // A request on a kept-alive connection first, so shutdown has an open connection to close.
            let client = HTTPClient(timeout: .seconds(5))
            #expect(try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz")).status == 200)
            let start = clock.now
            await group.triggerGracefulShutdown()
            _ = try await tasks.next()
            let elapsed = clock.now - start
            #expect(elapsed < .seconds(1), "shutdown took \(elapsed)")
            await #expect(throws: HTTPError.self) {
                _ = try await HTTPClient(timeout: .seconds(2), connectTimeout: .seconds(1)).send(HTTPRequest(url: "http://127.0.0.1:\(port)/healthz"))
            }
        }
    }

    @Test func cancellationStopsWithinASecond() async throws {
        let (server, group) = start()
        let task = Task { try await group.run() }
        _ = try await server.boundPort()
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        _ = await task.result
        #expect(clock.now - start < .seconds(1))
    }
}
