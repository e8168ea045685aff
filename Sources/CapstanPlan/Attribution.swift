import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanTopology

/// Which Git changes a rendered object's change follows from: the Cluster's topology fields that feed its
/// role, the ClusterClass section that defines it, and the template it was cloned from. Variables and
/// patches can reach any object, so their changes are cited on every changed object.
struct Attribution {
    let clusterKey: ObjectKey
    let clusterCauses: [Cause]
    let classCauses: [Cause]
    /// Causes per template (by key), for objects cloned from them.
    let templateCauses: [ObjectKey: [Cause]]
    /// MachineDeployment / MachinePool topology name → its class.
    let workerClasses: [String: String]

    /// The causes for one changed object with `role` (nil for objects the renderer did not produce).
    func causes(for object: KubeObject, role: ObjectRole?) -> [Cause] {
        guard let role else { return clusterCauses }
        var out = clusterCauses.filter { Self.clusterField($0.change.path, reaches: role) }
        out += classCauses.filter { Self.classField($0.change.path, reaches: role, workerClasses: workerClasses) }
        if let name = object.annotations["cluster.x-k8s.io/cloned-from-name"], let gk = object.annotations["cluster.x-k8s.io/cloned-from-groupkind"] {
            let parts = gk.split(separator: ".", maxSplits: 1).map(String.init)
            let key = ObjectKey(group: parts.count > 1 ? parts[1] : "", kind: parts[0], namespace: "", name: name)
            for (k, causes) in templateCauses where k.group == key.group && k.kind == key.kind && k.name == key.name { out += causes }
        }
        return out
    }

    /// Whether a Cluster field feeds objects of `role`.
    static func clusterField(_ path: FieldPath, reaches role: ObjectRole) -> Bool {
        let f = path.leadingFields
        if role == .cluster { return true }
        guard f.count >= 3, f[0] == "spec", f[1] == "topology" else { return true }
        switch f[2] {
        case "workers":
            guard f.count >= 4, path.elements.count >= 5, case .key(let keys) = path.elements[4] else { return true }
            let name = keys.first { $0.name == "name" }?.value.stringValue
            return name == nil || role.topologyName == name
        case "controlPlane":
            return [.controlPlane, .controlPlaneInfrastructureMachineTemplate, .controlPlaneMachineHealthCheck].contains(role)
        case "version":
            switch role {
            case .controlPlane, .machineDeployment, .machinePool: return true
            default: return false
            }
        default:
            return true
        }
    }

    /// Whether a ClusterClass field feeds objects of `role`.
    static func classField(_ path: FieldPath, reaches role: ObjectRole, workerClasses: [String: String]) -> Bool {
        let f = path.leadingFields
        guard f.count >= 2, f[0] == "spec" else { return true }
        switch f[1] {
        case "controlPlane":
            return [.controlPlane, .controlPlaneInfrastructureMachineTemplate, .controlPlaneMachineHealthCheck].contains(role)
        case "infrastructure":
            return role == .infrastructureCluster
        case "workers":
            guard let t = role.topologyName else { return false }
            guard path.elements.count >= 4, case .key(let keys) = path.elements[3], let cls = keys.first(where: { $0.name == "class" })?.value.stringValue else { return true }
            return workerClasses[t] == cls
        default:
            return true
        }
    }
}

/// Reading a Cluster's and a ClusterClass's references from their Git bodies (v1beta1 or v1beta2 spelling).
enum TopologyRefs {
    /// The ClusterClass a Cluster uses.
    static func classKey(of cluster: KubeObject) -> ObjectKey? {
        let t = cluster.body[path: ["spec", "topology"]]
        let name = t?[path: ["classRef", "name"]]?.stringValue ?? t?["class"]?.stringValue
        guard let name, !name.isEmpty else { return nil }
        let ns = t?[path: ["classRef", "namespace"]]?.stringValue ?? t?["classNamespace"]?.stringValue
        return ObjectKey(group: "cluster.x-k8s.io", kind: "ClusterClass", namespace: (ns?.isEmpty == false ? ns! : cluster.namespace), name: name)
    }

    /// Templates a ClusterClass references (`templateRef` in v1beta2, `ref` in v1beta1), in its namespace.
    static func templates(of clusterClass: KubeObject) -> [ObjectKey] {
        var out: [ObjectKey] = []
        func walk(_ v: Value) {
            switch v {
            case .map(let m):
                for e in m {
                    if e.key == "templateRef" || e.key == "ref", case .map(let r) = e.value, let kind = r["kind"]?.stringValue, let name = r["name"]?.stringValue {
                        let group = GroupVersionKind(apiVersion: r["apiVersion"]?.stringValue ?? "", kind: kind).group
                        out.append(ObjectKey(group: group, kind: kind, namespace: r["namespace"]?.stringValue ?? clusterClass.namespace, name: name))
                    } else {
                        walk(e.value)
                    }
                }
            case .list(let l):
                l.forEach(walk)
            default:
                break
            }
        }
        if let spec = clusterClass.spec { walk(spec) }
        return out
    }

    /// Worker topology name → class (`spec.topology.workers.machineDeployments[]` and `machinePools[]`).
    static func workerClasses(of cluster: KubeObject) -> [String: String] {
        var out: [String: String] = [:]
        for kind in ["machineDeployments", "machinePools"] {
            for item in cluster.body[path: ["spec", "topology", "workers", kind]]?.listValue ?? [] {
                if let n = item["name"]?.stringValue, let c = item["class"]?.stringValue { out[n] = c }
            }
        }
        return out
    }
}
