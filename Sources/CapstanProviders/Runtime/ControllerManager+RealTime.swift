import CapstanCluster
import CapstanModel

extension ControllerManager {
    /// Runs the controllers in real time until the surrounding task is cancelled (graceful stop: the reconcile
    /// in progress finishes, watches are closed, then this returns). One long-lived watch per kind feeds the
    /// cache; reconciles run one at a time as work becomes ready or scheduled requeues come due.
    public func run() async throws {
        let inbox = Inbox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started: Set<GroupKind> = []
            while !Task.isCancelled {
                // Watches for kinds not yet watched (including kinds tracked by the last reconciles).
                let pending = state.withLock { s in s.informers.values.filter { !started.contains($0.gvk.groupKind) } }
                for info in pending.sorted(by: { $0.gvk.groupKind < $1.gvk.groupKind }) {
                    let from = info.listed ? info.lastRV : try await relist(info.gvk)
                    started.insert(info.gvk.groupKind)
                    group.addTask { await self.watchLoop(info.gvk, from: from, inbox: inbox) }
                }
                for message in inbox.drain() {
                    switch message {
                    case .event(let e): apply(e)
                    case .replace(let gvk, let list): replaceCache(gvk, with: list)
                    }
                }
                let now = clock.currentMoment()
                let ready = state.withLock { s -> [WorkItem] in
                    s.queue.promote(now: now)
                    var out: [WorkItem] = []
                    while let item = s.queue.pop() { out.append(item) }
                    return out
                }
                for item in ready {
                    if Task.isCancelled {
                        state.withLock { $0.queue.add(item) }
                        continue
                    }
                    await process(item)
                }
                if !ready.isEmpty || inbox.hasMessages { continue }
                let due = state.withLock { $0.queue.nextDue() }
                await inbox.wait(until: due, clock: clock)
            }
            group.cancelAll()
        }
    }

    /// Watches one kind from `from`, forwarding events to the inbox; on a compacted version or a closed watch
    /// it lists again, hands the list to the main loop and watches from the list's version.
    private func watchLoop(_ gvk: GroupVersionKind, from: Int64, inbox: Inbox) async {
        var from = from
        while !Task.isCancelled {
            do {
                let stream = try await cluster.watch(gvk, namespace: nil, selector: nil, fromResourceVersion: String(from))
                for try await e in stream {
                    from = max(from, Int64(e.resourceVersion) ?? from)
                    inbox.push(.event(e))
                }
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                do {
                    let list = try await cluster.list(gvk, namespace: nil, selector: nil)
                    from = Int64(list.resourceVersion) ?? from
                    inbox.push(.replace(gvk, list))
                } catch {
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Makes the cache equal to a list result (after a watch had to restart), routing what changed.
    func replaceCache(_ gvk: GroupVersionKind, with list: ObjectList) {
        var stale = cache.keys(gvk.groupKind)
        for obj in list.items {
            stale.remove(obj.key)
            cache.upsert(obj)
            let previous = cache.deliver(obj.key, obj)
            if previous?.resourceVersion != obj.resourceVersion {
                route(ObjectEvent(type: previous == nil ? .added : .modified, object: obj, previous: previous))
            }
        }
        for key in stale.sorted() {
            let old = cache.remove(key, resourceVersion: nil)
            if let previous = cache.deliver(key, nil) ?? old { route(ObjectEvent(type: .deleted, object: previous, previous: previous)) }
        }
    }
}

/// Messages from the watch tasks to the main loop, with a doorbell the main loop waits on.
final class Inbox: Sendable {
    enum Message: Sendable {
        case event(WatchEvent)
        case replace(GroupVersionKind, ObjectList)
    }

    private struct State {
        var messages: [Message] = []
        var waiter: CheckedContinuation<Void, Never>?
        var wake = false
    }

    private let state = Guarded(State())

    var hasMessages: Bool { state.withLock { !$0.messages.isEmpty } }

    func push(_ m: Message) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.messages.append(m)
            s.wake = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    func drain() -> [Message] {
        state.withLock { s in
            defer { s.messages = [] }
            return s.messages
        }
    }

    /// Waits until a message arrives, `due` passes, or the task is cancelled.
    func wait(until due: Moment?, clock: any ControllerClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForMessage() }
            if let due { group.addTask { try? await clock.sleep(until: due) } }
            _ = await group.next()
            group.cancelAll()
            self.wakeWaiter()
        }
    }

    private func waitForMessage() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.wake || Task.isCancelled {
                        s.wake = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            wakeWaiter()
        }
        state.withLock { $0.wake = false }
    }

    private func wakeWaiter() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }
}
