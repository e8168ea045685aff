import Synchronization

/// The port the server ended up listening on, published once the listener is up (or its failure).
final class BoundPort: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Int, any Error>])
        case bound(Int)
        case failed(any Error)
    }

    private let state = Mutex(State.waiting([]))

    /// Waits for the listener; throws the start-up error if the server could not bind.
    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let resume: (() -> Void)? = state.withLock { state in
                switch state {
                case .waiting(let list):
                    state = .waiting(list + [continuation])
                    return nil
                case .bound(let port): return { continuation.resume(returning: port) }
                case .failed(let error): return { continuation.resume(throwing: error) }
                }
            }
            resume?()
        }
    }

    func publish(_ port: Int) { settle(.bound(port)) }

    func fail(_ error: any Error) { settle(.failed(error)) }

    /// Only the first outcome counts; waiters are resumed outside the lock.
    private func settle(_ outcome: State) {
        let waiters: [CheckedContinuation<Int, any Error>] = state.withLock { state in
            guard case .waiting(let list) = state else { return [] }
            state = outcome
            return list
        }
        for waiter in waiters {
            switch outcome {
            case .bound(let port): waiter.resume(returning: port)
            case .failed(let error): waiter.resume(throwing: error)
            case .waiting: break
            }
        }
    }
}

/// The server stopped before it was listening.
public struct ServerNotStarted: Error, CustomStringConvertible {
    public var description: String { "the HTTP server stopped before it started listening" }
}
