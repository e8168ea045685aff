import CapstanModel

/// Create-time Cluster admission for topology Clusters (core/webhooks/admission/cluster.go `validate`,
/// `validateTopology`, `ValidateClusterForClusterClass`). Update-only rules (version may not decrease,
/// no bump mid-upgrade) need the previous object and are left to the API server.
enum ClusterAdmission {
    static let autoscalerMin = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size"
    static let autoscalerMax = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size"

    /// Checks that need only the Cluster.
    static func validate(_ c: ClusterModel) -> [FieldError] {
        var errs: [FieldError] = []
        for msg in KubeNames.labelValueErrors(c.name) {
            errs.append(.invalid(FieldPath("metadata", "name"), c.name, "must be a valid label value \(msg)"))
        }
        let t = FieldPath("spec", "topology")
        if c.classRefName.isEmpty { return errs + [.required(t.child("class"), "classRef.name cannot be empty")] }
        if !c.version.hasPrefix("v") { errs.append(.invalid(t.child("version"), c.version, "must start with v")) }
        if Semver(strict: String(c.version.dropFirst(c.version.hasPrefix("v") ? 1 : 0))) == nil {
            errs.append(.invalid(t.child("version"), c.version, "version must be a valid semantic version"))
        }
        errs += MetadataAdmission.validate(c.controlPlane.metadata, t.child("controlPlane", "metadata"))
        for md in c.machineDeployments {
            errs += MetadataAdmission.validate(md.metadata, t.child("workers", "machineDeployments").key(md.name).child("metadata"))
        }
        for mp in c.machinePools {
            errs += MetadataAdmission.validate(mp.metadata, t.child("workers", "machinePools").key(mp.name).child("metadata"))
        }
        for md in c.machineDeployments {
            let p = t.child("workers", "machineDeployments").key(md.name).child("rollout", "strategy")
            errs += ClusterClassAdmission.rolloutStrategyErrors(md.rollout?["strategy"], p)
        }
        let taintMessage = "taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled"
        if !(c.controlPlane.taints?.listValue ?? []).isEmpty { errs.append(.forbidden(t.child("controlPlane", "taints"), taintMessage)) }
        for md in c.machineDeployments where !(md.taints?.listValue ?? []).isEmpty {
            errs.append(.forbidden(t.child("workers", "machineDeployments").key(md.name).child("taints"), taintMessage))
        }
        if let s = c.object.annotations[CAPI.upgradeConcurrencyAnnotation] {
            let p = FieldPath("metadata", "annotations", CAPI.upgradeConcurrencyAnnotation)
            if let n = Int(s) {
                if n < 1 { errs.append(.invalid(p, s, "value cannot be less than 1")) }
            } else {
                errs.append(.invalid(p, s, "could not parse the value of the annotation: strconv.Atoi: parsing \(GoQuote.quote(s)): invalid syntax"))
            }
        }
        return errs
    }

    /// Checks against the ClusterClass (`ValidateClusterForClusterClass`, autoscaler annotations).
    static func validate(_ c: ClusterModel, against cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        if !cc.kubernetesVersions.isEmpty && !cc.kubernetesVersions.contains(c.version) {
            errs.append(.invalid(FieldPath("spec", "topology", "version"), c.version, "version must match one of the versions defined in the ClusterClass"))
        }
        errs += workerTopologyErrors(c.machineDeployments.map { ($0.className, $0.name) }, Set(cc.machineDeploymentClasses.map(\.className)),
                                     "machineDeployments", "MachineDeployment", cc.name)
        errs += workerTopologyErrors(c.machinePools.map { ($0.className, $0.name) }, Set(cc.machinePoolClasses.map(\.className)),
                                     "machinePools", "MachinePool", cc.name)
        errs += healthCheckErrors(c, cc)
        errs += autoscalerErrors(c, cc)
        return errs
    }

