import CapstanModel

/// Cluster API constants the topology controller writes or reads (api/core/v1beta2 common_types.go).
enum CAPI {
    static let group = "cluster.x-k8s.io"
    static let version = "v1beta2"
    static let apiVersion = "cluster.x-k8s.io/v1beta2"
    static let apiVersionV1Beta1 = "cluster.x-k8s.io/v1beta1"

    static let clusterNameLabel = "cluster.x-k8s.io/cluster-name"
    static let topologyOwnedLabel = "topology.cluster.x-k8s.io/owned"
    static let deploymentNameLabel = "topology.cluster.x-k8s.io/deployment-name"
    static let poolNameLabel = "topology.cluster.x-k8s.io/pool-name"
    static let controlPlaneLabel = "cluster.x-k8s.io/control-plane"

    static let clonedFromNameAnnotation = "cluster.x-k8s.io/cloned-from-name"
    static let clonedFromGroupKindAnnotation = "cluster.x-k8s.io/cloned-from-groupkind"
    static let upgradeStepAnnotation = "topology.internal.cluster.x-k8s.io/upgrade-step"
    static let deferUpgradeAnnotation = "topology.cluster.x-k8s.io/defer-upgrade"
    static let holdUpgradeSequenceAnnotation = "topology.cluster.x-k8s.io/hold-upgrade-sequence"
    static let upgradeConcurrencyAnnotation = "topology.cluster.x-k8s.io/upgrade-concurrency"
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
    static let conversionDataAnnotation = "cluster.x-k8s.io/conversion-data"

    /// `DefaultNodeStartupTimeoutSeconds` (api/core/v1beta2/machinehealthcheck_types.go).
    static let defaultNodeStartupTimeoutSeconds: Int64 = 600
    static let templateSuffix = "Template"
}

/// A reference from a ClusterClass to a template (`templateRef{apiVersion, kind, name}`).
struct TemplateRef: Hashable, Sendable {
    var apiVersion: String
    var kind: String
    var name: String

    init(apiVersion: String, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }

    init?(_ value: Value?) {
        guard let value, value.mapValue != nil else { return nil }
        apiVersion = value["apiVersion"]?.stringValue ?? ""
        kind = value["kind"]?.stringValue ?? ""
        name = value["name"]?.stringValue ?? ""
        if apiVersion.isEmpty && kind.isEmpty && name.isEmpty { return nil }
    }

    var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
    var isDefined: Bool { !(apiVersion.isEmpty && kind.isEmpty && name.isEmpty) }
}

/// Labels and annotations as the API types carry them (`ObjectMeta{labels, annotations}`).
struct Metadata: Hashable, Sendable {
    var labels: [String: String]?
    var annotations: [String: String]?

    init(labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.labels = labels
        self.annotations = annotations
    }

    init(_ value: Value?) {
        labels = Metadata.stringMap(value?["labels"])
        annotations = Metadata.stringMap(value?["annotations"])
    }

    static func stringMap(_ v: Value?) -> [String: String]? {
        guard case .map(let m)? = v else { return nil }
        var out: [String: String] = [:]
        for e in m { out[e.key] = e.value.stringValue ?? JSON.serialize(e.value) }
        return out
    }
}

/// `util.MergeMap`: earlier maps win; an empty result is nil ("absent"), never `{}`.
func mergeMaps(_ maps: [String: String]?...) -> [String: String]? {
    var out: [String: String] = [:]
    for m in maps.reversed() {
        for (k, v) in m ?? [:] { out[k] = v }
    }
    return out.isEmpty ? nil : out
}

/// A string map as a `Value`, keys sorted (Go marshals maps sorted), or nil when absent.
func stringMapValue(_ m: [String: String]?) -> Value? {
    guard let m else { return nil }
    return .map(ObjectMap(uniqueEntries: m.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) }))
}

extension Value {
    /// True for values Go's `reflect.DeepEqual` against a zero struct would call empty: null, or a map
    /// whose members are all empty. Lists (even empty ones) and scalars count as set.
    var isZeroStruct: Bool {
        switch self {
        case .null: true
        case .map(let m): m.values.allSatisfy(\.isZeroStruct)
        default: false
        }
    }

    /// A map member that is present and not null.
    func member(_ key: String) -> Value? {
        guard let v = self[key], !v.isNull else { return nil }
        return v
    }
}
