public import CapstanCluster
public import CapstanModel

/// The objects `capstan status` shows, read through the `ManagementCluster` port.
public struct FleetSnapshot: Sendable {
    public var clusters: [KubeObject] = []
    /// Infrastructure clusters and control planes, by key.
    public var referenced: [ObjectKey: KubeObject] = [:]
    public var machineDeployments: [KubeObject] = []
    public var machineSets: [KubeObject] = []
    public var machinePools: [KubeObject] = []
    public var machines: [KubeObject] = []

    public init() {}

    /// Reads the fleet (or one cluster, when `name` is given).
    public static func read(from cluster: any ManagementCluster, namespace: String? = nil, name: String? = nil) async throws -> FleetSnapshot {
        var s = FleetSnapshot()
        s.clusters = try await cluster.list(CAPI.Kind.cluster, namespace: namespace, selector: nil).items.filter { name == nil || $0.name == name }
        guard !s.clusters.isEmpty else { return s }
        let scope = name == nil ? namespace : s.clusters[0].namespace
        func members(_ gvk: GroupVersionKind) async throws -> [KubeObject] {
            let wanted = Set(s.clusters.map { ClusterID(namespace: $0.namespace, name: $0.name) })
            return try await cluster.list(gvk, namespace: scope, selector: nil).items.filter { $0.clusterID.map(wanted.contains) ?? false }
        }
        s.machineDeployments = try await members(CAPI.Kind.machineDeployment)
        s.machineSets = try await members(CAPI.Kind.machineSet)
        s.machinePools = try await members(CAPI.Kind.machinePool)
        s.machines = try await members(CAPI.Kind.machine)
        for c in s.clusters {
            for path in [["spec", "infrastructureRef"], ["spec", "controlPlaneRef"]] {
                guard let ref = ContractRef(c.body[path: path]) else { continue }
                if let obj = try await cluster.get(ref.gvk, namespace: c.namespace, name: ref.name) { s.referenced[obj.key] = obj }
            }
        }
        return s
    }
}

