/// A position in a source file, printed as `file:line:column` (1-based), the form editors and CI
/// annotations understand.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A problem found in user input, located where possible. Used by `lint`, `render`, `validate` and the
/// daemon's status reports, so every surface prints problems the same way.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    public var location: SourceLocation?
    /// The object the problem is about, e.g. `Cluster fleet-a/c1`, when known.
    public var object: String?
    /// A field path inside the object, e.g. `spec.topology.variables[0].value`, when known.
    public var fieldPath: String?
    public var message: String

    public init(
        _ severity: Severity = .error, at location: SourceLocation? = nil, object: String? = nil,
        fieldPath: String? = nil, message: String
    ) {
        self.severity = severity
        self.location = location
        self.object = object
        self.fieldPath = fieldPath
        self.message = message
    }

    /// `file:line:col: [Kind ns/name: ][field: ]message` (warnings are prefixed `warning: `).
    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location.description) }
        if let object { parts.append(object) }
        if let fieldPath { parts.append(fieldPath) }
        let prefix = severity == .warning ? "warning: " : ""
        return (parts + [prefix + message]).joined(separator: ": ")
    }
}
