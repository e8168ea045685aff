public import CapstanFleet
public import CapstanModel
import CapstanYAML

extension FleetConfigLayer {
    /// The apiVersion of `capstan.yaml`.
    public static let apiVersion = "capstan.io/v1alpha1"

    /// Reads a `FleetConfig` object. Every problem is a diagnostic at the field's file:line (unknown fields,
    /// wrong types, bad durations, a secret written into the file); the layer is nil when there is an error.
    public static func parse(_ object: FleetObject) -> (layer: FleetConfigLayer?, diagnostics: [Diagnostic]) {
        var reader = ConfigReader(object: object)
        let layer = reader.read()
        return (reader.diagnostics.contains { $0.severity == .error } ? nil : layer, reader.diagnostics)
    }

    /// The fleet's configuration from a snapshot: the `FleetConfig` in `capstan.yaml` at the fleet root (nil
    /// when there is none). A FleetConfig anywhere else, or more than one, is an error.
    public static func find(in snapshot: FleetSnapshot) -> (object: FleetObject?, diagnostics: [Diagnostic]) {
        let configs = snapshot.objects.filter { $0.key.group == Vocabulary.configGroup }
        var diagnostics: [Diagnostic] = []
        var found: FleetObject?
        for o in configs {
            if o.key.kind != Vocabulary.fleetConfigKind {
                diagnostics.append(o.diagnostic("unknown kind \(o.key.kind) in group \(Vocabulary.configGroup) (Capstan knows only \(Vocabulary.fleetConfigKind))", at: ["kind"]))
            } else if o.path != Vocabulary.fleetConfigFile {
                diagnostics.append(o.diagnostic("a FleetConfig is read only from \(Vocabulary.fleetConfigFile) at the fleet root; move it there"))
            } else if let first = found {
                diagnostics.append(o.diagnostic("a second FleetConfig (the first is at \(first.location)); keep one"))
            } else {
                found = o
            }
        }
        return (found, diagnostics)
    }
}

/// Walks a FleetConfig object field by field, collecting located diagnostics.
struct ConfigReader {
    let object: FleetObject
    var diagnostics: [Diagnostic] = []

    init(object: FleetObject) { self.object = object }

    mutating func error(_ message: String, at path: [PathElement]) {
        diagnostics.append(object.diagnostic(message, at: path))
    }

    mutating func read() -> FleetConfigLayer {
        var layer = FleetConfigLayer()
        let body = object.object.body
        if object.object.apiVersion != FleetConfigLayer.apiVersion {
            error("apiVersion must be \(FleetConfigLayer.apiVersion), got \"\(object.object.apiVersion)\"", at: ["apiVersion"])
        }
        let name = object.object.name
        if !name.isEmpty {
            if let problem = KubeNames.dns1123LabelErrors(name).first {
                error("the fleet name is used as a label value and in object names: \(problem)", at: ["metadata", "name"])
            } else {
                layer.fleetName = name
            }
        }
        for entry in body.mapValue ?? [:] where !["apiVersion", "kind", "metadata", "spec"].contains(entry.key) {
            error("unknown field \"\(entry.key)\" (a FleetConfig has apiVersion, kind, metadata and spec)", at: [.key(entry.key)])
        }
        guard let spec = map(["spec"], optional: true) else { return layer }
        let known = ["source", "pollInterval", "pollJitter", "status", "management", "deletion", "policies", "drift", "http", "force", "webhook"]
        unknownKeys(spec, at: ["spec"], known: known)
        if spec["webhook"] != nil {
            error("webhook secrets are never read from capstan.yaml (a repository is no place for a secret); use --webhook-secret-file or CAPSTAN_WEBHOOK_SECRET", at: ["spec", "webhook"])
        }
        if let source = map(["spec", "source"], optional: true) {
            unknownKeys(source, at: ["spec", "source"], known: ["repository", "ref", "path"])
            layer.repository = string(["spec", "source", "repository"])
            layer.ref = string(["spec", "source", "ref"])
            layer.path = string(["spec", "source", "path"])
            if let repo = layer.repository, repo.contains("@"), repo.contains("://"), repo.split(separator: "@").first?.contains(":") == true,
               repo.hasPrefix("http") {
                error("the repository URL carries a password; give credentials with --password-file or CAPSTAN_GIT_PASSWORD", at: ["spec", "source", "repository"])
                layer.repository = nil
            }
        }
        layer.pollInterval = duration(["spec", "pollInterval"], minimum: .milliseconds(100))
        if let v = body[path: ["spec", "pollJitter"]] { layer.pollJitter = fraction(v, at: ["spec", "pollJitter"]) }
        if let status = map(["spec", "status"], optional: true) {
            unknownKeys(status, at: ["spec", "status"], known: ["branch", "path", "interval"])
            let branch = string(["spec", "status", "branch"]), path = string(["spec", "status", "path"])
            switch (branch, path) {
            case (let b?, nil): layer.statusTarget = .branch(b)
            case (nil, let p?): layer.statusTarget = .path(p)
            case (.some, .some): error("give status.branch or status.path, not both", at: ["spec", "status", "path"])
            case (nil, nil): break
            }
            layer.statusInterval = duration(["spec", "status", "interval"], minimum: .zero)
        }
        if let management = map(["spec", "management"], optional: true) {
            unknownKeys(management, at: ["spec", "management"], known: ["stateDir", "provisioning", "kubeconfig"])
            if management["kubeconfig"] != nil {
                error("only the embedded management cluster is supported (state directory + embedded controllers); remove kubeconfig", at: ["spec", "management", "kubeconfig"])
            }
            layer.stateDirectory = string(["spec", "management", "stateDir"])
            if let p = map(["spec", "management", "provisioning"], optional: true) {
                unknownKeys(p, at: ["spec", "management", "provisioning"], known: FleetConfig.ManagementSettings.latencyNames)
                for name in FleetConfig.ManagementSettings.latencyNames {
                    if let d = duration(["spec", "management", "provisioning", .key(name)], minimum: .zero) { layer.provisioning[name] = d }
                }
            }
        }
        if let deletion = map(["spec", "deletion"], optional: true) {
            unknownKeys(deletion, at: ["spec", "deletion"], known: ["prune", "clusterBudget", "approved"])
            layer.prune = bool(["spec", "deletion", "prune"])
            if let v = body[path: ["spec", "deletion", "clusterBudget"]] {
                if let n = v.intValue, n >= 0 { layer.clusterBudget = Int(n) } else { error("must be a whole number of Clusters, 0 or more", at: ["spec", "deletion", "clusterBudget"]) }
            }
            if let list = strings(["spec", "deletion", "approved"]) {
                var ids = Set<ClusterID>()
                for (i, s) in list.enumerated() {
                    if let id = ClusterID(parsing: s) { ids.insert(id) } else { error("\"\(s)\" is not namespace/name", at: ["spec", "deletion", "approved", .index(i)]) }
                }
                layer.approved = ids
            }
        }
        if let dirs = strings(["spec", "policies"]) {
            for (i, d) in dirs.enumerated() where d.hasPrefix("/") || d.split(separator: "/").contains("..") {
                error("policy directories are paths inside the fleet (no leading / or ..); give other directories with --policies", at: ["spec", "policies", .index(i)])
            }
            layer.policyDirectories = dirs
        }
        if let drift = map(["spec", "drift"], optional: true) {
            unknownKeys(drift, at: ["spec", "drift"], known: ["interval", "mode"])
            layer.driftInterval = duration(["spec", "drift", "interval"], minimum: .zero)
            if let m = string(["spec", "drift", "mode"]) {
                if let mode = FleetConfig.DriftMode(rawValue: m) { layer.driftMode = mode } else {
                    error("drift mode must be report or correct, got \"\(m)\"", at: ["spec", "drift", "mode"])
                }
            }
        }
        if let http = map(["spec", "http"], optional: true) {
            unknownKeys(http, at: ["spec", "http"], known: ["address"])
            layer.httpAddress = string(["spec", "http", "address"])
        }
        layer.force = bool(["spec", "force"])
        return layer
    }

