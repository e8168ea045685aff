public import CapstanModel

/// One change delivered by a watch.
public struct WatchEvent: Sendable, Hashable {
    /// The Kubernetes watch event types.
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var type: EventType
    public var object: KubeObject

    public init(type: EventType, object: KubeObject) {
        self.type = type
        self.object = object
    }

    /// The event's resourceVersion (the object's after the change).
    public var resourceVersion: String { object.resourceVersion ?? "" }
}

/// The events of one watch, in resourceVersion order and without gaps. Iterate with `for try await`; the
/// watch ends when the stream and its iterators are released, or on `cancel()`. If the consumer falls more
/// than the server's buffer limit behind, iteration throws `ClusterError.watchClosed`; watch again from the
/// last event's resourceVersion.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let subscription: WatchSubscription

    public func makeAsyncIterator() -> Iterator { Iterator(subscription: subscription) }

    /// Stops the watch; a waiting iterator returns nil.
    public func cancel() { subscription.channel.finish(with: nil) }

    /// Yields events until the stream ends.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: WatchSubscription

        public mutating func next() async throws -> WatchEvent? {
            try await subscription.channel.next()
        }
    }
}

/// Keeps a watch registered while a stream or iterator refers to it.
final class WatchSubscription: Sendable {
    let channel: WatchChannel
    let hub: WatchHub

    init(channel: WatchChannel, hub: WatchHub) {
        self.channel = channel
        self.hub = hub
    }

    deinit {
        channel.finish(with: nil)
        hub.remove(channel.id)
    }
}

/// What a watch receives: a kind, optionally a namespace and a label selector.
struct WatchFilter: Sendable {
    var kind: GroupKind
    var namespace: String?
    var selector: LabelSelector?

    /// The event a watcher sees for a logged change, if any: with a selector, a change that makes an object
    /// match is `added` and one that makes it stop matching is `deleted` (as the apiserver's watch cache does).
    func translate(_ e: StoredEvent) -> WatchEvent? {
        let key = e.object.key
        guard key.group == kind.group, key.kind == kind.kind else { return nil }
        if let namespace, key.namespace != namespace { return nil }
        guard let selector, !selector.isEmpty else { return WatchEvent(type: e.type, object: e.object) }
        let now = selector.matches(e.object.labels)
        let before = e.previousLabels.map(selector.matches) ?? false
        switch e.type {
        case .added: return now ? WatchEvent(type: .added, object: e.object) : nil
        case .deleted: return now || before ? WatchEvent(type: .deleted, object: e.object) : nil
        case .modified:
            switch (before, now) {
            case (true, true): return WatchEvent(type: .modified, object: e.object)
            case (false, true): return WatchEvent(type: .added, object: e.object)
            case (true, false): return WatchEvent(type: .deleted, object: e.object)
            case (false, false): return nil
            }
        }
    }
}

/// The buffer between the hub (producer) and one consumer.
///
/// A channel starts `pending`: live events are held while the server reads the backlog (or the initial
/// list); `activate` then queues the backlog, keeps only the held events after it, and goes live.
final class WatchChannel: Sendable {
    private struct State {
        var queue: [WatchEvent] = []
        var head = 0
        var pending: [StoredEvent]? = []
        var waiter: CheckedContinuation<WatchEvent?, any Error>?
        var finished = false
        var error: ClusterError?
        var count: Int { queue.count - head }
    }

    let id: Int
    let filter: WatchFilter
    let limit: Int
    private let state = Locked(State())

    init(id: Int, filter: WatchFilter, limit: Int) {
        self.id = id
        self.filter = filter
        self.limit = limit
    }

    /// Offers a committed event (called by the hub in resourceVersion order); returns false once the channel
    /// is finished and can be dropped.
    func offer(_ e: StoredEvent) -> Bool {
        state.withLock { s in
            if s.finished { return false }
            if s.pending != nil {
                s.pending!.append(e)
                return true
            }
            guard let event = filter.translate(e) else { return true }
            Self.enqueue(event, &s, limit: limit)
            return !s.finished
        }
    }

    /// Queues the backlog (already translated), then held events with resourceVersion above `after`, and goes live.
    func activate(backlog: [WatchEvent], after: Int64) {
        state.withLock { s in
            guard !s.finished else { return }
            for e in backlog { Self.enqueue(e, &s, limit: limit) }
            let held = s.pending ?? []
            s.pending = nil
            for e in held where e.resourceVersion > after {
                if let event = filter.translate(e) { Self.enqueue(event, &s, limit: limit) }
            }
        }
    }

    private static func enqueue(_ event: WatchEvent, _ s: inout State, limit: Int) {
        if s.finished { return }
        if let waiter = s.waiter {
            s.waiter = nil
            waiter.resume(returning: event)
            return
        }
        if s.count >= limit {
            s.finished = true
            s.error = .watchClosed("watch closed: the consumer fell more than \(limit) events behind; watch again from the last delivered resourceVersion")
            return
        }
        if s.head > 1024 && s.head * 2 > s.queue.count {
            s.queue.removeFirst(s.head)
            s.head = 0
        }
        s.queue.append(event)
    }

    /// Ends the stream; queued events are still delivered, then `error` is thrown (or nil returned).
    func finish(with error: ClusterError?) {
        state.withLock { s in
            guard !s.finished else { return }
            s.finished = true
            s.error = error
            if let waiter = s.waiter {
                s.waiter = nil
                if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
            }
        }
    }

    /// The next event, waiting for one if needed.
    func next() async throws -> WatchEvent? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<WatchEvent?, any Error>) in
                state.withLock { s in
                    if s.head < s.queue.count {
                        let e = s.queue[s.head]
                        s.head += 1
                        cont.resume(returning: e)
                    } else if s.finished {
                        if let error = s.error { cont.resume(throwing: error) } else { cont.resume(returning: nil) }
                    } else {
                        s.waiter = cont
                    }
                }
            }
        } onCancel: {
            finish(with: nil)
        }
    }
}

/// Fans committed events out to every registered watch.
final class WatchHub: Sendable {
    private struct State {
        var channels: [GroupKind: [Int: WatchChannel]] = [:]
        var kindOf: [Int: GroupKind] = [:]
        var nextID = 1
        var published: Int64
    }

    private let state: Locked<State>

    init(published: Int64) { state = Locked(State(published: published)) }

    /// Registers a pending channel; returns it with the last published resourceVersion (every later event
    /// will be offered to it).
    func register(_ filter: WatchFilter, limit: Int) -> (WatchChannel, Int64) {
        state.withLock { s in
            let channel = WatchChannel(id: s.nextID, filter: filter, limit: limit)
            s.nextID += 1
            s.channels[filter.kind, default: [:]][channel.id] = channel
            s.kindOf[channel.id] = filter.kind
            return (channel, s.published)
        }
    }

    func remove(_ id: Int) {
        state.withLock { s in
            guard let kind = s.kindOf.removeValue(forKey: id) else { return }
            s.channels[kind]?[id] = nil
        }
    }

    /// Delivers committed events (called in commit order, before the next write starts).
    func publish(_ events: [StoredEvent]) {
        guard let last = events.last else { return }
        state.withLock { s in
            for e in events {
                let kind = e.object.key.groupKind
                guard let channels = s.channels[kind] else { continue }
                for (id, channel) in channels where !channel.offer(e) {
                    s.channels[kind]?[id] = nil
                    s.kindOf[id] = nil
                }
            }
            s.published = last.resourceVersion
        }
    }

    /// How many watches are registered.
    var count: Int { state.withLock { $0.kindOf.count } }
}
