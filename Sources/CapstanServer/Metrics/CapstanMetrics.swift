import Foundation
public import Prometheus
import Synchronization

/// The daemon's metrics: one Prometheus registry owned by this object, typed recording methods, and the text
/// exposition `/metrics` serves. Each instance has its own registry, so a process (a test run) can hold many
/// servers; nothing here touches the global `MetricsSystem` (see `MetricsBootstrap` for that).
public final class CapstanMetrics: Sendable {
    /// The registry behind `/metrics`; libraries that record through swift-metrics can share it via
    /// `MetricsBootstrap.bootstrap(_:)`.
    public let registry: PrometheusCollectorRegistry
    private let now: @Sendable () -> Double
    private let syncDuration: DurationHistogram
    private let renderErrors: Counter
    private let driftObjects: Gauge
    private let driftClusters: Gauge
    private let applied: Mutex<AppliedRevision?>

    /// The revision series currently exported, so a new revision replaces it instead of adding a stale series.
    private struct AppliedRevision {
        var info: Gauge
        var timestamp: Gauge
        var age: Gauge
        var appliedAt: Double
    }

    /// Creates the metrics with a fresh registry. `now` gives Unix time in seconds (tests pass a fixed clock).
    public init(now: (@Sendable () -> Double)? = nil) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.now = now ?? { Date().timeIntervalSince1970 }
        typealias D = CapstanMetricDefinitions
        syncDuration = registry.makeDurationHistogram(
            descriptor: D.syncDuration.descriptor, labels: [], buckets: D.syncDurationBuckets)
        renderErrors = registry.makeCounter(descriptor: D.renderErrors.descriptor)
        driftObjects = registry.makeGauge(descriptor: D.driftObjects.descriptor)
        driftClusters = registry.makeGauge(descriptor: D.driftClusters.descriptor)
        applied = Mutex(nil)
        // Known label values start at zero so `rate()` and absent-series alerts work from the first scrape.
        for result in SyncResult.allCases { _ = counter(D.syncs, [("result", result.rawValue)]) }
    }

    // MARK: Recording

    /// Records one finished sync: its duration and how it ended.
    public func recordSync(duration: Duration, result: SyncResult) {
        syncDuration.record(duration)
        counter(CapstanMetricDefinitions.syncs, [("result", result.rawValue)]).increment()
    }

    /// Records that `revision` is now fully applied. The previous revision's info series is removed.
    public func recordAppliedRevision(_ revision: String) {
        let time = now()
        applied.withLock { current in
            typealias D = CapstanMetricDefinitions
            let info = registry.makeGauge(descriptor: D.lastAppliedRevision.descriptor, labels: [("revision", revision)])
            if let old = current, old.info !== info { registry.unregisterGauge(old.info) }
            info.set(1.0)
            let timestamp = current?.timestamp ?? registry.makeGauge(descriptor: D.lastAppliedTimestamp.descriptor)
            let age = current?.age ?? registry.makeGauge(descriptor: D.lastAppliedAge.descriptor)
            timestamp.set(time)
            age.set(0.0)
            current = AppliedRevision(info: info, timestamp: timestamp, age: age, appliedAt: time)
        }
    }

    /// Records objects created or updated, for one kind.
    public func recordApplied(kind: String, count: Int = 1) {
        add(count, to: CapstanMetricDefinitions.objectsApplied, [("kind", kind)])
    }

    /// Records objects pruned (deleted because they left the fleet), for one kind.
    public func recordPruned(kind: String, count: Int = 1) {
        add(count, to: CapstanMetricDefinitions.objectsPruned, [("kind", kind)])
    }

    /// Records deletions held back in a sync, for one kind.
    public func recordHeld(kind: String, count: Int = 1) {
        add(count, to: CapstanMetricDefinitions.objectsHeld, [("kind", kind)])
    }

    /// Records Clusters that failed to render.
    public func recordRenderErrors(count: Int = 1) {
        if count > 0 { renderErrors.increment(by: Int64(count)) }
    }

    /// Records objects denied by the admission policy `policy`.
    public func recordPolicyDenials(policy: String, count: Int = 1) {
        add(count, to: CapstanMetricDefinitions.policyDenials, [("policy", policy)])
    }

    /// Records one failed source fetch.
    public func recordFetchError(_ reason: FetchErrorReason) {
        counter(CapstanMetricDefinitions.fetchErrors, [("reason", reason.rawValue)]).increment()
    }

    /// Sets the drift gauges from the latest drift check.
    public func recordDrift(objects: Int, clusters: Int) {
        driftObjects.set(Int64(objects))
        driftClusters.set(Int64(clusters))
    }

    /// Records one webhook request and its result.
    public func recordWebhook(provider: WebhookProvider, result: WebhookResult) {
        counter(CapstanMetricDefinitions.webhookRequests, [("provider", provider.rawValue), ("result", result.rawValue)])
            .increment()
    }

    // MARK: Exposition

    /// The Prometheus text exposition (format 0.0.4), with time-dependent gauges brought up to date first.
    public func exposition() -> [UInt8] {
        let time = now()
        applied.withLock { current in
            guard let current else { return }
            current.age.set(max(0, time - current.appliedAt))
        }
        return registry.emitToBuffer()
    }

    private func counter(_ definition: MetricDefinition, _ labels: [(String, String)]) -> Counter {
        registry.makeCounter(descriptor: definition.descriptor, labels: labels)
    }

    private func add(_ count: Int, to definition: MetricDefinition, _ labels: [(String, String)]) {
        guard count > 0 else { return }
        counter(definition, labels).increment(by: Int64(count))
    }
}

extension MetricDefinition {
    /// The registry's name descriptor: our names are complete, so no namespace or unit is appended.
    var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
