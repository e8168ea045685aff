import Synchronization

/// Whether the daemon should receive traffic: `/readyz` answers 200 for `.ready` and 503 with the reason otherwise.
public enum Readiness: Sendable, Equatable {
    case ready
    case notReady(reason: String)
}

/// Where `/readyz` reads readiness from; the daemon owns the truth (first successful sync), the server only asks.
public protocol ReadinessSource: Sendable {
    /// The current readiness; called on every `/readyz` request, so it must be cheap and must not block.
    var readiness: Readiness { get }
}

/// A readiness flag the daemon flips: not ready (with a reason) until `markReady()` after the first successful sync.
public final class ReadinessGate: ReadinessSource {
    private let state: Mutex<Readiness>

    /// Starts not ready with `reason` (what `/readyz` reports until the first successful sync).
    public init(reason: String = "waiting for the first successful sync") {
        state = Mutex(.notReady(reason: reason))
    }

    public var readiness: Readiness { state.withLock { $0 } }

    /// Marks the daemon ready.
    public func markReady() { state.withLock { $0 = .ready } }

    /// Marks the daemon not ready, with a short reason `/readyz` reports.
    public func markNotReady(reason: String) { state.withLock { $0 = .notReady(reason: reason) } }
}

/// A readiness source backed by a closure, for callers that already keep the state elsewhere.
public struct ReadinessClosure: ReadinessSource {
    private let read: @Sendable () -> Readiness

    /// Wraps `read`, which must be cheap and non-blocking.
    public init(_ read: @escaping @Sendable () -> Readiness) { self.read = read }

    public var readiness: Readiness { read() }
}
