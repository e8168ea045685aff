public import CapstanModel
public import CapstanYAML

/// Source positions of the fields inside one object, so an error about a variable, patch or template can
/// name the file and line of that element: a YAML source map, or positions keyed by JSON pointer.
public struct FieldLocations: Sendable {
    var byPointer: [String: SourceLocation]
    var sourceMap: SourceMap?

    /// Positions keyed by RFC 6901 pointer relative to the object root (`""` is the object itself).
    public init(_ byPointer: [String: SourceLocation] = [:]) {
        self.byPointer = byPointer
        sourceMap = nil
    }

    /// Positions from the YAML document the object was parsed from.
    public init(sourceMap: SourceMap) {
        byPointer = [:]
        self.sourceMap = sourceMap
    }

    /// The position of the deepest known node along `tokens` in `body`.
    func location(of tokens: [String], in body: Value) -> SourceLocation? {
        if let sourceMap {
            var path: [PathElement] = []
            var node: Value? = body
            for t in tokens {
                if case .list(let l)? = node, let i = Int(t) {
                    path.append(.index(i))
                    node = i < l.count ? l[i] : nil
                } else {
                    path.append(.key(t))
                    node = node?[t]
                }
            }
            return sourceMap.nearestLocation(of: path)
        }
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
        if location != nil && fields.sourceMap == nil && fields.byPointer[""] == nil { self.fields.byPointer[""] = location }
    }

    /// An object parsed from a YAML document (its source map locates every field).
    public init(document: YAMLDocument) {
        self.init(KubeObject(document.value), location: document.sourceMap.rootLocation, fields: FieldLocations(sourceMap: document.sourceMap))
    }

    /// The position of a field, falling back to the object's own position.
    public func location(of tokens: [String]) -> SourceLocation? { fields.location(of: tokens, in: object.body) ?? location }
}
