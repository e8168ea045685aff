/// A request, made by a verified webhook, to poll the source now instead of waiting for the next interval.
public struct PollRequest: Sendable, Equatable {
    /// Which endpoint received it.
    public var provider: WebhookProvider
    /// The provider's event name (`push`, `Push Hook`, `Tag Push Hook`, or `generic`).
    public var event: String
    /// The ref the push names, when the payload says (`refs/heads/main`).
    public var ref: String?
    /// The revision the push moved the ref to, when the payload says (`after`).
    public var revision: String?
    /// The provider's delivery id (`X-GitHub-Delivery`, `X-Gitlab-Event-UUID`, `X-Capstan-Delivery`), for logs.
    public var deliveryID: String?

    /// A poll request; everything but the provider and event is optional, as payloads differ.
    public init(provider: WebhookProvider, event: String, ref: String? = nil, revision: String? = nil, deliveryID: String? = nil) {
        self.provider = provider
        self.event = event
        self.ref = ref
        self.revision = revision
        self.deliveryID = deliveryID
    }
}

/// Where webhook handlers put poll requests. It only enqueues: the handler answers the sender at once and the
/// daemon's reconcile worker decides when to poll (requests coalesce there), so no sync ever runs inline.
public struct WebhookSink: Sendable {
    private let enqueue: @Sendable (PollRequest) -> Void

    /// A sink calling `enqueue`, which must return quickly and must not block.
    public init(_ enqueue: @escaping @Sendable (PollRequest) -> Void) { self.enqueue = enqueue }

    /// Hands one request to the daemon.
    func submit(_ request: PollRequest) { enqueue(request) }

    /// A sink plus the stream that receives its requests. The stream keeps only the newest pending request:
    /// a burst of pushes while a sync runs becomes one poll afterwards.
    public static func coalescingStream() -> (sink: WebhookSink, requests: AsyncStream<PollRequest>) {
        let (stream, continuation) = AsyncStream.makeStream(of: PollRequest.self, bufferingPolicy: .bufferingNewest(1))
        return (WebhookSink { continuation.yield($0) }, stream)
    }

    /// A sink that drops every request (webhooks verified and answered, nothing polled).
    public static let discarding = WebhookSink { _ in }
}
