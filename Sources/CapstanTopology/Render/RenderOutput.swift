public import CapstanModel
import CapstanYAML

/// The `capstan render` output of a fleet: every desired object, in a deterministic order — objects that
/// pass through first (Namespaces, then CRDs, then the rest by namespace/kind/name), then each Cluster's
/// objects (Clusters by namespace/name) in apply order, then kind and name. Failed Clusters render nothing.
public enum RenderOutput {
    /// The objects in output order.
    public static func objects(_ r: FleetRender) -> [KubeObject] {
        func rank(_ o: KubeObject) -> Int {
            switch o.kind {
            case "Namespace": 0
            case "CustomResourceDefinition": 1
            default: 2
            }
        }
        let passthrough = r.passthrough.map(\.object).sorted { a, b in
            (rank(a), a.namespace, a.kind, a.apiVersion, a.name) < (rank(b), b.namespace, b.kind, b.apiVersion, b.name)
        }
        let rendered = r.clusters.sorted { $0.cluster < $1.cluster }.filter { !$0.failed }.flatMap { $0.objects.map(\.object) }
        return passthrough + rendered
    }

    /// A multi-document YAML stream (`---` between documents), like `kustomize build`.
    public static func yaml(_ r: FleetRender) -> String {
        YAML.emitStream(objects(r).map(\.body))
    }

    /// A `v1` `List` holding every object, as indented JSON.
    public static func jsonList(_ r: FleetRender) -> String {
        let list: Value = .map(["apiVersion": "v1", "kind": "List", "items": .list(objects(r).map(\.body))])
        return JSON.serializePretty(list) + "\n"
    }
}
