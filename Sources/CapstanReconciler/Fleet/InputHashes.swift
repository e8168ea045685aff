import CapstanFleet
import CapstanModel

/// Content-keyed inputs of each apply unit, so a revision re-applies only what it changed.
///
/// A Cluster's input is its own document, its ClusterClass, the templates the class references, the
/// CustomResourceDefinitions (control-plane contracts), the policies that admit it and the configuration
/// that shapes the apply; any other object's input is its document, the policies and the configuration.
/// Documents are identified by their file's content id plus their position in it, so nothing is serialised.
struct InputHashes: Sendable {
    /// Bumped when the way objects are applied changes, so an upgraded daemon re-applies everything once.
    static let applyFormat = "capstan-apply-1"

    /// By object key: the input hash of every fleet object (Clusters included).
    private(set) var byObject: [ObjectKey: String] = [:]

    init(snapshot: FleetSnapshot, configHash: String, policyHash: String) {
        var document: [ObjectKey: String] = [:]
        var contentID: [String: String] = [:]
        for f in snapshot.files { contentID[f.path] = f.contentID }
        for o in snapshot.objects where document[o.key] == nil {
            document[o.key] = StableHash.of([o.path, contentID[o.path] ?? "", String(o.documentIndex), o.itemIndex.map(String.init) ?? "-"])
        }
        let crds = snapshot.objects.filter { $0.key.kind == "CustomResourceDefinition" }.map { document[$0.key] ?? "" }.sorted()
        let shared = [Self.applyFormat, configHash, policyHash]
        var classHash: [ObjectKey: String] = [:]
        for o in snapshot.objects where o.key.group == Vocabulary.capiGroup && o.key.kind == "ClusterClass" {
            let templates = Self.references(in: o.object.body).map { ref -> String in
                let key = ObjectKey(group: ref.group, kind: ref.kind, namespace: o.key.namespace, name: ref.name)
                return "\(key)=\(document[key] ?? "live")"
            }.sorted()
            classHash[o.key] = StableHash.of([document[o.key] ?? ""] + templates + crds)
        }
        for o in snapshot.objects where byObject[o.key] == nil {
            var parts = shared + [document[o.key] ?? ""]
            if o.key.group == Vocabulary.capiGroup && o.key.kind == "Cluster", let classKey = Self.classKey(of: o.object) {
                parts.append("\(classKey)=\(classHash[classKey] ?? "live")")
            }
            byObject[o.key] = StableHash.of(parts)
        }
    }

    subscript(key: ObjectKey) -> String? { byObject[key] }

    /// The ClusterClass a topology Cluster names (v1beta2 `classRef`, v1beta1 `class` + `classNamespace`).
    static func classKey(of cluster: KubeObject) -> ObjectKey? {
        guard let topology = cluster.body[path: ["spec", "topology"]] else { return nil }
        let name = topology[path: ["classRef", "name"]]?.stringValue ?? topology["class"]?.stringValue
        guard let name, !name.isEmpty else { return nil }
        let ns = topology[path: ["classRef", "namespace"]]?.stringValue ?? topology["classNamespace"]?.stringValue ?? cluster.namespace
        return ObjectKey(group: Vocabulary.capiGroup, kind: "ClusterClass", namespace: ns.isEmpty ? cluster.namespace : ns, name: name)
    }

    /// Every object reference in a ClusterClass body: maps with `kind`, `name` and `apiVersion` or `apiGroup`
    /// (`templateRef` in v1beta2, `ref` in v1beta1), wherever they are.
    static func references(in value: Value) -> [(group: String, kind: String, name: String)] {
        var out: [(String, String, String)] = []
        func walk(_ v: Value) {
            switch v {
            case .map(let m):
                if let kind = m["kind"]?.stringValue, let name = m["name"]?.stringValue {
                    if let apiVersion = m["apiVersion"]?.stringValue {
                        out.append((GroupVersionKind(apiVersion: apiVersion, kind: kind).group, kind, name))
                    } else if let group = m["apiGroup"]?.stringValue {
                        out.append((group, kind, name))
                    }
                }
                for e in m { walk(e.value) }
            case .list(let l): for item in l { walk(item) }
            default: break
            }
        }
        walk(value)
        return out
    }
}
