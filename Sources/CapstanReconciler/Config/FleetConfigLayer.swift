/// One layer of configuration: what one source (the fleet's `capstan.yaml`, `--config FILE`, the environment,
/// flags) sets. Unset fields leave the layers below alone.
public struct FleetConfigLayer: Sendable, Hashable {
    public var fleetName: String?
    public var repository: String?
    public var ref: String?
    public var path: String?
    public var pollInterval: Duration?
    public var pollJitter: Double?
    public var statusTarget: FleetConfig.StatusTarget?
    public var statusInterval: Duration?
    public var stateDirectory: String?
    public var provisioning: [String: Duration] = [:]
    public var prune: Bool?
    public var approved: Set<ClusterID>?
    public var clusterBudget: Int?
    public var policyDirectories: [String]?
    /// A drift interval; `.zero` switches the check off.
    public var driftInterval: Duration?
    public var driftMode: FleetConfig.DriftMode?
    public var httpAddress: String?
    public var force: Bool?

    public init() {}

    /// Which settings a layer may set: every one, or only those that belong to the fleet (the fleet's own
    /// `capstan.yaml` cannot move the daemon's state directory, listen address or source).
    public enum Scope: Sendable {
        case everything
        case fleetOnly
    }

    /// Writes the fields this layer sets into `config`.
    public func apply(to config: inout FleetConfig, scope: Scope = .everything) {
        if let v = fleetName { config.fleetName = v }
        if let v = pollInterval { config.pollInterval = v }
        if let v = pollJitter { config.pollJitter = v }
        if let v = statusTarget { config.status.target = v }
        if let v = statusInterval { config.status.interval = v }
        if let v = prune { config.deletion.prune = v }
        if let v = approved { config.deletion.approved = v }
        if let v = clusterBudget { config.deletion.clusterBudget = v }
        if let v = policyDirectories { config.policyDirectories = v }
        if let v = driftInterval { config.drift.interval = v == .zero ? nil : v }
        if let v = driftMode { config.drift.mode = v }
        if let v = force { config.force = v }
        guard case .everything = scope else { return }
        if let v = repository { config.source.repository = v }
        if let v = ref { config.source.ref = v }
        if let v = path { config.source.path = v }
        if let v = stateDirectory { config.management.stateDirectory = v }
        for (k, v) in provisioning { config.management.provisioning[k] = v }
        if let v = httpAddress { config.httpAddress = v }
    }

    /// Names of bootstrap settings this layer sets (those a fleet's own `capstan.yaml` cannot change).
    public var bootstrapSettings: [String] {
        var out: [String] = []
        if repository != nil { out.append("spec.source.repository") }
        if ref != nil { out.append("spec.source.ref") }
        if path != nil { out.append("spec.source.path") }
        if stateDirectory != nil { out.append("spec.management.stateDir") }
        if !provisioning.isEmpty { out.append("spec.management.provisioning") }
        if httpAddress != nil { out.append("spec.http.address") }
        return out
    }

    /// Resolves layers over the defaults, lowest first.
    public static func resolve(_ layers: [(FleetConfigLayer, Scope)]) -> FleetConfig {
        var config = FleetConfig()
        for (layer, scope) in layers { layer.apply(to: &config, scope: scope) }
        return config
    }
}
