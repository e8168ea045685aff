public import CapstanModel
public import CapstanYAML

/// One Kubernetes object of the fleet, with where it was written: the file, the document, the item of a
/// `kind: List`, and a source map that locates any field of it.
public struct FleetObject: Sendable, CustomStringConvertible {
    public var object: KubeObject
    /// The file's path inside its tree (`FileEntry.path`).
    public var path: String
    /// The document's position in its file, from 0.
    public var documentIndex: Int
    /// The position in `items` when the object came from a `kind: List` document.
    public var itemIndex: Int?
    /// Locates fields of the object as written (its locations name the file as the loader displayed it).
    public var sourceMap: SourceMap

    public init(object: KubeObject, path: String, documentIndex: Int, itemIndex: Int? = nil, sourceMap: SourceMap) {
        self.object = object
        self.path = path
        self.documentIndex = documentIndex
        self.itemIndex = itemIndex
        self.sourceMap = sourceMap
    }

    /// Group, kind, namespace (as written; empty when absent) and name.
    public var key: ObjectKey { object.key }

    /// Where the object starts.
    public var location: SourceLocation { sourceMap.rootLocation }

    /// Where a field is written, or the closest enclosing field that is (the object itself at worst).
    public func location(of path: [PathElement]) -> SourceLocation { sourceMap.nearestLocation(of: path) }

    /// Where the key of a field is written (for "unknown field" messages), else the closest enclosing field.
    public func keyLocation(of path: [PathElement]) -> SourceLocation {
        sourceMap.keyLocation(of: path) ?? sourceMap.nearestLocation(of: path)
    }

    /// A diagnostic about a field of this object: `file:line:col: Kind ns/name: field.path: message`.
    public func diagnostic(_ message: String, at path: [PathElement] = [], severity: Diagnostic.Severity = .error) -> Diagnostic {
        Diagnostic(
            severity, at: path.isEmpty ? location : keyLocation(of: path), object: key.description,
            fieldPath: path.isEmpty ? nil : PathElement.fieldPath(path), message: message)
    }

    /// `Kind namespace/name (file:line:col)`.
    public var description: String { "\(key) (\(location))" }
}
