import Hummingbird
import Logging

/// The webhook endpoints' HTTP side: size limit, verification, answer, and handing the poll request over.
/// The credential header's value is never logged or echoed; log lines carry provider, event, delivery and ref.
extension CapstanHTTPServer {
    /// `POST /webhook/<provider>` on an enabled endpoint.
    func webhook(_ provider: WebhookProvider, _ request: Request) async throws -> Response {
        let webhooks = configuration.webhooks
        guard let secret = webhooks.secret(for: provider) else { return disabledWebhook(provider) }
        guard let body = try await collect(request, limit: webhooks.maxBodyBytes) else {
            metrics.recordWebhook(provider: provider, result: .tooLarge)
            logger.warning("webhook body too large", metadata: ["provider": "\(provider.rawValue)", "limit_bytes": "\(webhooks.maxBodyBytes)"])
            return Self.json(.contentTooLarge, ["error": "request body exceeds \(webhooks.maxBodyBytes) bytes"])
        }
        let verifier = WebhookVerifier(provider: provider, secret: secret, watchedRef: webhooks.watchedRef)
        var headers: [String: String] = [:]
        for field in request.headers {  // repeated fields join with ", ", as HTTP allows
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let decision = verifier.decide(header: { headers[$0.lowercased()] }, body: body)
        metrics.recordWebhook(provider: provider, result: decision.metricResult)
        var meta: Logger.Metadata = ["provider": "\(provider.rawValue)"]
        switch decision {
        case .trigger(let poll):
            meta["event"] = "\(poll.event)"
            if let ref = poll.ref { meta["ref"] = "\(ref)" }
            if let revision = poll.revision { meta["revision"] = "\(revision)" }
            if let delivery = poll.deliveryID { meta["delivery"] = "\(delivery)" }
            sink.submit(poll)
            logger.info("webhook requested a poll", metadata: meta)
            return Self.json(.accepted, ["result": "triggered"])
        case .pong:
            logger.info("webhook ping", metadata: meta)
            return Self.json(.ok, ["result": "pong"])
        case .ignored(let reason):
            meta["reason"] = "\(reason)"
            logger.info("webhook ignored", metadata: meta)
            return Self.json(.accepted, ["result": "ignored", "reason": reason])
        case .unauthorized(let reason):
            meta["reason"] = "\(reason)"
            logger.warning("webhook rejected", metadata: meta)
            return Self.json(.unauthorized, ["error": reason])
        case .badRequest(let reason):
            meta["reason"] = "\(reason)"
            logger.warning("webhook payload unreadable", metadata: meta)
            return Self.json(.badRequest, ["error": reason])
        }
    }

    /// Any method on the endpoint of a provider without a secret.
    func disabledWebhook(_ provider: WebhookProvider) -> Response {
        metrics.recordWebhook(provider: provider, result: .disabled)
        return Self.json(.notFound, ["error": "webhook \(provider.path) is disabled: no secret is configured for \(provider.rawValue)"])
    }

    /// The whole body, or nil once it is known to exceed `limit` (from `Content-Length`, before reading, or
    /// while reading a chunked body). Hummingbird drains what is left before the next request on the connection.
    private func collect(_ request: Request, limit: Int) async throws -> [UInt8]? {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { return nil }
        var body = [UInt8]()
        for try await chunk in request.body {
            guard body.count + chunk.readableBytes <= limit else { return nil }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return body
    }
}
