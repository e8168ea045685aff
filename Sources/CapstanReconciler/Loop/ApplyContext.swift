import CapstanCluster
import CapstanModel
import CapstanTopology

/// What applying needs, shared by the concurrent Cluster pipelines of a run.
struct ApplyContext: Sendable {
    let cluster: any ManagementCluster
    let render: RenderContext
    /// False when the revision has any error: nothing is deleted then.
    let allowDeletes: Bool
    let revision: String
    let clock: any WallClock
    let writes: WriteCounter
    let afterWrite: (@Sendable (Int) -> Void)?

    /// Server-side applies one object; returns what is stored.
    func write(_ p: PlannedObject) async throws -> KubeObject {
        let stored = try await cluster.apply(p.object, fieldManager: p.manager, force: p.force)
        counted()
        return stored
    }

    /// Deletes one object (gone already is fine).
    func delete(apiVersion: String, key: ObjectKey) async throws {
        do {
            try await cluster.delete(GroupVersionKind(apiVersion: apiVersion, kind: key.kind), namespace: key.namespace, name: key.name)
            counted()
        } catch ClusterError.notFound {
        }
    }

    func counted() {
        let n = writes.increment()
        afterWrite?(n)
    }

    /// The result of applying (or not) one planned object.
    func result(_ p: PlannedObject, _ change: ObjectChange, cluster: ObjectKey?) -> ObjectResult {
        ObjectResult(key: p.key, apiVersion: p.object.apiVersion, change: change, cluster: cluster, location: p.location)
    }

    /// Applies a Git object as planned: writes creates and updates; a denied object or one the diff found
    /// in conflict is held with the reason.
    func applyGit(_ p: PlannedObject, denied: [String]?) async throws -> ObjectResult {
        if let denied { return result(p, .held(reason: "denied: " + denied.joined(separator: "; ")), cluster: nil) }
        if let error = p.error { return result(p, .held(reason: "error: \(error)"), cluster: nil) }
        let change = p.change ?? .update
        guard change.wrote else { return result(p, change, cluster: nil) }
        do {
            _ = try await write(p)
        } catch let e as ClusterError where !ObjectDiff.isTransient(e) {
            return result(p, .held(reason: "error: \(e)"), cluster: nil)
        }
        return result(p, change, cluster: nil)
    }
}
