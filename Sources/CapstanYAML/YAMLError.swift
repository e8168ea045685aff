public import CapstanModel

/// A YAML input that could not be read: a syntax error from libyaml, a typing error (`.inf` where JSON is
/// needed, a bad `!!int`), a duplicate key, or an exceeded limit. Printed as `file:line:col: message`.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:col: message`.
    public var description: String { "\(location): \(message)" }

    /// The error as a located diagnostic, for lint output and status reports.
    public var diagnostic: Diagnostic { Diagnostic(.error, at: location, message: message) }
}
