import CapstanCluster
import CapstanModel

/// The `capstan get` table: NAME, a few kind-specific columns (modelled on the CAPI CRDs' printer
/// columns), AGE; NAMESPACE first across namespaces. Columns are padded like kubectl's tab writer.
struct ObjectTable {
    let kind: KindInfo
    let showNamespace: Bool
    let now: Timestamp

    /// A column: header and how to read it.
    struct Column {
        var header: String
        var value: (KubeObject) -> String
    }

    static func field(_ path: String...) -> (KubeObject) -> String {
        { obj in
            for p in path {
                if let v = obj.body[dotted: p] { return v.stringValue ?? JSON.serialize(v) }
            }
            return ""
        }
    }

    var columns: [Column] {
        var cols: [Column] = []
        if showNamespace { cols.append(Column(header: "NAMESPACE") { $0.namespace }) }
        cols.append(Column(header: "NAME") { $0.name })
        let cluster = Column(header: "CLUSTER", value: Self.field("spec.clusterName"))
        let age = Column(header: "AGE") { obj in
            guard let created = obj.body[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else { return "<unknown>" }
            return Self.age(seconds: now.seconds - created.seconds)
        }
        switch (kind.group, kind.kind) {
        case ("cluster.x-k8s.io", "Cluster"):
            cols += [Column(header: "CLUSTERCLASS", value: Self.field("spec.topology.classRef.name", "spec.topology.class")),
                     Column(header: "PHASE", value: Self.field("status.phase")), age,
                     Column(header: "VERSION", value: Self.field("spec.topology.version"))]
        case ("cluster.x-k8s.io", "MachineDeployment"), ("cluster.x-k8s.io", "MachineSet"):
            cols += [cluster, Column(header: "REPLICAS", value: Self.field("status.replicas")),
                     Column(header: "READY", value: Self.field("status.readyReplicas")), age,
                     Column(header: "VERSION", value: Self.field("spec.template.spec.version"))]
        case ("cluster.x-k8s.io", "Machine"):
            cols += [cluster, Column(header: "NODENAME", value: Self.field("status.nodeRef.name")),
                     Column(header: "PHASE", value: Self.field("status.phase")), age,
                     Column(header: "VERSION", value: Self.field("spec.version"))]
        case ("controlplane.cluster.x-k8s.io", "KubeadmControlPlane"):
            cols += [Column(header: "CLUSTER") { $0.labels["cluster.x-k8s.io/cluster-name"] ?? "" },
                     Column(header: "REPLICAS", value: Self.field("status.replicas")),
                     Column(header: "READY", value: Self.field("status.readyReplicas")), age,
                     Column(header: "VERSION", value: Self.field("spec.version"))]
        default:
            cols.append(age)
        }
        return cols
    }

    func render(_ items: [KubeObject]) -> String {
        let cols = columns
        let rows = [cols.map(\.header)] + items.map { obj in cols.map { $0.value(obj) } }
        let widths = cols.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }

    /// kubectl's human duration (`45s`, `3m20s`, `5h`, `3d4h`, `2y`).
    static func age(seconds s: Int64) -> String {
        if s < -1 { return "<invalid>" }
        if s < 0 { return "0s" }
        if s < 120 { return "\(s)s" }
        let m = s / 60, h = s / 3600, d = h / 24
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(d)d" : "\(d)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(d)d" }
        if h < 24 * 365 * 8 { return d % 365 == 0 ? "\(d / 365)y" : "\(d / 365)y\(d % 365)d" }
        return "\(d / 365)y"
    }
}
