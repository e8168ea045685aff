import CapstanModel

/// What the live state holds for one Cluster's topology (core/reconcilers/topology/cluster/current_state.go).
struct CurrentState: Sendable {
    /// A live MachineDeployment or MachinePool with the objects it references.
    struct Worker: Sendable {
        var object: KubeObject
        var bootstrap: KubeObject?
        var infrastructure: KubeObject?
        var healthCheck: KubeObject?
        var version: String { object.body[path: ["spec", "template", "spec", "version"]]?.stringValue ?? "" }
    }

    var cluster: KubeObject?
    var infrastructureCluster: KubeObject?
    var controlPlane: KubeObject?
    var controlPlaneMachineTemplate: KubeObject?
    var controlPlaneHealthCheck: KubeObject?
    var machineDeployments: [String: Worker] = [:]
    var machinePools: [String: Worker] = [:]
    /// Live MachineHealthChecks (for deletions when a health check is switched off).

    /// Reads the current state; errors match upstream's (missing label, duplicate, not topology owned).
    static func read(cluster: ClusterModel, live liveCluster: KubeObject?, contract: ControlPlaneContract, from live: any LiveState) throws(TopologyError) -> CurrentState {
        var s = CurrentState(cluster: liveCluster)
        guard let lc = liveCluster else { return s }
        let ns = cluster.namespace
        let clusterRef = "Cluster \(ns)/\(cluster.name)"
        func ref(_ path: [String]) -> (group: String, kind: String, name: String)? {
            guard let r = lc.body[path: path], let kind = r["kind"]?.stringValue, let name = r["name"]?.stringValue, !name.isEmpty else { return nil }
            let group = r["apiGroup"]?.stringValue ?? GroupVersionKind(apiVersion: r["apiVersion"]?.stringValue ?? "", kind: kind).group
            return (group, kind, name)
        }
        func get(_ r: (group: String, kind: String, name: String), from holder: String) throws(TopologyError) -> KubeObject {
            guard let o = live.object(ObjectKey(group: r.group, kind: r.kind, namespace: ns, name: r.name)) else {
                throw TopologyError("failed to read \(r.kind) \(ns)/\(r.name): \(r.kind) \(GoQuote.quote(r.name)) not found in the live state")
            }
            guard o.labels[CAPI.topologyOwnedLabel] != nil else {
                throw TopologyError("\(r.kind) \(ns)/\(r.name) referenced from \(holder) is not topology owned")
            }
            return o
        }
        if let r = ref(["spec", "infrastructureRef"]) { s.infrastructureCluster = try get(r, from: clusterRef) }
        if let r = ref(["spec", "controlPlaneRef"]) {
            let cp = try get(r, from: clusterRef)
            s.controlPlane = cp
            if let mr = contract.infrastructureRef(in: cp), !mr.name.isEmpty {
                s.controlPlaneMachineTemplate = try get(mr, from: "\(cp.kind) \(ns)/\(cp.name)")
            }
            s.controlPlaneHealthCheck = live.object(.capi("MachineHealthCheck", ns, cp.name))
        }
        s.machineDeployments = try workers("MachineDeployment", CAPI.deploymentNameLabel, cluster: cluster, live: live)
        s.machinePools = try workers("MachinePool", CAPI.poolNameLabel, cluster: cluster, live: live)
        return s
    }

    static func workers(_ kind: String, _ label: String, cluster: ClusterModel, live: any LiveState) throws(TopologyError) -> [String: Worker] {
        let ns = cluster.namespace
        let selector = LabelSelector(matchLabels: [CAPI.clusterNameLabel: cluster.name, CAPI.topologyOwnedLabel: ""])
        var out: [String: Worker] = [:]
        for o in live.objects(group: CAPI.group, kind: kind, namespace: ns, matching: selector) {
            guard let topo = o.labels[label], !topo.isEmpty else {
                throw TopologyError("failed to find label \(label) in \(kind) \(ns)/\(o.name)")
            }
            if out[topo] != nil { throw TopologyError("duplicate \(kind) \(ns)/\(o.name) found for label \(label): \(topo)") }
            var w = Worker(object: o)
            if !o.isDeleting {
                let what = kind == "MachineDeployment" ? ("Bootstrap Config", "InfrastructureMachineTemplate") : ("Bootstrap Config", "InfrastructureMachinePool")
                w.bootstrap = try referenced(o, ["spec", "template", "spec", "bootstrap", "configRef"], what.0, kind, ns, live)
                w.infrastructure = try referenced(o, ["spec", "template", "spec", "infrastructureRef"], what.1, kind, ns, live)
            }
            if kind == "MachineDeployment" { w.healthCheck = live.object(.capi("MachineHealthCheck", ns, o.name)) }
            out[topo] = w
        }
        return out
    }

    static func referenced(_ o: KubeObject, _ path: [String], _ what: String, _ kind: String, _ ns: String, _ live: any LiveState) throws(TopologyError) -> KubeObject {
        guard let r = o.body[path: path], let refKind = r["kind"]?.stringValue, let name = r["name"]?.stringValue, !name.isEmpty else {
            throw TopologyError("\(kind) \(ns)/\(o.name) does not have a reference to a \(what)")
        }
        let group = r["apiGroup"]?.stringValue ?? GroupVersionKind(apiVersion: r["apiVersion"]?.stringValue ?? "", kind: refKind).group
        let side = path.contains("bootstrap") ? "Bootstrap" : "Infrastructure"
        guard let t = live.object(ObjectKey(group: group, kind: refKind, namespace: ns, name: name)) else {
            throw TopologyError("\(kind) \(ns)/\(o.name) \(side) reference could not be retrieved: \(refKind) \(GoQuote.quote(name)) not found in the live state")
        }
        guard t.labels[CAPI.topologyOwnedLabel] != nil else {
            throw TopologyError("\(refKind) \(ns)/\(name) referenced from \(kind) \(ns)/\(o.name) is not topology owned")
        }
        return t
    }

    /// Names of live MachineDeployments whose Machines do not all run the MD version
    /// (internal/topology/check/upgrade.go `IsMachineDeploymentUpgrading`).
    func upgradingMachineDeployments(_ live: any LiveState) throws(TopologyError) -> [String] {
        var names: [String] = []
        for (_, md) in machineDeployments.sorted(by: { $0.key < $1.key }) {
            let version = md.version
            if version.isEmpty { continue }
            let selector = LabelSelector(matchLabels: Metadata.stringMap(md.object.body[path: ["spec", "selector", "matchLabels"]]) ?? [:])
            for m in live.objects(group: CAPI.group, kind: "Machine", namespace: md.object.namespace, matching: selector) {
                let mv = m.body[path: ["spec", "version"]]?.stringValue ?? ""
                if mv.isEmpty {
                    throw TopologyError("failed to check if MachineDeployment \(md.object.name) is upgrading: Machine \(m.name) has no version")
                }
                let kubelet = m.body[path: ["status", "nodeInfo", "kubeletVersion"]]?.stringValue ?? ""
                if mv != version || (!kubelet.isEmpty && kubelet != version) {
                    names.append(md.object.name)
                    break
                }
            }
        }
        return names
    }
}
