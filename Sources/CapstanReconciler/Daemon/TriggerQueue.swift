import Synchronization

/// What wakes the daemon, coalesced: any number of webhook pokes become one poll, live changes of many
/// Clusters become one set.
final class TriggerQueue: Sendable {
    /// One thing to do next.
    enum Event: Sendable, Equatable {
        case stop
        case poll(reason: String)
        case live(Set<ClusterID>)
    }

    private struct State {
        var stop = false
        var poll: String?
        var live = Set<ClusterID>()
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Asks for a poll as soon as the current run ends.
    func poll(reason: String) { change { if $0.poll == nil { $0.poll = reason } } }

    /// Marks Clusters whose live objects moved.
    func live(_ ids: Set<ClusterID>) { if !ids.isEmpty { change { $0.live.formUnion(ids) } } }

    /// Asks the daemon to stop after the step in flight.
    func stop() { change { $0.stop = true } }

    var stopping: Bool { state.withLock { $0.stop } }

    /// The most urgent pending event (stop, then poll, then live changes), taking it from the queue.
    func take(includeLive: Bool = true) -> Event? {
        state.withLock { s in
            if s.stop { return .stop }
            if let reason = s.poll {
                s.poll = nil
                return .poll(reason: reason)
            }
            if includeLive && !s.live.isEmpty {
                defer { s.live = [] }
                return .live(s.live)
            }
            return nil
        }
    }

    /// Waits until something is queued or `deadline` passes (or the task is cancelled).
    func wait(until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.signalled() }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
    }

    private func change(_ body: (inout State) -> Void) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            body(&s)
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    private var hasWork: Bool { state.withLock { $0.stop || $0.poll != nil || !$0.live.isEmpty } }

    private func signalled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.stop || s.poll != nil || !s.live.isEmpty || Task.isCancelled { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
