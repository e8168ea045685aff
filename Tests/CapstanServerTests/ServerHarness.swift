import CapstanCurl
import CapstanServer
import Crypto
import Logging
import ServiceLifecycle
import Synchronization

/// A server started on an ephemeral loopback port inside a ServiceGroup, and a libcurl client for it.
struct RunningServer: Sendable {
    let port: Int
    let client = HTTPClient(timeout: .seconds(10), connectTimeout: .seconds(2))

    var base: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(method: "GET", url: base + path))
    }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> HTTPResponse {
        // An empty `Expect:` stops libcurl from waiting for `100 Continue` on bodies over 1 KiB.
        try await client.send(HTTPRequest(method: method, url: base + path, headers: headers + [("Expect", "")], body: body))
    }

    func post(_ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> HTTPResponse {
        try await request("POST", path, headers: headers, body: body)
    }
}

/// Records every poll request a webhook submits.
final class PollRecorder: Sendable {
    private let requests = Mutex<[PollRequest]>([])
    var all: [PollRequest] { requests.withLock { $0 } }
    var sink: WebhookSink { WebhookSink { request in self.requests.withLock { $0.append(request) } } }
}

/// Collects log lines written through a `LogOutput`.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var output: LogOutput { LogOutput { line in self.lines.withLock { $0.append(line) } } }
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Runs `body` against a live server, then shuts the group down gracefully and waits for it.
func withServer<T: Sendable>(
    webhooks: WebhookConfiguration = WebhookConfiguration(),
    readiness: any ReadinessSource = ReadinessGate(),
    metrics: CapstanMetrics = CapstanMetrics(),
    sink: WebhookSink = .discarding,
    logger: Logger = quietLogger,
    _ body: (RunningServer) async throws -> T
) async throws -> T {
    let server = CapstanHTTPServer(
        configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, webhooks: webhooks),
        readiness: readiness, metrics: metrics, webhookSink: sink, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [], logger: quietLogger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let port = try await server.boundPort()
            let result = try await body(RunningServer(port: port))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            throw error
        }
    }
}

/// The `sha256=<hex>` header value for `body`, computed here with swift-crypto (not with the code under test).
func hmacHeader(_ secret: String, _ body: [UInt8]) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
    return "sha256=" + mac.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
}

/// The value of the sample `name` (with its label text, e.g. `{result="success"}`) in a Prometheus exposition.
func sample(_ exposition: String, _ series: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
