public import CapstanModel

/// One document of a YAML stream: its value, where each node came from, and where it starts.
public struct YAMLDocument: Sendable {
    public var value: Value
    public var sourceMap: SourceMap
    /// Where the document starts (its `---`, or its first node when the marker is implicit).
    public var start: SourceLocation
    /// The document's position in its stream, from 0.
    public var index: Int

    public init(value: Value, sourceMap: SourceMap, start: SourceLocation, index: Int) {
        self.value = value
        self.sourceMap = sourceMap
        self.start = start
        self.index = index
    }

    /// True for a document without content (`---` alone, or only comments), which loaders skip.
    public var isEmpty: Bool { value.isNull }
}
