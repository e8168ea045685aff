/// Where the object server reads the time (creation and deletion timestamps, managed-fields times).
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// A clock that tests set and advance by hand.
public final class ManualClock: WallClock {
    private let current: Locked<Timestamp>

    public init(_ start: Timestamp = Timestamp(seconds: 1_700_000_000)) { current = Locked(start) }

    public func now() -> Timestamp { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(seconds: Int64) { current.withLock { $0.seconds += seconds } }
}
