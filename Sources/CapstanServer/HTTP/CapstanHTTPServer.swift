import Hummingbird
public import Logging
public import ServiceLifecycle

/// The daemon's HTTP surface: `/healthz`, `/readyz`, `/metrics` and the webhook endpoints, served by Hummingbird.
///
/// It is a swift-service-lifecycle `Service`: run it in the daemon's `ServiceGroup`, and a graceful shutdown
/// (SIGTERM/SIGINT on the group, or `triggerGracefulShutdown()`) stops accepting connections, lets requests in
/// flight finish, and returns from `run()`. It knows nothing of the reconciler: it reads readiness from a
/// `ReadinessSource`, hands poll requests to a `WebhookSink`, and serves whatever `CapstanMetrics` holds.
public final class CapstanHTTPServer: Service {
    public let configuration: HTTPServerConfiguration
    let readiness: any ReadinessSource
    let metrics: CapstanMetrics
    let sink: WebhookSink
    let logger: Logger
    private let port = BoundPort()

    /// A server that has not started yet; `run()` starts it.
    public init(
        configuration: HTTPServerConfiguration, readiness: any ReadinessSource, metrics: CapstanMetrics,
        webhookSink: WebhookSink, logger: Logger = Logger(label: "capstan.server")
    ) {
        self.configuration = configuration
        self.readiness = readiness
        self.metrics = metrics
        self.sink = webhookSink
        self.logger = logger
    }

    /// Serves until graceful shutdown or cancellation. Throws if the address cannot be bound.
    public func run() async throws {
        let port = self.port
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "capstan"),
            onServerRunning: { channel in
                guard let bound = channel.localAddress?.port else { return }
                port.publish(bound)
            },
            logger: logger)
        do {
            try await app.run()
        } catch {
            port.fail(error)
            throw error
        }
        port.fail(ServerNotStarted())  // a no-op once the port was published; wakes waiters otherwise
    }

    /// The TCP port the server listens on, once it does (useful with port 0). Throws if the server failed to
    /// start or stopped before listening.
    public func boundPort() async throws -> Int { try await port.value() }
}
