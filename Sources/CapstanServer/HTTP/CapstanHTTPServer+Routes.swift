import CapstanModel
import Hummingbird

/// Routing, the probe endpoints and `/metrics`.
extension CapstanHTTPServer {
    /// Methods that get a 405 (with `Allow`) on a path that exists but does not accept them.
    static let knownMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        route(router, "/healthz", allow: .get) { _ in Self.text(.ok, "ok\n") }
        route(router, "/readyz", allow: .get) { [readiness] _ in
            switch readiness.readiness {
            case .ready: Self.json(.ok, ["status": "ready"])
            case .notReady(let reason): Self.json(.serviceUnavailable, ["status": "not ready", "reason": reason])
            }
        }
        route(router, "/metrics", allow: .get) { [metrics] _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        for provider in WebhookProvider.allCases {
            if configuration.webhooks.secret(for: provider) == nil {
                for method in Self.knownMethods {
                    router.on(RouterPath(provider.path), method: method) { [self] _, _ in disabledWebhook(provider) }
                }
            } else {
                route(router, provider.path, allow: .post) { [self] request in try await webhook(provider, request) }
            }
        }
        return router
    }

    /// Registers `handler` for `method` on `path` and a 405 naming the allowed method for the others.
    private func route(
        _ router: Router<BasicRequestContext>, _ path: String, allow method: HTTPRequest.Method,
        _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method) { request, _ in try await handler(request) }
        for other in Self.knownMethods where other != method {
            router.on(RouterPath(path), method: other) { [metrics] _, _ in
                if let provider = WebhookProvider.allCases.first(where: { $0.path == path }) {
                    metrics.recordWebhook(provider: provider, result: .methodNotAllowed)
                }
                var response = Self.json(.methodNotAllowed, ["error": "\(path) accepts \(method.rawValue) only"])
                response.headers[.allow] = method.rawValue
                return response
            }
        }
    }

    // MARK: Responses

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A small JSON object body; keys keep the order given.
    static func json(_ status: HTTPResponse.Status, _ fields: KeyValuePairs<String, String>) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let object = Value.map(ObjectMap(fields.map { ($0.key, Value.string($0.value)) }))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSON.serialize(object) + "\n")))
    }
}
