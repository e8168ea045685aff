public import CapstanModel

/// One `metadata.managedFields` entry: which fields one manager set, by which operation.
public struct ManagedFieldsEntry: Sendable, Hashable {
    /// How the manager wrote: server-side apply, or a create/update/patch.
    public enum Operation: String, Sendable, Hashable {
        case apply = "Apply"
        case update = "Update"
    }

    public var manager: String
    public var operation: Operation
    public var apiVersion: String
    /// RFC 3339 time of the manager's last change.
    public var time: String?
    /// `""` for the main resource, `"status"` for the status subresource.
    public var subresource: String
    public var fields: FieldSet

    public init(manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String = "", fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// What makes two entries the same manager, as the apiserver's `BuildManagerIdentifier`: name, operation and
    /// subresource, plus the apiVersion for `Update` (an applier keeps one entry across versions).
    struct Identity: Hashable {
        var manager: String
        var operation: Operation
        var subresource: String
        var apiVersion: String
    }

    var identity: Identity {
        Identity(manager: manager, operation: operation, subresource: subresource, apiVersion: operation == .apply ? "" : apiVersion)
    }

    /// The manager as conflict messages print it: `"name"`, `"name" with subresource "status"`, and for
    /// `Update` managers ` using <apiVersion> at <time>`.
    var conflictName: String {
        var s = JSON.serialize(.string(manager))
        if !subresource.isEmpty { s += " with subresource \(JSON.serialize(.string(subresource)))" }
        if operation == .update {
            s += " using \(apiVersion)"
            if let time { s += " at \(time)" }
        }
        return s
    }

    /// The JSON form, fields in `metav1.ManagedFieldsEntry` order.
    public var value: Value {
        var m: ObjectMap = ["manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion)]
        if let time { m.append(key: "time", value: .string(time)) }
        m.append(key: "fieldsType", value: "FieldsV1")
        m.append(key: "fieldsV1", value: fields.fieldsV1)
        if !subresource.isEmpty { m.append(key: "subresource", value: .string(subresource)) }
        return .map(m)
    }

    /// Reads an entry; nil when it is not a FieldsV1 entry we can read.
    public init?(_ value: Value) {
        guard let manager = value["manager"]?.stringValue, let op = value["operation"]?.stringValue.flatMap(Operation.init),
              value["fieldsType"]?.stringValue ?? "FieldsV1" == "FieldsV1",
              let fields = try? FieldSet(fieldsV1: value["fieldsV1"] ?? .map([:]))
        else { return nil }
        self.init(
            manager: manager, operation: op, apiVersion: value["apiVersion"]?.stringValue ?? "",
            time: value["time"]?.stringValue, subresource: value["subresource"]?.stringValue ?? "", fields: fields)
    }
}

extension KubeObject {
    /// The object's `metadata.managedFields` entries (unreadable entries are skipped).
    public var managedFields: [ManagedFieldsEntry] {
        get { body[path: ["metadata", "managedFields"]]?.listValue?.compactMap(ManagedFieldsEntry.init) ?? [] }
        set {
            body[path: ["metadata", "managedFields"]] = newValue.isEmpty ? nil : .list(ManagedFieldsEntry.sorted(newValue).map(\.value))
        }
    }

    /// The fields `manager` owns (all its entries, or only those of one operation).
    public func fieldsOwned(by manager: String, operation: ManagedFieldsEntry.Operation? = nil) -> FieldSet {
        managedFields.filter { $0.manager == manager && (operation == nil || $0.operation == operation) }
            .reduce(FieldSet()) { $0.union($1.fields) }
    }

    /// The managers owning a path (or something below it), by name.
    public func managers(owning path: FieldPath) -> [String] {
        Array(Set(managedFields.filter { $0.fields.containsAny(atOrBelow: path) }.map(\.manager))).sorted()
    }
}

extension ManagedFieldsEntry {
    /// The apiserver's order: Apply entries before Update, then by time, manager, apiVersion, subresource.
    static func sorted(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        entries.sorted { p, q in
            if p.operation != q.operation { return p.operation.rawValue < q.operation.rawValue }
            let pt = p.time.flatMap(Timestamp.init(rfc3339:))?.seconds ?? 0
            let qt = q.time.flatMap(Timestamp.init(rfc3339:))?.seconds ?? 0
            if pt != qt { return pt < qt }
            if p.manager != q.manager { return p.manager < q.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return p.subresource < q.subresource
        }
    }
}
