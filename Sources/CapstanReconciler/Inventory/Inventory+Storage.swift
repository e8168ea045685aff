import CapstanCluster
import CapstanModel

extension Inventory {
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    /// Reads the fleet's inventory from the management cluster (an empty one when there is none yet).
    static func load(fleet: String, from cluster: any ManagementCluster) async throws -> Inventory {
        guard let o = try await cluster.get(configMap, namespace: Vocabulary.systemNamespace, name: objectName(fleet: fleet)) else {
            return Inventory(fleet: fleet)
        }
        guard let inventory = Inventory(decoding: o), inventory.fleet == fleet else {
            throw ClusterError.invalid(
                ResourceRef(group: "", kind: "ConfigMap", resource: "configmaps", namespace: Vocabulary.systemNamespace, name: objectName(fleet: fleet)),
                [FieldError(.invalid, field: "data", detail: "not a Capstan inventory of fleet \(fleet); move it away or choose another fleet name")])
        }
        return inventory
    }

    /// Writes the inventory (and, the first time, its namespace) with server-side apply.
    func store(in cluster: any ManagementCluster, namespaceKnown: Bool) async throws {
        if !namespaceKnown { try await Self.ensureNamespace(in: cluster) }
        _ = try await cluster.apply(encoded(), fieldManager: Vocabulary.inventoryManager, force: true)
    }

    static func ensureNamespace(in cluster: any ManagementCluster) async throws {
        var ns = KubeObject(apiVersion: "v1", kind: "Namespace", name: Vocabulary.systemNamespace)
        ns.labels = ["app.kubernetes.io/managed-by": "capstan"]
        _ = try await cluster.apply(ns, fieldManager: Vocabulary.inventoryManager, force: true)
    }
}
