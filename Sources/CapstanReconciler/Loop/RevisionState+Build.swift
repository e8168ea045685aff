import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology
import CapstanYAML

extension RevisionState {
    /// Files under a policy directory that are test fixtures, not policies (as `capstan validate` skips them).
    static func isPolicyFixture(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.last == "capstan-policy-test.yaml" || parts.dropLast().contains("tests")
    }

    /// Reads the configuration of a snapshot: the fleet's `capstan.yaml` under the operator's layers.
    static func configuration(
        of snapshot: FleetSnapshot, operatorLayers: [FleetConfigLayer]
    ) -> (config: FleetConfig, diagnostics: [Diagnostic], valid: Bool) {
        let (object, found) = FleetConfigLayer.find(in: snapshot)
        var diagnostics = found
        var fleetLayer = FleetConfigLayer()
        if let object {
            let (layer, problems) = FleetConfigLayer.parse(object)
            diagnostics += problems
            if let layer {
                fleetLayer = layer
                let running = FleetConfigLayer.resolve(operatorLayers.map { ($0, .everything) })
                var asked = FleetConfig()
                layer.apply(to: &asked, scope: .everything)
                for setting in layer.bootstrapSettings where Self.differs(setting, asked, running) {
                    diagnostics.append(object.diagnostic(
                        "\(setting) is a daemon setting: it is read from --config, CAPSTAN_* or flags when the daemon starts, so the value in the fleet is not used",
                        at: setting.split(separator: ".").map { PathElement.key(String($0)) }, severity: .warning))
                }
            }
        }
        let valid = !diagnostics.contains { $0.severity == .error }
        let config = FleetConfigLayer.resolve([(fleetLayer, .fleetOnly)] + operatorLayers.map { ($0, .everything) })
        return (config, diagnostics, valid)
    }

    private static func differs(_ setting: String, _ a: FleetConfig, _ b: FleetConfig) -> Bool {
        switch setting {
        case "spec.source.repository": a.source.repository != b.source.repository
        case "spec.source.ref": a.source.ref != b.source.ref
        case "spec.source.path": a.source.path != b.source.path
        case "spec.management.stateDir": a.management.stateDirectory != b.management.stateDirectory
        case "spec.management.provisioning": a.management.provisioning != b.management.provisioning
        case "spec.http.address": a.httpAddress != b.httpAddress
        default: false
        }
    }

    /// The snapshot without the status directory, when status reports are committed inside the fleet
    /// (`status.path` on the source branch): reports are not fleet objects.
    static func withoutStatusDirectory(_ s: FleetSnapshot, target: FleetConfig.StatusTarget, displayPrefix: String) -> FleetSnapshot {
        guard case .path(let dir) = target else { return s }
        let repoPath = dir.hasSuffix("/") ? dir : dir + "/"
        guard displayPrefix.isEmpty || repoPath.hasPrefix(displayPrefix) else { return s }
        let inside = String(repoPath.dropFirst(displayPrefix.count))
        let shown = displayPrefix + inside
        return FleetSnapshot(
            objects: s.objects.filter { !$0.path.hasPrefix(inside) }, diagnostics: s.diagnostics.filter { !($0.location?.file.hasPrefix(shown) ?? false) },
            files: s.files.filter { !$0.path.hasPrefix(inside) })
    }

    /// True when every path (fleet-relative) lies in the status directory of a `status.path` target (also when
    /// no path changed at all); always false for a status branch.
    static func onlyStatusFiles(_ paths: Set<String>, target: FleetConfig.StatusTarget, displayPrefix: String) -> Bool {
        guard case .path(let dir) = target else { return false }
        let repoPath = dir.hasSuffix("/") ? dir : dir + "/"
        guard displayPrefix.isEmpty || repoPath.hasPrefix(displayPrefix) else { return false }
        let inside = String(repoPath.dropFirst(displayPrefix.count))
        return paths.allSatisfy { $0.hasPrefix(inside) }
    }

    /// True for a topology Cluster (a Cluster API Cluster with `spec.topology`).
    static func isTopologyCluster(_ o: FleetObject) -> Bool {
        o.key.group == Vocabulary.capiGroup && o.key.kind == "Cluster" && o.object.body[path: ["spec", "topology"]] != nil
    }

    /// True for a Cluster whose Git document asks for its deletion.
    static func asksForDeletion(_ o: FleetObject) -> Bool {
        o.object.annotations[Vocabulary.deleteAnnotation] == "true"
    }

    /// The hash of every input a policy verdict can depend on: policies, bindings, Namespaces and objects of
    /// the kinds policies take as parameters.
    static func policyHash(policyObjects: [FleetObject], fleet: [FleetObject], localPolicies: [FleetObject], documentHash: (FleetObject) -> String) -> String {
        var paramKinds = Set<String>()
        for o in policyObjects + localPolicies + fleet where o.key.kind == "ValidatingAdmissionPolicy" {
            if let kind = o.object.body[path: ["spec", "paramKind", "kind"]]?.stringValue { paramKinds.insert(kind) }
        }
        var parts: [String] = []
        for o in policyObjects + fleet {
            let k = o.key.kind
            if k == "ValidatingAdmissionPolicy" || k == "ValidatingAdmissionPolicyBinding" || k == "Namespace" || paramKinds.contains(k) {
                parts.append("\(o.key)=\(documentHash(o))")
            }
        }
        for o in localPolicies { parts.append("local:\(o.key)=\(JSON.serialize(o.object.body))") }
        return StableHash.of(parts.sorted())
    }
}
