public import CapstanCluster
public import CapstanModel

/// One field that differs between two versions of an object. Paths use server-side apply's elements:
/// keyed-list items by key (`[name="md-0"]`), set items by value (`[="x"]`), atomic-list items by index.
public struct FieldChange: Sendable, Hashable, CustomStringConvertible {
    /// What happened to the field.
    public enum Operation: String, Sendable, Hashable {
        case added = "add"
        case removed = "remove"
        case changed = "change"
    }

    public var path: FieldPath
    public var operation: Operation
    /// The value before (nil when added).
    public var old: Value?
    /// The value after (nil when removed).
    public var new: Value?

    public init(path: FieldPath, operation: Operation, old: Value?, new: Value?) {
        self.path = path
        self.operation = operation
        self.old = old
        self.new = new
    }

    /// `spec.replicas: 3 → 5`, `metadata.labels.a: added "x"`.
    public var description: String {
        switch operation {
        case .added: "\(path.display): added \(FieldChange.short(new))"
        case .removed: "\(path.display): removed (was \(FieldChange.short(old)))"
        case .changed: "\(path.display): \(FieldChange.short(old)) → \(FieldChange.short(new))"
        }
    }

    /// A value on one line, cut at `limit` characters (JSON form; strings quoted only when they need it).
    public static func short(_ v: Value?, limit: Int = 80) -> String {
        guard let v else { return "(none)" }
        var s: String
        switch v {
        case .string(let str) where !str.isEmpty && !str.contains("\n") && !str.contains("\"") && str.trimmingSpaces == str:
            s = str
        default:
            s = JSON.serialize(v)
        }
        if s.count > limit { s = String(s.prefix(limit - 1)) + "…" }
        return s
    }
}

extension FieldPath {
    /// The path without the leading dot: `spec.topology.workers.machineDeployments[name="md-0"].replicas`.
    public var display: String {
        let d = description
        return d.hasPrefix(".") ? String(d.dropFirst()) : d
    }

    /// Whether `prefix` is this path or one of its ancestors.
    public func hasPrefix(_ prefix: FieldPath) -> Bool {
        prefix.elements.count <= elements.count && zip(prefix.elements, elements).allSatisfy { $0 == $1 }
    }

    /// Whether the path starts with these field names.
    public func hasPrefix(fields: [String]) -> Bool {
        hasPrefix(FieldPath(fields.map(PathElement.field)))
    }

    /// The leading plain field names (up to the first list element).
    public var leadingFields: [String] {
        var out: [String] = []
        for e in elements {
            guard case .field(let f) = e else { break }
            out.append(f)
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
