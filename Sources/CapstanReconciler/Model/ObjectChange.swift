public import CapstanModel

/// What the loop did (or would do) to one object.
public enum ObjectChange: Hashable, Sendable, CustomStringConvertible {
    /// The object did not exist and was created.
    case create
    /// The object existed and fields Capstan owns changed.
    case update
    /// The object left Git (or its topology) and was deleted.
    case delete
    /// Nothing Capstan owns differs from the live object.
    case unchanged
    /// A change that was not made, and why: a deletion waiting for approval or budget, a denied object,
    /// a pending upgrade step, a revision with errors.
    case held(reason: String)

    public var description: String {
        switch self {
        case .create: "create"
        case .update: "update"
        case .delete: "delete"
        case .unchanged: "unchanged"
        case .held(let reason): "held (\(reason))"
        }
    }

    /// True for changes that wrote to the management cluster.
    public var wrote: Bool {
        switch self {
        case .create, .update, .delete: true
        case .unchanged, .held: false
        }
    }
}

/// One object's result in a run: which object, what happened, and for Git objects where it is written.
public struct ObjectResult: Hashable, Sendable {
    public var key: ObjectKey
    public var apiVersion: String
    public var change: ObjectChange
    /// The Cluster the object belongs to (its own key for a Cluster), when it belongs to one.
    public var cluster: ObjectKey?
    /// `file:line` of the Git document, when the object comes from Git.
    public var location: SourceLocation?

    public init(key: ObjectKey, apiVersion: String, change: ObjectChange, cluster: ObjectKey? = nil, location: SourceLocation? = nil) {
        self.key = key
        self.apiVersion = apiVersion
        self.change = change
        self.cluster = cluster
        self.location = location
    }
}
