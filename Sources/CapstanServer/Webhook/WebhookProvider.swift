/// A webhook endpoint: `/webhook/<rawValue>`. Each provider proves the sender knows the secret its own way.
public enum WebhookProvider: String, Sendable, CaseIterable {
    /// GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; events in `X-GitHub-Event`.
    case github
    /// GitLab: `X-Gitlab-Token` carries the secret itself; events in `X-Gitlab-Event`.
    case gitlab
    /// Anything else (CI jobs, scripts): `X-Capstan-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
    case generic

    /// The request path of this provider's endpoint.
    public var path: String { "/webhook/\(rawValue)" }

    /// The header that authenticates a delivery (named in 401 bodies; its value is never echoed or logged).
    var credentialHeader: String {
        switch self {
        case .github: "X-Hub-Signature-256"
        case .gitlab: "X-Gitlab-Token"
        case .generic: "X-Capstan-Signature"
        }
    }
}

/// What the server does with one webhook delivery whose size and method were acceptable.
enum WebhookDecision: Sendable, Equatable {
    /// Verified, and it asks for a poll (answered 202).
    case trigger(PollRequest)
    /// Verified GitHub `ping` (answered 200, no poll).
    case pong
    /// Verified but not a reason to poll: another event, or a ref we do not watch (answered 202).
    case ignored(reason: String)
    /// The credential is missing or wrong (answered 401, no poll).
    case unauthorized(reason: String)
    /// Verified, but the payload cannot be read where we need it (answered 400).
    case badRequest(reason: String)

    /// The label value for `capstan_webhook_requests_total{result=...}`.
    var metricResult: WebhookResult {
        switch self {
        case .trigger: .triggered
        case .pong: .ping
        case .ignored: .ignored
        case .unauthorized: .unauthorized
        case .badRequest: .badRequest
        }
    }
}

/// Every outcome of a webhook request, as counted in `capstan_webhook_requests_total{result}`.
public enum WebhookResult: String, Sendable, CaseIterable {
    case triggered, ping, ignored, unauthorized
    case badRequest = "bad_request"
    case disabled
    case tooLarge = "too_large"
    case methodNotAllowed = "method_not_allowed"
}
