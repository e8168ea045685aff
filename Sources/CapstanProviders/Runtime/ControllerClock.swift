public import CapstanCluster
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant on a controller clock, in milliseconds since the Unix epoch.
public struct Moment: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The instant a Kubernetes timestamp (one-second resolution) names.
    public init(_ timestamp: Timestamp) { milliseconds = timestamp.seconds * 1000 }

    public static func < (a: Moment, b: Moment) -> Bool { a.milliseconds < b.milliseconds }

    /// This instant moved by a duration (sub-millisecond parts are dropped).
    public func advanced(by d: Duration) -> Moment { Moment(milliseconds: milliseconds + d.milliseconds) }

    /// The time from `other` to this instant.
    public func since(_ other: Moment) -> Duration { .milliseconds(milliseconds - other.milliseconds) }

    /// The instant as a Kubernetes timestamp (seconds, rounded down).
    public var timestamp: Timestamp {
        Timestamp(seconds: milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
    }

    /// RFC 3339 at one-second resolution, as `metav1.Time` serialises.
    public var description: String { timestamp.description }
}

extension Duration {
    /// Whole milliseconds (rounded toward zero).
    var milliseconds: Int64 {
        let c = components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }
}

/// Where controllers read the time and wait for requeues. Injectable so a simulation can run a long rollout
/// in milliseconds; it is also the object server's `WallClock` so stored timestamps follow the same time.
public protocol ControllerClock: WallClock {
    /// The current instant.
    func currentMoment() -> Moment
    /// Suspends until `moment` (real time); a simulated clock never sleeps.
    func sleep(until moment: Moment) async throws
}

extension ControllerClock {
    public func now() -> Timestamp { currentMoment().timestamp }
}

/// Simulated time: moves only when the simulation advances it, so scheduled requeues fire instantly.
public final class SimulatedClock: ControllerClock {
    private let current: Guarded<Moment>

    /// A clock starting at `start` (default 2025-01-01T00:00:00Z).
    public init(start: Moment = Moment(milliseconds: 1_735_689_600_000)) { current = Guarded(start) }

    public func currentMoment() -> Moment { current.withLock { $0 } }

    /// Moves the clock forward to `moment` (never backwards).
    public func advance(to moment: Moment) { current.withLock { $0 = Swift.max($0, moment) } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) { current.withLock { $0 = $0.advanced(by: duration) } }

    public func sleep(until moment: Moment) async throws { advance(to: moment) }
}

/// The real time, for the daemon.
public struct SystemControllerClock: ControllerClock {
    public init() {}

    public func currentMoment() -> Moment {
        let d = ContinuousClock.now - Self.base.continuous
        return Self.base.wall.advanced(by: d)
    }

    public func sleep(until moment: Moment) async throws {
        let wait = moment.since(currentMoment())
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Wall time read once, then advanced with a monotonic clock so requeue arithmetic never goes backwards.
    private static let base: (wall: Moment, continuous: ContinuousClock.Instant) = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (Moment(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000), ContinuousClock.now)
    }()
}
