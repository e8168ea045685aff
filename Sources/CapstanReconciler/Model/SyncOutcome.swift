/// What a run of the loop ended with, and so what the daemon does next.
public enum SyncOutcome: Hashable, Sendable, CustomStringConvertible {
    /// Everything the revision asks for is applied; poll again after the interval.
    case synced
    /// Nothing more can happen without a human: bad YAML, a policy denial, a render error, a conflict.
    /// What could be applied was applied; the next revision (or a live change) is the next chance.
    case stalled(reason: String)
    /// A dependency is not ready yet (an upgrade step, a Cluster still being deleted); look again later.
    case waiting(retryAfter: Duration, reason: String)
    /// The source or the management cluster failed in a way that may pass (network, timeout, storage);
    /// retry with backoff. Nothing was deleted.
    case transient(reason: String)

    public var description: String {
        switch self {
        case .synced: "synced"
        case .stalled(let reason): "stalled: \(reason)"
        case .waiting(let after, let reason): "waiting \(after): \(reason)"
        case .transient(let reason): "transient: \(reason)"
        }
    }

    /// The result label the metrics use (`success`, `stalled`, `waiting`, `transient`).
    public var metricLabel: String {
        switch self {
        case .synced: "success"
        case .stalled: "stalled"
        case .waiting: "waiting"
        case .transient: "transient"
        }
    }
}

/// Why the loop runs.
public enum SyncTrigger: Hashable, Sendable, CustomStringConvertible {
    /// The poll interval passed (or the daemon started).
    case interval
    /// A verified webhook asked for a poll.
    case webhook(provider: String)
    /// Live objects of these Clusters moved (upgrade sequencing, status); re-render them at the last revision.
    case live(Set<ClusterID>)
    /// The periodic drift check.
    case drift

    public var description: String {
        switch self {
        case .interval: "interval"
        case .webhook(let p): "webhook (\(p))"
        case .live(let c): "live change (\(c.count) cluster\(c.count == 1 ? "" : "s"))"
        case .drift: "drift check"
        }
    }
}

/// A Cluster's namespace and name.
public struct ClusterID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Parses `namespace/name`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(namespace: String(parts[0]), name: String(parts[1]))
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (a: ClusterID, b: ClusterID) -> Bool { (a.namespace, a.name) < (b.namespace, b.name) }
}
