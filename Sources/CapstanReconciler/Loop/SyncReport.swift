public import CapstanFleet
public import CapstanModel
import CapstanCluster

/// What one run did, for the daemon, its logs and the tests.
public struct SyncReport: Sendable {
    public var trigger: SyncTrigger
    public var revision: Revision?
    public var outcome: SyncOutcome
    /// Every object the run touched or decided about.
    public var results: [ObjectResult]
    /// Clusters rendered in this run.
    public var rendered: [ClusterID]
    /// Problems of the revision (file:line) and of Clusters.
    public var diagnostics: [Diagnostic]
    /// Files parsed in this run (unchanged files come from the cache).
    public var filesParsed: Int
    /// True when there was nothing to do (the revision was already applied).
    public var upToDate: Bool
    public var duration: Duration
    /// Writes to the management cluster during the run.
    public var writes: Int

    /// Results with a given change.
    public func results(_ filter: (ObjectChange) -> Bool) -> [ObjectResult] { results.filter { filter($0.change) } }
}

/// Failures that end a run early, and what they mean for the daemon.
enum SyncFailure: Error, CustomStringConvertible {
    /// The source could not be polled or read.
    case source(SourceError)
    /// The management cluster failed.
    case cluster(String)

    var description: String {
        switch self {
        case .source(let e): "source: \(e)"
        case .cluster(let m): "management cluster: \(m)"
        }
    }

    /// The outcome a thrown error stands for: source and storage failures are transient; anything else
    /// (a bug, an invalid inventory) needs a human.
    static func outcome(for error: any Error) -> SyncOutcome {
        switch error {
        case let f as SyncFailure: return .transient(reason: f.description)
        case let e as SourceError: return .transient(reason: "source: \(e)")
        case let e as ClusterError:
            switch e {
            case .storage, .watchClosed, .gone: return .transient(reason: "management cluster: \(e)")
            default: return .stalled(reason: "management cluster: \(e)")
            }
        case is CancellationError: return .transient(reason: "cancelled")
        default: return .stalled(reason: "\(error)")
        }
    }
}
