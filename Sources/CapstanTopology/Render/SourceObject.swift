public import CapstanModel

/// Source positions of the fields inside one object, keyed by JSON pointer (`/spec/variables/0`), so an
/// error about a variable, patch or template can name the file and line of that element.
public struct FieldLocations: Sendable {
    var byPointer: [String: SourceLocation]

    /// Positions keyed by RFC 6901 pointer relative to the object root (`""` is the object itself).
    public init(_ byPointer: [String: SourceLocation] = [:]) { self.byPointer = byPointer }

    /// The position of the deepest known node along `tokens` (the object itself when nothing deeper is known).
    public func location(of tokens: [String]) -> SourceLocation? {
        var best = byPointer[""]
        var pointer = ""
        for token in tokens {
            pointer += "/" + JSONPointer.escape(token)
            if let loc = byPointer[pointer] { best = loc }
        }
        return best
    }
}

/// One object of the fleet with where it was read from (file:line), when known.
public struct SourceObject: Sendable {
    public var object: KubeObject
    public var location: SourceLocation?
    public var fields: FieldLocations

    public init(_ object: KubeObject, location: SourceLocation? = nil, fields: FieldLocations = FieldLocations()) {
        self.object = object
        self.location = location
        self.fields = fields
        if location != nil && fields.byPointer[""] == nil { self.fields.byPointer[""] = location }
    }

    /// The position of a field, falling back to the object's own position.
    public func location(of tokens: [String]) -> SourceLocation? { fields.location(of: tokens) ?? location }
}
