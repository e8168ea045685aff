import CapstanModel

/// Where in the inputs a problem sits, so the diagnostic can name a file and line.
enum ErrorOrigin: Sendable, Hashable {
    /// A field of the Cluster being rendered (JSON pointer tokens).
    case cluster([String])
    /// A field of its ClusterClass.
    case clusterClass([String])
    /// A template or other input object.
    case object(ObjectKey, [String])
}

/// A render failure with the upstream-style message (wrapped the way pkg/errors wraps: `outer: inner`).
struct TopologyError: Error, Sendable, CustomStringConvertible {
    var message: String
    var origin: ErrorOrigin?

    init(_ message: String, origin: ErrorOrigin? = nil) {
        self.message = message
        self.origin = origin
    }

    /// `pkgerrors.Wrap(err, prefix)`.
    func wrapped(_ prefix: String) -> TopologyError {
        TopologyError(prefix + ": " + message, origin: origin)
    }

    var description: String { message }
}
