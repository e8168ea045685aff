import Synchronization

/// A value behind a mutex: the one primitive the object server, the memory backend and the watch hub share.
final class Locked<State: ~Copyable>: Sendable {
    private let mutex: Mutex<State>

    init(_ state: consuming sending State) { mutex = Mutex(state) }

    /// Runs `body` with exclusive access to the state.
    func withLock<R: ~Copyable, E: Error>(_ body: (inout sending State) throws(E) -> sending R) throws(E) -> R {
        try mutex.withLock(body)
    }
}
