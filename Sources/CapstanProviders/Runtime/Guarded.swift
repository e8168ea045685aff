import Synchronization

/// A value behind a mutex, shared by the manager, its caches and its work queue.
final class Guarded<State: ~Copyable>: Sendable {
    private let mutex: Mutex<State>

    init(_ state: consuming sending State) { mutex = Mutex(state) }

    /// Runs `body` with exclusive access to the state.
    func withLock<R: ~Copyable, E: Error>(_ body: (inout sending State) throws(E) -> sending R) throws(E) -> R {
        try mutex.withLock(body)
    }
}
