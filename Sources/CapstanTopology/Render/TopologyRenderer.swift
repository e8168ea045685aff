public import CapstanModel

/// The one entry point for desired state: the daemon, `capstan render`, `capstan plan` and the tests all
/// render topology Clusters through this type.
///
/// A renderer is built once per fleet revision and live snapshot; everything that depends only on a
/// ClusterClass (admission, templates, contract versions, parsed templates) is computed up front, so
/// `render(cluster:)` is cheap and may run concurrently from many threads.
public struct TopologyRenderer: Sendable {
    /// The uid written into owner references while the Cluster does not exist yet (see docs/rendering.md).
    /// The daemon applies the Cluster first and renders again with the live uid.
    public static let placeholderClusterUID = "00000000-0000-0000-0000-000000000000"

    public let fleet: FleetIndex
    public let live: any LiveState
    let classes: [ObjectKey: ClassContext]

    public init(fleet: FleetIndex, live: any LiveState = LiveObjectIndex.empty) {
        self.fleet = fleet
        self.live = live
        var classes: [ObjectKey: ClassContext] = [:]
        for (key, model) in fleet.clusterClasses {
            classes[key] = ClassContext(model: model, source: fleet.source(key), fleet: fleet, live: live)
        }
        self.classes = classes
    }

    /// Renders every topology Cluster of the fleet, sorted by namespace and name; every other object
    /// passes through unchanged.
    public func renderFleet() -> FleetRender {
        let clusters = fleet.topologyClusters.map { render(cluster: $0) }
        let passthrough = fleet.objects.filter { !fleet.isRenderedCluster($0.object.key) }
        return FleetRender(clusters: clusters, passthrough: passthrough, diagnostics: unusedClassDiagnostics())
    }

    /// Warnings for invalid ClusterClasses no Cluster of the fleet uses (used ones fail their Clusters).
    public func unusedClassDiagnostics() -> [Diagnostic] {
        var used = Set<ObjectKey>()
        for key in fleet.topologyClusters {
            guard let so = fleet.source(key) else { continue }
            let c = ClusterModel(Conversion.toV1Beta2(so.object))
            used.insert(.capi("ClusterClass", c.classRefNamespace, c.classRefName))
        }
        return classes.values.filter { !$0.admissionErrors.isEmpty && !used.contains($0.key) }.sorted { $0.key < $1.key }.map { ctx in
            let message = ctx.admissionErrors.invalidMessage(kind: "ClusterClass.cluster.x-k8s.io", name: ctx.key.name)
            let body = ctx.source?.object.body ?? ctx.model.object.body
            let at = ctx.admissionErrors.first.flatMap { ctx.source?.location(of: DiagnosticReporter.pointer($0.field, in: body)) } ?? ctx.source?.location
            return Diagnostic(.warning, at: at, object: ctx.displayName, message: message + " (no Cluster uses it yet)")
        }
    }

    /// The ClusterClass context for a key: from the fleet, else from the live state (not cached).
    func classContext(_ key: ObjectKey) -> ClassContext? {
        if let c = classes[key] { return c }
        guard let o = live.object(key) else { return nil }
        return ClassContext(model: ClusterClassModel(Conversion.toV1Beta2(o)), source: nil, fleet: fleet, live: live)
    }
}
