/// A controller work queue: deduplicated FIFO of ready items, items scheduled for later (requeue-after), and
/// per-item failure counts for exponential backoff — the semantics of client-go's rate-limited delaying queue,
/// without its goroutines, so a simulation can drive it deterministically.
struct WorkQueue<Item: Hashable & Sendable>: Sendable {
    private var ready: [Item] = []
    private var head = 0
    private var queued: Set<Item> = []
    /// Scheduled items: a binary min-heap ordered by (due, sequence); stale entries are skipped on promotion.
    private var heap: [Scheduled] = []
    private var due: [Item: Moment] = [:]
    private var sequence = 0
    private var failures: [Item: Int] = [:]

    private struct Scheduled: Sendable {
        var due: Moment
        var sequence: Int
        var item: Item
        func before(_ o: Scheduled) -> Bool { (due, sequence) < (o.due, o.sequence) }
    }

    /// Backoff after the first failure, doubled per consecutive failure up to `maxBackoff` (client-go defaults).
    static var baseBackoff: Duration { .milliseconds(5) }
    static var maxBackoff: Duration { .seconds(1000) }

    /// Items ready to process.
    var readyCount: Int { ready.count - head }
    /// Whether nothing is ready or scheduled.
    var isEmpty: Bool { readyCount == 0 && due.isEmpty }

    /// Makes `item` ready now (no-op when already ready); a pending schedule for it is dropped.
    mutating func add(_ item: Item) {
        due[item] = nil
        if queued.insert(item).inserted { ready.append(item) }
    }

    /// Schedules `item` at `moment`, keeping an earlier schedule; items already ready stay ready.
    mutating func add(_ item: Item, at moment: Moment) {
        if queued.contains(item) { return }
        if let existing = due[item], existing <= moment { return }
        due[item] = moment
        sequence += 1
        push(Scheduled(due: moment, sequence: sequence, item: item))
    }

    /// Schedules `item` after its backoff delay and counts the failure; returns the delay.
    @discardableResult
    mutating func addRateLimited(_ item: Item, now: Moment) -> Duration {
        let n = failures[item, default: 0]
        failures[item] = n + 1
        let factor = Int64(1) << Int64(min(n, 30))
        let delay = Duration.milliseconds(min(Self.baseBackoff.milliseconds * factor, Self.maxBackoff.milliseconds))
        add(item, at: now.advanced(by: delay))
        return delay
    }

    /// Clears the failure count of an item that reconciled successfully.
    mutating func forget(_ item: Item) { failures[item] = nil }

    /// Moves scheduled items due at or before `now` to the ready list, in due order.
    mutating func promote(now: Moment) {
        while let top = heap.first, top.due <= now {
            popHeap()
            guard due[top.item] == top.due else { continue }
            due[top.item] = nil
            if queued.insert(top.item).inserted { ready.append(top.item) }
        }
    }

    /// The next ready item, in FIFO order.
    mutating func pop() -> Item? {
        guard head < ready.count else { return nil }
        let item = ready[head]
        head += 1
        if head > 1024 && head * 2 > ready.count {
            ready.removeFirst(head)
            head = 0
        }
        queued.remove(item)
        return item
    }

    /// The earliest scheduled time, if anything is scheduled.
    mutating func nextDue() -> Moment? {
        while let top = heap.first, due[top.item] != top.due { popHeap() }
        return heap.first?.due
    }

    // MARK: Heap

    private mutating func push(_ s: Scheduled) {
        heap.append(s)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].before(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func popHeap() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, heap[l].before(heap[m]) { m = l }
            if r < heap.count, heap[r].before(heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
    }
}
