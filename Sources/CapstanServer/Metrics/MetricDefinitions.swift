/// One metric the daemon exports: its stable name, type, label names and help text.
public struct MetricDefinition: Sendable, Equatable {
    /// The Prometheus type of a metric.
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    public let name: String
    public let kind: Kind
    public let labels: [String]
    public let help: String
}

/// Every metric Capstan exports, in one place. Names are part of the daemon's interface (dashboards and alerts
/// use them): never rename one; add a new one and document it in docs/server.md.
public enum CapstanMetricDefinitions {
    public static let syncDuration = MetricDefinition(
        name: "capstan_sync_duration_seconds", kind: .histogram, labels: [],
        help: "Duration of one sync (fetch, load, validate, render, diff, apply, prune, report) in seconds.")
    public static let syncs = MetricDefinition(
        name: "capstan_syncs_total", kind: .counter, labels: ["result"],
        help: "Syncs finished, by result (success, stalled, waiting, transient).")
    public static let lastAppliedRevision = MetricDefinition(
        name: "capstan_last_applied_revision_info", kind: .gauge, labels: ["revision"],
        help: "Always 1; the revision label is the source revision of the last fully applied sync.")
    public static let lastAppliedTimestamp = MetricDefinition(
        name: "capstan_last_applied_revision_timestamp_seconds", kind: .gauge, labels: [],
        help: "Unix time at which the last applied revision finished applying.")
    public static let lastAppliedAge = MetricDefinition(
        name: "capstan_last_applied_revision_age_seconds", kind: .gauge, labels: [],
        help: "Seconds since the last applied revision finished applying, computed at scrape time.")
    public static let objectsApplied = MetricDefinition(
        name: "capstan_objects_applied_total", kind: .counter, labels: ["kind"],
        help: "Objects created or updated in the management cluster, by kind.")
    public static let objectsPruned = MetricDefinition(
        name: "capstan_objects_pruned_total", kind: .counter, labels: ["kind"],
        help: "Objects deleted because they left the fleet, by kind.")
    public static let objectsHeld = MetricDefinition(
        name: "capstan_objects_held_total", kind: .counter, labels: ["kind"],
        help: "Deletions held back (not approved or over the per-revision budget), by kind, counted per sync.")
    public static let renderErrors = MetricDefinition(
        name: "capstan_render_errors_total", kind: .counter, labels: [],
        help: "Clusters that failed to render.")
    public static let policyDenials = MetricDefinition(
        name: "capstan_policy_denials_total", kind: .counter, labels: ["policy"],
        help: "Objects denied by an admission policy, by policy name.")
    public static let fetchErrors = MetricDefinition(
        name: "capstan_fetch_errors_total", kind: .counter, labels: ["reason"],
        help: "Source fetches that failed, by reason (network, timeout, auth, tls, not_found, other).")
    public static let driftObjects = MetricDefinition(
        name: "capstan_drift_objects", kind: .gauge, labels: [],
        help: "Objects whose live state differs from the fleet, as of the last drift check.")
    public static let driftClusters = MetricDefinition(
        name: "capstan_drift_clusters", kind: .gauge, labels: [],
        help: "Clusters with at least one drifted object, as of the last drift check.")
    public static let webhookRequests = MetricDefinition(
        name: "capstan_webhook_requests_total", kind: .counter, labels: ["provider", "result"],
        help: "Webhook requests, by provider (github, gitlab, generic) and result.")

    /// All definitions, in documentation order.
    public static let all: [MetricDefinition] = [
        syncDuration, syncs, lastAppliedRevision, lastAppliedTimestamp, lastAppliedAge, objectsApplied, objectsPruned,
        objectsHeld, renderErrors, policyDenials, fetchErrors, driftObjects, driftClusters, webhookRequests,
    ]

    /// Upper bounds of the sync duration histogram buckets.
    static let syncDurationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        .seconds(300),
    ]
}

/// How a sync ended, as counted in `capstan_syncs_total{result}` (mirrors the reconciler's outcome enum).
public enum SyncResult: String, Sendable, CaseIterable {
    /// Everything applied.
    case success
    /// Needs a human (bad YAML, policy denial); retried only on a new revision.
    case stalled
    /// A dependency is not ready yet; retried after a delay.
    case waiting
    /// A network or similar failure; retried with backoff.
    case transient
}

/// Why a source fetch failed, as counted in `capstan_fetch_errors_total{reason}`.
public enum FetchErrorReason: String, Sendable, CaseIterable {
    case network, timeout, auth, tls
    case notFound = "not_found"
    case other
}