    // MARK: Field readers

    mutating func map(_ path: [PathElement], optional: Bool) -> ObjectMap? {
        guard let v = value(path) else { return nil }
        if v.isNull { return nil }
        guard let m = v.mapValue else {
            error("must be a map, got \(v.kind)", at: path)
            return nil
        }
        return m
    }

    mutating func unknownKeys(_ m: ObjectMap, at path: [PathElement], known: [String]) {
        for entry in m where !known.contains(entry.key) {
            error("unknown field \"\(entry.key)\" (known: \(known.joined(separator: ", ")))", at: path + [.key(entry.key)])
        }
    }

    mutating func string(_ path: [PathElement]) -> String? {
        guard let v = value(path), !v.isNull else { return nil }
        guard let s = v.stringValue else {
            error("must be a string, got \(v.kind)", at: path)
            return nil
        }
        return s
    }

    mutating func bool(_ path: [PathElement]) -> Bool? {
        guard let v = value(path), !v.isNull else { return nil }
        guard let b = v.boolValue else {
            error("must be true or false, got \(v.kind)", at: path)
            return nil
        }
        return b
    }

    mutating func strings(_ path: [PathElement]) -> [String]? {
        guard let v = value(path), !v.isNull else { return nil }
        guard let list = v.listValue else {
            error("must be a list of strings, got \(v.kind)", at: path)
            return nil
        }
        var out: [String] = []
        for (i, item) in list.enumerated() {
            if let s = item.stringValue { out.append(s) } else { error("must be a string, got \(item.kind)", at: path + [.index(i)]) }
        }
        return out
    }

    mutating func duration(_ path: [PathElement], minimum: Duration) -> Duration? {
        guard let v = value(path), !v.isNull else { return nil }
        guard let s = v.stringValue ?? (v.intValue == 0 ? "0" : nil) else {
            error("must be a duration such as 30s, 5m or 1h30m, got \(v.kind) (durations need a unit)", at: path)
            return nil
        }
        guard let d = DurationText.parse(s) else {
            error("\"\(s)\" is not a duration (write e.g. 30s, 5m, 1h30m, 500ms)", at: path)
            return nil
        }
        if d < minimum {
            error("must be at least \(DurationText.format(minimum)), got \(s)", at: path)
            return nil
        }
        return d
    }

    /// A fraction written `0.1` or `10%`, from 0 to 1.
    mutating func fraction(_ v: Value, at path: [PathElement]) -> Double? {
        var f: Double?
        if let s = v.stringValue, s.hasSuffix("%"), let p = Double(s.dropLast()) { f = p / 100 } else { f = v.numberValue }
        guard let f, (0...1).contains(f) else {
            error("must be a fraction from 0 to 1 (0.1) or a percentage (10%)", at: path)
            return nil
        }
        return f
    }

    func value(_ path: [PathElement]) -> Value? {
        var v: Value? = object.object.body
        for p in path {
            switch p {
            case .key(let k): v = v?[k]
            case .index(let i): v = v?[i]
            }
        }
        return v
    }
}
