public import CapstanModel

/// One step of a path into a value: a map key or a list index.
public enum PathElement: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral
{
    case key(String)
    case index(Int)

    public init(stringLiteral value: String) { self = .key(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    /// `key` or `[3]`.
    public var description: String {
        switch self {
        case .key(let k): k
        case .index(let i): "[\(i)]"
        }
    }

    /// Renders a path the way Kubernetes prints field paths: `spec.template.containers[0].image`.
    public static func fieldPath(_ path: [PathElement]) -> String {
        var out = ""
        for step in path {
            switch step {
            case .key(let k):
                if !out.isEmpty { out += "." }
                out += k
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }
}

/// The position of one node in a parsed document, stored flat in document (pre-)order.
struct NodeMark: Sendable {
    /// 1-based line and column (columns count characters, as libyaml does).
    var line: UInt32
    var column: UInt32
    /// The index just past this node's subtree in the mark table (its next sibling).
    var end: Int32
    /// For an alias node, the mark of the anchored node it repeats; -1 otherwise.
    var target: Int32
}

/// The source positions of every node of one parsed document, found lazily by walking the value and a
/// flat table of marks in document order side by side (no tree of boxed nodes is built).
///
/// Map entries are found by position: entry *j* of a map is its *j*-th key in the source, unless the map
/// took entries from a `<<` merge or a repeated key (last wins); such maps keep an explicit table of key
/// marks. Aliases point at their anchor, so paths through aliased content resolve to the anchor's text,
/// while a path that ends at an alias resolves to the alias itself.
public struct SourceMap: Sendable {
    /// The file named in locations.
    public let file: String
    let marks: [NodeMark]
    /// Key marks per final entry, for maps whose entries do not follow source order.
    let rearranged: [Int32: [Int32]]
    let root: Int32
    /// The value this map describes (a cheap copy-on-write reference to the parsed value).
    let value: Value

    init(file: String, marks: [NodeMark], rearranged: [Int32: [Int32]], root: Int32, value: Value) {
        self.file = file
        self.marks = marks
        self.rearranged = rearranged
        self.root = root
        self.value = value
    }

    /// A map for a value that has no source text: every lookup answers `location`.
    public init(file: String, location: SourceLocation, value: Value) {
        self.file = file
        marks = [NodeMark(line: UInt32(location.line), column: UInt32(location.column), end: 1, target: -1)]
        rearranged = [:]
        root = 0
        self.value = value
    }

    /// Where the document's root node starts.
    public var rootLocation: SourceLocation { location(ofMark: root) }

    /// Where the node at `path` starts (the value, not its key); nil when the path does not exist.
    public func location(of path: [PathElement]) -> SourceLocation? {
        resolve(path).map { location(ofMark: $0.node) }
    }

    /// Where the key of the last step of `path` is written (for "unknown field" errors); for a list index
    /// step, the item itself. Nil when the path does not exist.
    public func keyLocation(of path: [PathElement]) -> SourceLocation? {
        resolve(path).map { location(ofMark: $0.key ?? $0.node) }
    }

    /// The value's location when `path` exists; otherwise the key (or list item) of its deepest existing
    /// prefix, the root at worst: where to point when a field is missing, e.g. at `metadata:` for a
    /// missing `metadata.name`.
    public func nearestLocation(of path: [PathElement]) -> SourceLocation {
        if let loc = location(of: path) { return loc }
        var prefix = path
        while !prefix.isEmpty {
            prefix.removeLast()
            if let loc = keyLocation(of: prefix), !prefix.isEmpty { return loc }
        }
        return rootLocation
    }

    /// A source map rooted at the node at `path` (e.g. one item of a `kind: List`), or nil.
    public func subMap(at path: [PathElement]) -> SourceMap? {
        guard let (node, _, value) = resolveWithValue(path) else { return nil }
        return SourceMap(file: file, marks: marks, rearranged: rearranged, root: follow(node), value: value)
    }

    // MARK: - Walking

    private func location(ofMark i: Int32) -> SourceLocation {
        let m = marks[Int(i)]
        return SourceLocation(file: file, line: Int(m.line), column: Int(m.column))
    }

    private func resolve(_ path: [PathElement]) -> (node: Int32, key: Int32?)? {
        resolveWithValue(path).map { ($0.node, $0.key) }
    }

    /// The node and key marks of `path` plus the value there; nil when the path is missing.
    private func resolveWithValue(_ path: [PathElement]) -> (node: Int32, key: Int32?, value: Value)? {
        var node = root
        var key: Int32?
        var current = value
        for step in path {
            node = follow(node)
            switch step {
            case .key(let k):
                guard case .map(let m) = current, let j = m.position(of: k),
                    let keyMark = keyMark(ofEntry: j, inMap: node)
                else { return nil }
                key = keyMark
                node = marks[Int(keyMark)].end
                current = m.entries[j].value
            case .index(let i):
                guard case .list(let l) = current, l.indices.contains(i) else { return nil }
                var child = node + 1
                for _ in 0..<i {
                    guard child < marks.count else { return nil }
                    child = marks[Int(child)].end
                }
                key = nil
                node = child
                current = l[i]
            }
            guard node >= 0, node < marks.count else { return nil }
        }
        return (node, key, current)
    }

    /// Follows alias marks to the anchored node.
    private func follow(_ node: Int32) -> Int32 {
        var n = node
        var hops = 0
        while n >= 0, n < marks.count, marks[Int(n)].target >= 0, hops < 64 {
            n = marks[Int(n)].target
            hops += 1
        }
        return n
    }

    private func keyMark(ofEntry j: Int, inMap node: Int32) -> Int32? {
        Self.keyMark(ofEntry: j, inMap: node, marks: marks, rearranged: rearranged)
    }

    /// The mark of entry `j`'s key in the map node `node` (shared with the builder, which needs it for merges).
    static func keyMark(ofEntry j: Int, inMap node: Int32, marks: [NodeMark], rearranged: [Int32: [Int32]]) -> Int32? {
        if let table = rearranged[node] { return j < table.count ? table[j] : nil }
        var child = node + 1
        for _ in 0..<j {
            guard child < marks.count else { return nil }
            child = marks[Int(child)].end  // past the key
            guard child < marks.count else { return nil }
            child = marks[Int(child)].end  // past the value
        }
        return child < marks.count ? child : nil
    }
}
