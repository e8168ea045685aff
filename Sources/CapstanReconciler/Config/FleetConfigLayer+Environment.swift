extension FleetConfigLayer {
    /// The environment variables a layer reads, with the setting each one sets (docs/reconciler.md).
    public static let environmentVariables: [(name: String, setting: String)] = [
        ("CAPSTAN_REPO", "spec.source.repository"),
        ("CAPSTAN_REF", "spec.source.ref"),
        ("CAPSTAN_PATH", "spec.source.path"),
        ("CAPSTAN_STATE_DIR", "spec.management.stateDir"),
        ("CAPSTAN_POLL_INTERVAL", "spec.pollInterval"),
        ("CAPSTAN_STATUS_BRANCH", "spec.status.branch"),
        ("CAPSTAN_STATUS_PATH", "spec.status.path"),
        ("CAPSTAN_STATUS_INTERVAL", "spec.status.interval"),
        ("CAPSTAN_CLUSTER_BUDGET", "spec.deletion.clusterBudget"),
        ("CAPSTAN_DRIFT_INTERVAL", "spec.drift.interval"),
        ("CAPSTAN_DRIFT_MODE", "spec.drift.mode"),
        ("CAPSTAN_HTTP_ADDRESS", "spec.http.address"),
    ]

    /// The layer the `CAPSTAN_*` environment variables describe, and a message per unusable value (naming the
    /// variable). Empty variables are ignored.
    public static func fromEnvironment(_ environment: [String: String]) -> (layer: FleetConfigLayer, problems: [String]) {
        var layer = FleetConfigLayer()
        var problems: [String] = []
        func text(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        func duration(_ name: String) -> Duration? {
            guard let v = text(name) else { return nil }
            guard let d = DurationText.parse(v) else {
                problems.append("\(name)=\(v) is not a duration (write e.g. 30s, 5m, 1h30m, 500ms)")
                return nil
            }
            return d
        }
        layer.repository = text("CAPSTAN_REPO")
        layer.ref = text("CAPSTAN_REF")
        layer.path = text("CAPSTAN_PATH")
        layer.stateDirectory = text("CAPSTAN_STATE_DIR")
        layer.pollInterval = duration("CAPSTAN_POLL_INTERVAL")
        switch (text("CAPSTAN_STATUS_BRANCH"), text("CAPSTAN_STATUS_PATH")) {
        case (let b?, nil): layer.statusTarget = .branch(b)
        case (nil, let p?): layer.statusTarget = .path(p)
        case (.some, .some): problems.append("set CAPSTAN_STATUS_BRANCH or CAPSTAN_STATUS_PATH, not both")
        case (nil, nil): break
        }
        layer.statusInterval = duration("CAPSTAN_STATUS_INTERVAL")
        if let v = text("CAPSTAN_CLUSTER_BUDGET") {
            if let n = Int(v), n >= 0 { layer.clusterBudget = n } else { problems.append("CAPSTAN_CLUSTER_BUDGET=\(v) is not a whole number of Clusters, 0 or more") }
        }
        layer.driftInterval = duration("CAPSTAN_DRIFT_INTERVAL")
        if let v = text("CAPSTAN_DRIFT_MODE") {
            if let mode = FleetConfig.DriftMode(rawValue: v) { layer.driftMode = mode } else { problems.append("CAPSTAN_DRIFT_MODE=\(v): the drift mode is report or correct") }
        }
        layer.httpAddress = text("CAPSTAN_HTTP_ADDRESS")
        return (layer, problems)
    }
}