    static func workerTopologyErrors(_ topologies: [(String, String)], _ classes: Set<String>, _ field: String, _ kind: String, _ className: String) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set<String>()
        for (i, (cls, name)) in topologies.enumerated() {
            let p = FieldPath("spec", "topology", "workers", field).index(i)
            if !classes.contains(cls) {
                errs.append(.invalid(p.child("class"), cls, "\(kind)Class with name \(GoQuote.quote(cls)) does not exist in ClusterClass \(GoQuote.quote(className))"))
            }
            if name.isEmpty {
                errs.append(.required(p.child("name"), "name must not be empty"))
                continue
            }
            if !names.insert(name).inserted {
                errs.append(.invalid(p.child("name"), name, "name must be unique. \(kind) with name \(GoQuote.quote(name)) is defined more than once"))
            }
        }
        return errs
    }

    static func healthCheckErrors(_ c: ClusterModel, _ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        let p = FieldPath("spec", "topology", "controlPlane", "healthCheck")
        let hc = c.controlPlane.healthCheck
        if hc.isDefined {
            if !cc.hasControlPlaneInfrastructureMachine {
                errs.append(.forbidden(p, "can be only set if spec.controlPlane.machineInfrastructure is set in ClusterClass"))
            }
            errs += ClusterClassAdmission.startupTimeoutErrors(hc, p)
            errs += ClusterClassAdmission.intOrPercentErrors(hc.remediation?[path: ["triggerIf", "unhealthyLessThanOrEqualTo"]], p.child("remediation", "triggerIf", "unhealthyLessThanOrEqualTo"))
        }
        if hc.enabled == true && !hc.isDefined && !cc.controlPlaneHealthCheck.isDefined {
            errs.append(.forbidden(p.child("enable"), "cannot be set to true as healthCheck definition is not available in the Cluster topology or the ClusterClass"))
        }
        for md in c.machineDeployments {
            let mp = FieldPath("spec", "topology", "workers", "machineDeployments").key(md.name).child("healthCheck")
            if md.healthCheck.isDefined {
                errs += ClusterClassAdmission.startupTimeoutErrors(md.healthCheck, mp)
                errs += ClusterClassAdmission.intOrPercentErrors(md.healthCheck.remediation?[path: ["triggerIf", "unhealthyLessThanOrEqualTo"]], mp.child("remediation", "triggerIf", "unhealthyLessThanOrEqualTo"))
                errs += ClusterClassAdmission.intOrPercentErrors(md.healthCheck.maxInFlight, mp.child("remediation", "maxInFlight"))
            }
            if let cls = cc.machineDeploymentClass(named: md.className), md.healthCheck.enabled == true,
               !md.healthCheck.isDefined && !cls.healthCheck.isDefined {
                errs.append(.forbidden(mp.child("enable"), "cannot be set to true as healthCheck definition is not available in the Cluster topology or the ClusterClass"))
            }
        }
        return errs
    }

    static func autoscalerErrors(_ c: ClusterModel, _ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        for md in c.machineDeployments {
            guard let replicas = md.replicas else { continue }
            let p = FieldPath("spec", "topology", "workers", "machineDeployments").key(md.name).child("replicas")
            let keys = Set((md.metadata.annotations ?? [:]).keys)
            if keys.contains(autoscalerMin) || keys.contains(autoscalerMax) {
                errs.append(FieldError(kind: .invalid, field: p, badValue: .number(String(replicas)),
                                       detail: "cannot be set for cluster \(GoQuote.quote(c.name)) in namespace \(GoQuote.quote(c.namespace)) if the same MachineDeploymentTopology has autoscaler annotations"))
            }
            if let cls = cc.machineDeploymentClass(named: md.className) {
                let classKeys = Set((cls.metadata.annotations ?? [:]).keys)
                if classKeys.contains(autoscalerMin) || classKeys.contains(autoscalerMax) {
                    errs.append(FieldError(kind: .invalid, field: p, badValue: .number(String(replicas)),
                                           detail: "cannot be set for cluster \(GoQuote.quote(c.name)) in namespace \(GoQuote.quote(c.namespace)) if the source class \(GoQuote.quote(cls.className)) of this MachineDeploymentTopology has autoscaler annotations"))
                }
            }
        }
        return errs
    }
}

extension Semver {
    /// Strict semver (blang `Parse`): exactly three numeric parts, no leading `v`.
    init?(strict text: String) {
        guard !text.isEmpty, !text.hasPrefix("v"), !text.contains(" ") else { return nil }
        let core = text.split(separator: "+", maxSplits: 1)[0].split(separator: "-", maxSplits: 1)[0]
        guard core.split(separator: ".", omittingEmptySubsequences: false).count == 3 else { return nil }
        self.init(tolerant: text)
    }
}
