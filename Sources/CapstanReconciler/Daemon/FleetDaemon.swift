public import CapstanCluster
import CapstanFleet
public import Logging
import Synchronization

/// `capstan run` without its edges: the poll loop, the live-change watcher and the status publisher around a
/// `FleetReconciler`. One run of the loop at a time; triggers that arrive meanwhile coalesce.
///
/// `run()` returns after `stop()` once the run in flight has finished and the last status commit is made
/// (graceful shutdown), or when its task is cancelled.
public final class FleetDaemon: Sendable {
    /// Timing knobs (tests shorten them).
    public struct Options: Sendable {
        /// Pause after a live-change run, so bursts of events make one run.
        public var liveBatchDelay: Duration = .milliseconds(200)
        /// The first retry after a transient failure; it doubles up to the poll interval.
        public var initialBackoff: Duration = .seconds(1)
        /// Watch Clusters and MachineDeployments for live changes.
        public var watchLive = true
        public init() {}
    }

    let reconciler: FleetReconciler
    let publisher: StatusPublisher
    let cluster: any ManagementCluster
    let options: Options
    let logger: Logger
    let onFirstSync: @Sendable (SyncReport) -> Void
    let queue = TriggerQueue()
    let statusDirty = WakeSignal()
    private let publishing = Mutex(true)

    public init(
        reconciler: FleetReconciler, publisher: StatusPublisher, cluster: any ManagementCluster, options: Options = Options(),
        logger: Logger = Logger(label: "capstan.daemon"), onFirstSync: @escaping @Sendable (SyncReport) -> Void = { _ in }
    ) {
        self.reconciler = reconciler
        self.publisher = publisher
        self.cluster = cluster
        self.options = options
        self.logger = logger
        self.onFirstSync = onFirstSync
    }

    /// Asks for a poll now (a verified webhook); coalesces with other requests.
    public func requestPoll(reason: String) { queue.poll(reason: reason) }

    /// Graceful stop: the run in flight finishes, the status is committed one last time, `run()` returns.
    public func stop() { queue.stop() }

    /// Runs until `stop()` or cancellation.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.publishLoop() }
            if options.watchLive { group.addTask { await self.watchLoop() } }
            await workLoop()
            publishing.withLock { $0 = false }
            await publishNow(final: true)
            group.cancelAll()
        }
    }

    /// When the next poll is due, and how many transient failures came before it.
    enum Schedule: Sendable {
        case pollAt(ContinuousClock.Instant)
        case retryAt(ContinuousClock.Instant, attempt: Int)

        var due: ContinuousClock.Instant {
            switch self {
            case .pollAt(let t), .retryAt(let t, _): t
            }
        }
    }

    /// The poll loop: one switch over what woke it.
    func workLoop() async {
        var schedule = Schedule.pollAt(.now)
        var driftDue: ContinuousClock.Instant?
        var synced = false
        while true {
            let event = await nextEvent(schedule: schedule, driftDue: driftDue)
            switch event {
            case .stop:
                return
            case .poll(let reason):
                let trigger: SyncTrigger = reason.hasPrefix("webhook") ? .webhook(provider: String(reason.dropFirst(8))) : .interval
                let report = await reconciler.sync(trigger)
                let config = await reconciler.configuration
                schedule = Self.next(after: report.outcome, previous: schedule, config: config, initialBackoff: options.initialBackoff)
                if !synced, !report.outcome.isTransient {
                    synced = true
                    onFirstSync(report)
                }
                if driftDue == nil, let interval = config.drift.interval { driftDue = .now + interval }
                statusDirty.raise()
            case .live(let ids):
                _ = await reconciler.sync(.live(ids))
                statusDirty.raise()
                try? await Task.sleep(for: options.liveBatchDelay)
            case .drift:
                _ = await reconciler.sync(.drift)
                driftDue = await reconciler.configuration.drift.interval.map { .now + $0 }
                statusDirty.raise()
            }
        }
    }

    /// What the loop does next.
    enum Event: Sendable {
        case stop
        case poll(String)
        case live(Set<ClusterID>)
        case drift
    }

    func nextEvent(schedule: Schedule, driftDue: ContinuousClock.Instant?) async -> Event {
        while true {
            switch queue.take() {
            case .stop?: return .stop
            case .poll(let reason)?: return .poll(reason)
            case .live(let ids)?: return .live(ids)
            case nil: break
            }
            if Task.isCancelled { return .stop }
            let now = ContinuousClock.now
            if now >= schedule.due { return .poll("interval") }
            if let d = driftDue, now >= d { return .drift }
            await queue.wait(until: min(schedule.due, driftDue ?? schedule.due))
        }
    }

    /// The next poll after an outcome: the interval (with jitter) after a run that ended normally, sooner
    /// when a dependency asked to be looked at again, with growing pauses after transient failures.
    static func next(after outcome: SyncOutcome, previous: Schedule, config: FleetConfig, initialBackoff: Duration) -> Schedule {
        let interval = config.pollInterval
        let jitter = interval * Double.random(in: 0...max(0, config.pollJitter))
        switch outcome {
        case .synced, .stalled:
            return .pollAt(.now + interval + jitter)
        case .waiting(let after, _):
            return .pollAt(.now + min(after, interval))
        case .transient:
            let attempt: Int
            if case .retryAt(_, let a) = previous { attempt = a + 1 } else { attempt = 1 }
            let pause = min(initialBackoff * Double(1 << min(attempt - 1, 16)), interval)
            return .retryAt(.now + pause * Double.random(in: 0.8...1.2), attempt: attempt)
        }
    }

    /// Commits status reports when they changed, at most once per status interval.
    func publishLoop() async {
        var lastCommit: ContinuousClock.Instant?
        while !Task.isCancelled {
            await statusDirty.wait(until: .now + .seconds(3600))
            if Task.isCancelled { return }
            guard statusDirty.consume() else { continue }
            let interval = await reconciler.configuration.status.interval
            if let last = lastCommit, ContinuousClock.now < last + interval {
                try? await Task.sleep(until: last + interval, clock: .continuous)
                if Task.isCancelled { return }
            }
            guard publishing.withLock({ $0 }) else { return }
            await publishNow(final: false)
            lastCommit = .now
        }
    }

    /// Writes the current status (a failed write is logged and retried on the next change).
    func publishNow(final: Bool) async {
        guard let summary = await reconciler.currentSummary else { return }
        let config = await reconciler.configuration
        let revision = await reconciler.currentRevision
        do {
            if let result = try await publisher.publish(summary, target: config.status.target, source: revision) {
                logger.info("status written", metadata: ["result": "\(result)", "final": "\(final)"])
            }
        } catch {
            logger.warning("status write failed", metadata: ["error": "\(error)"])
        }
    }

    /// Starts the live watcher once the fleet's name is known (after the first revision is loaded).
    func watchLoop() async {
        var fleet: String?
        while fleet == nil {
            fleet = await reconciler.loadedFleetName
            if fleet == nil {
                try? await Task.sleep(for: .milliseconds(100))
                if Task.isCancelled { return }
            }
        }
        let queue = self.queue
        await LiveWatcher(cluster: cluster, fleet: fleet!, logger: logger) { ids in queue.live(ids) }.run()
    }
}

extension SyncOutcome {
    /// True for `transient`.
    public var isTransient: Bool { if case .transient = self { true } else { false } }
}