/// Renders the fleet as trees, like `clusterctl describe cluster`: Cluster → infrastructure → control plane →
/// machines; workers → MachineDeployments → MachineSets → machines; MachinePools. Each row shows version,
/// ready/desired, available and up-to-date counts and the phase or availability; a problem (the object's
/// Available or Ready condition not True) is explained in the last column.
public enum FleetStatusReport {
    public static func render(_ s: FleetSnapshot) -> String {
        var blocks: [String] = []
        for c in s.clusters.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            blocks.append(table(rows(for: c, s)))
        }
        let available = s.clusters.filter { Conditions.isTrue($0, ConditionType.available) }.count
        let summary = "\(s.clusters.count) cluster\(s.clusters.count == 1 ? "" : "s"): \(available) available, \(s.clusters.count - available) not available"
        return (blocks + [summary]).joined(separator: "\n") + "\n"
    }

    struct Row {
        var tree: String
        var name: String
        var version = ""
        var ready = ""
        var available = ""
        var upToDate = ""
        var status = ""
        var message = ""
    }

    /// A row and the rows nested under it.
    struct Node {
        var row: Row
        var children: [Node] = []
    }

    static func rows(for cluster: KubeObject, _ s: FleetSnapshot) -> [Row] {
        let id = ClusterID(namespace: cluster.namespace, name: cluster.name)
        let machines = s.machines.filter { $0.clusterID == id }.sorted { $0.name < $1.name }
        let cpStatus = cluster.body[path: ["status", "controlPlane"]], workers = cluster.body[path: ["status", "workers"]]
        let desired = (cpStatus?["desiredReplicas"]?.intValue ?? 0) + (workers?["desiredReplicas"]?.intValue ?? 0)
        let ready = (cpStatus?["readyReplicas"]?.intValue ?? 0) + (workers?["readyReplicas"]?.intValue ?? 0)
        var root = Node(row: Row(tree: "", name: "Cluster/\(cluster.name)"))
        root.row.version = cluster.string("spec", "topology", "version") ?? cpStatus?["versions"]?[0]?["version"]?.stringValue ?? ""
        root.row.ready = desired > 0 ? "\(ready)/\(desired)" : ""
        root.row.available = conditionStatus(cluster, ConditionType.available)
        root.row.status = cluster.isDeleting ? "Deleting" : (cluster.string("status", "phase") ?? "")
        root.row.message = problem(cluster, ConditionType.available)

        if let ref = ContractRef(cluster.body[path: ["spec", "infrastructureRef"]]) {
            let infra = s.referenced[ref.key(namespace: cluster.namespace)]
            var r = Row(tree: "", name: "ClusterInfrastructure - \(ref.kind)/\(ref.name)")
            r.ready = infra.map { conditionStatus($0, ConditionType.ready) } ?? ""
            r.status = infra.map { $0.bool("status", "initialization", "provisioned") == true ? "Provisioned" : "Provisioning" } ?? "Missing"
            r.message = infra.map { problem($0, ConditionType.ready) } ?? "\(ref.kind) not found"
            root.children.append(Node(row: r))
        }
        let cpMachines = machines.filter(MachineState.isControlPlane)
        if let ref = ContractRef(cluster.body[path: ["spec", "controlPlaneRef"]]) {
            var r = Row(tree: "", name: "ControlPlane - \(ref.kind)/\(ref.name)")
            if let cp = s.referenced[ref.key(namespace: cluster.namespace)] { fill(&r, cp, desired: cp.int("spec", "replicas")) } else { r.message = "\(ref.kind) not found" }
            root.children.append(Node(row: r, children: cpMachines.map { Node(row: machineRow($0)) }))
        } else if !cpMachines.isEmpty {
            root.children.append(Node(row: Row(tree: "", name: "ControlPlane"), children: cpMachines.map { Node(row: machineRow($0)) }))
        }
        var workerNodes: [Node] = []
        for md in s.machineDeployments.filter({ $0.clusterID == id }).sorted(by: { $0.name < $1.name }) {
            var node = Node(row: Row(tree: "", name: "MachineDeployment/\(md.name)"))
            fill(&node.row, md, desired: md.int("spec", "replicas"))
            for ms in s.machineSets.filter({ $0.controllerRef?.uid == md.uid }).sorted(by: { $0.name < $1.name }) {
                var set = Node(row: Row(tree: "", name: "MachineSet/\(ms.name)"))
                fill(&set.row, ms, desired: ms.int("spec", "replicas"))
                set.row.version = ms.string("spec", "template", "spec", "version") ?? ""
                set.row.status = "revision \(ms.annotations[CAPI.Annotation.revision] ?? "?")"
                set.children = machines.filter { $0.controllerRef?.uid == ms.uid }.map { Node(row: machineRow($0)) }
                node.children.append(set)
            }
            workerNodes.append(node)
        }
        for mp in s.machinePools.filter({ $0.clusterID == id }).sorted(by: { $0.name < $1.name }) {
            var node = Node(row: Row(tree: "", name: "MachinePool/\(mp.name)"))
            fill(&node.row, mp, desired: mp.int("spec", "replicas"))
            node.row.version = mp.string("spec", "template", "spec", "version") ?? ""
            node.row.status = mp.string("status", "phase") ?? node.row.status
            workerNodes.append(node)
        }
        workerNodes += machines.filter { !MachineState.isControlPlane($0) && $0.controllerRef == nil }.map { Node(row: machineRow($0)) }
        if !workerNodes.isEmpty { root.children.append(Node(row: Row(tree: "", name: "Workers"), children: workerNodes)) }
        return flatten(root, prefix: "", connector: "")
    }

    /// Depth-first rows with `├─`/`└─` connectors and `│ ` continuation lines.
    static func flatten(_ node: Node, prefix: String, connector: String) -> [Row] {
        var row = node.row
        row.tree = prefix + connector
        var out = [row]
        let childPrefix = prefix + (connector == "├─" ? "│ " : (connector.isEmpty ? "" : "  "))
        for (i, child) in node.children.enumerated() {
            out += flatten(child, prefix: childPrefix, connector: i == node.children.count - 1 ? "└─" : "├─")
        }
        return out
    }

    static func machineRow(_ m: KubeObject) -> Row {
        var r = Row(tree: "", name: "Machine/\(m.name)")
        r.version = m.string("spec", "version") ?? ""
        r.ready = conditionStatus(m, ConditionType.ready)
        r.available = conditionStatus(m, ConditionType.available)
        r.upToDate = conditionStatus(m, ConditionType.upToDate)
        r.status = m.isDeleting ? "Deleting" : (m.string("status", "phase") ?? "")
        r.message = problem(m, ConditionType.ready)
        if r.message.isEmpty, Conditions.isTrue(m, ConditionType.updating) { r.message = "Updating: \(Conditions.get(m, ConditionType.updating)?.message ?? "")" }
        return r
    }

    /// Replica columns from `status` counters and the Available condition.
    static func fill(_ r: inout Row, _ obj: KubeObject, desired: Int64?) {
        r.version = obj.string("status", "version") ?? obj.string("spec", "version") ?? obj.string("spec", "template", "spec", "version") ?? ""
        let ready = obj.int("status", "readyReplicas") ?? 0
        r.ready = "\(ready)/\(desired ?? obj.int("status", "replicas") ?? 0)"
        r.available = String(obj.int("status", "availableReplicas") ?? 0)
        r.upToDate = String(obj.int("status", "upToDateReplicas") ?? 0)
        r.status = obj.isDeleting ? "Deleting" : (Conditions.get(obj, ConditionType.available).map { $0.isTrue ? "Available" : "NotAvailable" } ?? "")
        r.message = problem(obj, ConditionType.available)
        if r.message.isEmpty, let rolling = Conditions.get(obj, ConditionType.rollingOut), rolling.isTrue { r.message = "RollingOut: " + firstLine(rolling.message) }
    }

    static func conditionStatus(_ obj: KubeObject, _ type: String) -> String { Conditions.get(obj, type)?.status.rawValue ?? "" }

    /// `Reason: first message line` of a condition that is not True.
    static func problem(_ obj: KubeObject, _ type: String) -> String {
        guard let c = Conditions.get(obj, type), !c.isTrue else { return "" }
        let m = firstLine(c.message)
        return m.isEmpty ? c.reason : "\(c.reason): \(m)"
    }

    static func firstLine(_ s: String) -> String {
        let line = s.split(separator: "\n").first.map(String.init) ?? ""
        return line.hasPrefix("* ") ? String(line.dropFirst(2)) : line
    }

    static func table(_ rows: [Row]) -> String {
        let header = Row(tree: "", name: "NAME", version: "VERSION", ready: "READY", available: "AVAILABLE", upToDate: "UP-TO-DATE", status: "STATUS", message: "MESSAGE")
        let all = [header] + rows
        func width(_ f: (Row) -> String) -> Int { all.map { f($0).count }.max() ?? 0 }
        let w = [width { $0.tree + $0.name }, width(\.version), width(\.ready), width(\.available), width(\.upToDate), width(\.status)]
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        return all.map { r in
            let cells = [pad(r.tree + r.name, w[0]), pad(r.version, w[1]), pad(r.ready, w[2]), pad(r.available, w[3]), pad(r.upToDate, w[4]), pad(r.status, w[5]), r.message]
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
