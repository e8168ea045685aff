public import CapstanModel

/// Every object from Git that Capstan applied (or is about to apply), with the input hash it was last applied
/// with, and the revisions applied. Stored in the management cluster itself (`Inventory+Storage.swift`), so it
/// stays true to the cluster it describes, whichever process or machine runs the daemon.
///
/// Rendered topology objects are not listed: they carry the Cluster as controller owner, the
/// `cluster.x-k8s.io/cluster-name` and `capstan.io/fleet` labels, and go with their Cluster (garbage
/// collection) or through the renderer's planned deletions, as upstream's topology controller finds them.
/// Keeping the inventory to Git objects keeps it small (about 100 bytes per object).
public struct Inventory: Sendable, Hashable {
    /// One applied object.
    public struct Entry: Sendable, Hashable {
        public var key: ObjectKey
        public var apiVersion: String
        /// The input hash last applied; empty while the object is only announced (written before the apply,
        /// so a crash between announcing and recording never loses track of an object that may exist).
        public var inputHash: String

        public init(key: ObjectKey, apiVersion: String, inputHash: String) {
            self.key = key
            self.apiVersion = apiVersion
            self.inputHash = inputHash
        }
    }

    public var fleet: String
    /// The revision most recently applied (`main@sha1:<id>`), completely or in part.
    public var lastAppliedRevision: String?
    /// The commit id of that revision.
    public var lastAppliedRevisionID: String?
    /// The last revision applied without any error (pruning happened for it).
    public var lastCompleteRevisionID: String?
    public var entries: [ObjectKey: Entry] = [:]

    public init(fleet: String) { self.fleet = fleet }

    /// The inventory object's name: `capstan-inventory-<fleet>` in `capstan-system`.
    public static func objectName(fleet: String) -> String { "capstan-inventory-\(fleet)" }

    /// The stored form: a ConfigMap whose `objects` lists one entry per line
    /// (`apiVersion kind namespace name hash`, `-` for an empty field), sorted.
    public func encoded() -> KubeObject {
        var o = KubeObject(apiVersion: "v1", kind: "ConfigMap", namespace: Vocabulary.systemNamespace, name: Self.objectName(fleet: fleet))
        o.labels = [Vocabulary.fleetLabel: fleet, "app.kubernetes.io/managed-by": "capstan"]
        var data: ObjectMap = ["fleet": .string(fleet), "format": "1"]
        if let r = lastAppliedRevision { data["lastAppliedRevision"] = .string(r) }
        if let r = lastAppliedRevisionID { data["lastAppliedRevisionID"] = .string(r) }
        if let r = lastCompleteRevisionID { data["lastCompleteRevisionID"] = .string(r) }
        func field(_ s: String) -> String { s.isEmpty ? "-" : s }
        let lines = entries.values.sorted { $0.key < $1.key }.map { e in
            [e.apiVersion, e.key.kind, field(e.key.namespace), e.key.name, field(e.inputHash)].joined(separator: " ")
        }
        data["objects"] = .string(lines.joined(separator: "\n"))
        o.body["data"] = .map(data)
        return o
    }

    /// Reads the stored form; nil when it is not an inventory Capstan can read.
    public init?(decoding object: KubeObject) {
        guard let data = object.body["data"]?.mapValue, let fleet = data["fleet"]?.stringValue else { return nil }
        self.fleet = fleet
        lastAppliedRevision = data["lastAppliedRevision"]?.stringValue
        lastAppliedRevisionID = data["lastAppliedRevisionID"]?.stringValue
        lastCompleteRevisionID = data["lastCompleteRevisionID"]?.stringValue
        for line in (data["objects"]?.stringValue ?? "").split(separator: "\n") {
            let f = line.split(separator: " ").map { $0 == "-" ? "" : String($0) }
            guard f.count == 5 else { return nil }
            let gvk = GroupVersionKind(apiVersion: f[0], kind: f[1])
            let key = ObjectKey(group: gvk.group, kind: f[1], namespace: f[2], name: f[3])
            entries[key] = Entry(key: key, apiVersion: f[0], inputHash: f[4])
        }
    }
}
