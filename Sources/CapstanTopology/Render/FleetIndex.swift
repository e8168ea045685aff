public import CapstanModel
public import CapstanFleet

/// The desired objects read from Git, indexed for rendering: topology Clusters, ClusterClasses (converted
/// to v1beta2), the templates they reference, CRDs (for control-plane contract versions), and the rest.
public struct FleetIndex: Sendable {
    /// Every input object in input order.
    public let objects: [SourceObject]
    var byKey: [ObjectKey: Int] = [:]
    /// Converted (v1beta2) ClusterClasses by key.
    var clusterClasses: [ObjectKey: ClusterClassModel] = [:]
    /// Keys of Clusters with `spec.topology`, sorted.
    public private(set) var topologyClusters: [ObjectKey] = []
    var topologyClusterSet: Set<ObjectKey> = []

    public init(objects: [SourceObject]) {
        self.objects = objects
        for (i, so) in objects.enumerated() {
            byKey[so.object.key] = i
        }
        for (key, i) in byKey {
            let o = objects[i].object
            guard key.group == CAPI.group else { continue }
            if key.kind == "ClusterClass" { clusterClasses[key] = ClusterClassModel(Conversion.toV1Beta2(o)) }
            if key.kind == "Cluster" && ClusterModel.hasTopology(o) { topologyClusters.append(key) }
        }
        topologyClusters.sort()
        topologyClusterSet = Set(topologyClusters)
    }

    /// Convenience for tests and tools: objects without positions.
    public init(_ objects: [KubeObject]) { self.init(objects: objects.map { SourceObject($0) }) }

    /// The source object with this identity.
    public func source(_ key: ObjectKey) -> SourceObject? { byKey[key].map { objects[$0] } }

    /// A CustomResourceDefinition by name, if the fleet carries it.
    func customResourceDefinition(named name: String) -> KubeObject? {
        source(ObjectKey(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", namespace: "", name: name))?.object
    }

    /// True for objects the renderer replaces with its own output (topology Clusters).
    func isRenderedCluster(_ key: ObjectKey) -> Bool {
        key.group == CAPI.group && key.kind == "Cluster" && topologyClusterSet.contains(key)
    }
}

/// `ObjectKey` shorthands for Cluster API kinds.
extension ObjectKey {
    static func capi(_ kind: String, _ namespace: String, _ name: String) -> ObjectKey {
        ObjectKey(group: CAPI.group, kind: kind, namespace: namespace, name: name)
    }
}

extension FleetIndex {
    /// The index of a loaded fleet snapshot (every object with its file and source map).
    public init(snapshot: FleetSnapshot) {
        self.init(objects: snapshot.objects.map {
            SourceObject($0.object, location: $0.location, fields: FieldLocations(sourceMap: $0.sourceMap))
        })
    }
}
