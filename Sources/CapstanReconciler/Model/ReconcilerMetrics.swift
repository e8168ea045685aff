public import CapstanFleet

/// Where the loop records what it does (the daemon adapts `CapstanServer.CapstanMetrics` to this; tests count).
public protocol ReconcilerMetrics: Sendable {
    /// A run of the loop finished (poll, webhook or drift triggered; not live-change runs).
    func syncFinished(duration: Duration, outcome: SyncOutcome)
    /// A revision was applied (completely or in part).
    func appliedRevision(_ revision: Revision)
    /// Objects created or updated, by kind.
    func applied(kind: String, count: Int)
    /// Objects deleted because they left Git, by kind.
    func pruned(kind: String, count: Int)
    /// Changes held back (deletions awaiting approval or budget, denied objects), by kind.
    func held(kind: String, count: Int)
    /// Clusters whose render failed.
    func renderErrors(count: Int)
    /// Objects a policy denied, by policy.
    func policyDenials(policy: String, count: Int)
    /// A poll failed.
    func fetchError(_ reason: SourceFailureReason)
    /// The latest drift check found this many drifted objects in this many Clusters.
    func drift(objects: Int, clusters: Int)
}

/// Records nothing.
public struct NoMetrics: ReconcilerMetrics {
    public init() {}
    public func syncFinished(duration: Duration, outcome: SyncOutcome) {}
    public func appliedRevision(_ revision: Revision) {}
    public func applied(kind: String, count: Int) {}
    public func pruned(kind: String, count: Int) {}
    public func held(kind: String, count: Int) {}
    public func renderErrors(count: Int) {}
    public func policyDenials(policy: String, count: Int) {}
    public func fetchError(_ reason: SourceFailureReason) {}
    public func drift(objects: Int, clusters: Int) {}
}
