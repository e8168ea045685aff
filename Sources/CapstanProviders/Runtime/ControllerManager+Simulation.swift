import CapstanCluster
public import CapstanModel

/// One reconcile of a simulation, as the step observer sees it.
public struct SimulationStep: Sendable {
    /// The controller (its field-manager name).
    public var controller: String
    /// The object reconciled.
    public var key: ObjectKey
    /// Simulated time when it ran.
    public var now: Moment
    /// Reconciles run so far, this one included.
    public var count: Int
}

/// How a simulation run ended.
public struct SimulationReport: Sendable {
    /// Nothing is ready or scheduled: every controller is done until something changes.
    public var quiescent: Bool
    /// Reconciles run.
    public var reconciles: Int
    /// Rounds (cache sync, then every ready item).
    public var rounds: Int
    /// Simulated time that passed.
    public var simulatedTime: Duration
}

/// The simulation did not settle.
public struct SimulationError: Error, CustomStringConvertible {
    public var description: String
}

extension ControllerManager {
    /// The kind listed to learn the store's current resourceVersion cheaply (no object of it ever exists).
    static let syncInterval = 256

    static let resourceVersionProbe = GroupVersionKind(group: "sim.capstan.io", version: "v1alpha1", kind: "ResourceVersionProbe")

    /// Runs every controller until nothing is ready or scheduled, advancing simulated time to the next
    /// scheduled requeue whenever the ready work runs out. Deterministic: one reconcile at a time, in queue
    /// order, with the cache synced between rounds.
    ///
    /// `observe` runs after every reconcile; returning false stops the run. Stops (not quiescent) when
    /// simulated time would pass `limit`; throws when `maxReconciles` is exceeded (a livelock).
    @discardableResult
    public func runUntilQuiescent(
        limit: Duration = .seconds(7 * 86_400), maxReconciles: Int = 50_000_000,
        observe: (@Sendable (SimulationStep) async throws -> Bool)? = nil
    ) async throws -> SimulationReport {
        let start = clock.currentMoment(), deadline = start.advanced(by: limit)
        var reconciles = 0, rounds = 0
        func report(_ quiescent: Bool) -> SimulationReport {
            SimulationReport(quiescent: quiescent, reconciles: reconciles, rounds: rounds, simulatedTime: clock.currentMoment().since(start))
        }
        while true {
            try await syncCache()
            let now = clock.currentMoment()
            let batch = state.withLock { s -> [WorkItem] in
                s.queue.promote(now: now)
                var out: [WorkItem] = []
                out.reserveCapacity(s.queue.readyCount)
                while let item = s.queue.pop() { out.append(item) }
                return out
            }
            if batch.isEmpty {
                guard let due = state.withLock({ $0.queue.nextDue() }) else { return report(true) }
                if due > deadline {
                    try await clock.sleep(until: deadline)
                    return report(false)
                }
                try await clock.sleep(until: due)
                continue
            }
            rounds += 1
            for (i, item) in batch.enumerated() {
                // Within a long round the cache is synced every `syncInterval` reconciles, which keeps each
                // drained backlog (and the event log the store must retain) small.
                if i > 0 && i % Self.syncInterval == 0 { try await syncCache() }
                await process(item)
                reconciles += 1
                if reconciles > maxReconciles {
                    throw SimulationError(description: "no quiescence after \(maxReconciles) reconciles (last: \(reconcilers[item.controller].name) \(item.key)); recent errors: \(recentErrors.suffix(3))")
                }
                if let observe {
                    let step = SimulationStep(controller: reconcilers[item.controller].name, key: item.key, now: clock.currentMoment(), count: reconciles)
                    if try await !observe(step) { return report(false) }
                }
            }
        }
    }

    /// Brings the cache up to the store's current resourceVersion: lists kinds never listed, and reads every
    /// other kind's events since its last applied version (a watch from that version, closed at once, hands
    /// back exactly the logged backlog without waiting).
    func syncCache() async throws {
        let current = Int64(try await cluster.list(Self.resourceVersionProbe, namespace: nil, selector: nil).resourceVersion) ?? 0
        let informers = state.withLock { s in s.informers.values.sorted { $0.gvk.groupKind < $1.gvk.groupKind } }
        for info in informers {
            if !info.listed {
                try await relist(info.gvk)
                continue
            }
            if info.lastRV >= current { continue }
            var last = info.lastRV
            do {
                let stream = try await cluster.watch(info.gvk, namespace: nil, selector: nil, fromResourceVersion: String(info.lastRV))
                stream.cancel()
                for try await e in stream {
                    apply(e)
                    last = max(last, Int64(e.resourceVersion) ?? last)
                }
            } catch ClusterError.gone {
                try await relist(info.gvk)
                continue
            }
            let applied = max(last, current)
            state.withLock { $0.informers[info.gvk.groupKind]?.lastRV = applied }
        }
    }
}
