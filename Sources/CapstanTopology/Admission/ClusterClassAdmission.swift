import CapstanModel

/// The ClusterClass create-time admission checks (core/webhooks/admission/clusterclass.go `validate`),
/// in upstream order. Update-only checks (compatibility with the previous version, classes in use) need
/// history and are not run.
enum ClusterClassAdmission {
    static func validate(_ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        errs += templateRefErrors(cc)
        errs += uniqueClassErrors(cc.machineDeploymentClasses.map(\.className), "machineDeployments", "MachineDeployment")
        errs += uniqueClassErrors(cc.machinePoolClasses.map(\.className), "machinePools", "MachinePool")
        for md in cc.machineDeploymentClasses {
            let p = FieldPath("spec", "workers", "machineDeployments").key(md.className).child("rollout", "strategy")
            errs += rolloutStrategyErrors(md.rollout?["strategy"], p)
        }
        errs += healthCheckErrors(cc)
        errs += NamingAdmission.validate(cc)
        errs += taintErrors(cc)
        errs += ClassVariableAdmission.validate(cc.variables)
        errs += PatchAdmission.validate(cc)
        errs += MetadataAdmission.validate(cc.controlPlaneMetadata, FieldPath("spec", "controlPlane", "metadata"))
        for md in cc.machineDeploymentClasses {
            errs += MetadataAdmission.validate(md.metadata, FieldPath("spec", "workers", "machineDeployments").key(md.className).child("template", "metadata"))
        }
        for mp in cc.machinePoolClasses {
            errs += MetadataAdmission.validate(mp.metadata, FieldPath("spec", "workers", "machinePools").key(mp.className).child("template", "metadata"))
        }
        errs += kubernetesVersionErrors(cc.kubernetesVersions)
        return errs
    }

    /// `ClusterClassTemplateIsValid` for every template reference.
    static func templateRefErrors(_ cc: ClusterClassModel) -> [FieldError] {
        var errs = refErrors(cc.infrastructure, FieldPath("spec", "infrastructure"))
        errs += refErrors(cc.controlPlane, FieldPath("spec", "controlPlane"))
        if cc.hasControlPlaneInfrastructureMachine {
            errs += refErrors(cc.controlPlaneMachineInfrastructure, FieldPath("spec", "controlPlane", "machineInfrastructure"))
        }
        for md in cc.machineDeploymentClasses {
            let p = FieldPath("spec", "workers", "machineDeployments").index(md.index).child("template")
            errs += refErrors(md.bootstrap, p.child("bootstrap")) + refErrors(md.infrastructure, p.child("infrastructure"))
        }
        for mp in cc.machinePoolClasses {
            let p = FieldPath("spec", "workers", "machinePools").index(mp.index).child("template")
            errs += refErrors(mp.bootstrap, p.child("bootstrap")) + refErrors(mp.infrastructure, p.child("infrastructure"))
        }
        return errs
    }

    static func refErrors(_ ref: TemplateRef?, _ p: FieldPath) -> [FieldError] {
        let r = ref ?? TemplateRef(apiVersion: "", kind: "", name: "")
        var errs: [FieldError] = []
        if r.name.isEmpty { errs.append(.required(p.child("ref", "name"), "template name must be defined")) }
        if r.kind.utf8.count <= CAPI.templateSuffix.utf8.count || !r.kind.hasSuffix(CAPI.templateSuffix) {
            errs.append(.invalid(p.child("ref", "kind"), r.kind, "template kind must be of form \"<name>Template\""))
        }
        let parts = r.apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 || (parts.count == 2 && (parts[0].isEmpty || parts[1].isEmpty)) {
            errs.append(.invalid(p.child("ref", "apiVersion"), r.apiVersion, "template apiVersion must be a valid Kubernetes apiVersion: unexpected GroupVersion string: \(r.apiVersion)"))
        } else if r.apiVersion.isEmpty {
            errs.append(.required(p.child("ref", "apiVersion"), "template apiVersion must be defined"))
        }
        return errs
    }

    static func uniqueClassErrors(_ names: [String], _ field: String, _ kind: String) -> [FieldError] {
        var seen = Set<String>()
        var errs: [FieldError] = []
        for n in names where !seen.insert(n).inserted {
            errs.append(.invalid(FieldPath("spec", "workers", field), n, "\(kind) class must be unique. \(kind) with class \(GoQuote.quote(n)) is defined more than once"))
        }
        return errs
    }

    /// `validateRolloutStrategy`: maxSurge/maxUnavailable are ints or percentages, not both 0.
    static func rolloutStrategyErrors(_ strategy: Value?, _ p: FieldPath) -> [FieldError] {
        let ru = strategy?["rollingUpdate"]
        let maxUnavailable = ru?.member("maxUnavailable"), maxSurge = ru?.member("maxSurge")
        var errs = intOrPercentErrors(maxUnavailable, p.child("rollingUpdate", "maxUnavailable"))
        errs += intOrPercentErrors(maxSurge, p.child("rollingUpdate", "maxSurge"))
        if maxUnavailable?.intValue == 0 && maxSurge?.intValue == 0 {
            errs.append(.invalid(p.child("rollingUpdate"), "0", "maxUnavailable and maxSurge cannot both be 0"))
        }
        return errs
    }

    static func healthCheckErrors(_ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        if cc.controlPlaneHealthCheck.isDefined {
            let p = FieldPath("spec", "controlPlane", "healthCheck")
            errs += startupTimeoutErrors(cc.controlPlaneHealthCheck, p)
            errs += intOrPercentErrors(cc.controlPlaneHealthCheck.remediation?[path: ["triggerIf", "unhealthyLessThanOrEqualTo"]], p.child("remediation", "triggerIf", "unhealthyLessThanOrEqualTo"))
            if !cc.hasControlPlaneInfrastructureMachine {
                errs.append(.forbidden(p, "can be only set if spec.controlPlane.machineInfrastructure is set"))
            }
        }
        for md in cc.machineDeploymentClasses where md.healthCheck.isDefined {
            let p = FieldPath("spec", "workers", "machineDeployments").key(md.className).child("healthCheck")
            errs += startupTimeoutErrors(md.healthCheck, p)
            errs += intOrPercentErrors(md.healthCheck.remediation?[path: ["triggerIf", "unhealthyLessThanOrEqualTo"]], p.child("remediation", "triggerIf", "unhealthyLessThanOrEqualTo"))
            errs += intOrPercentErrors(md.healthCheck.maxInFlight, p.child("remediation", "maxInFlight"))
        }
        return errs
    }

    static func startupTimeoutErrors(_ hc: HealthCheck, _ p: FieldPath) -> [FieldError] {
        guard let t = hc.checks?["nodeStartupTimeoutSeconds"]?.intValue, t != 0, t < 30 else { return [] }
        return [FieldError(kind: .invalid, field: p.child("checks", "nodeStartupTimeoutSeconds"), badValue: .number(String(t)), detail: "must be at least 30s")]
    }

    /// `intstr.GetScaledValueFromIntOrPercent` acceptance: an integer, or a string `<int>%`.
    static func intOrPercentErrors(_ v: Value?, _ p: FieldPath) -> [FieldError] {
        guard let v else { return [] }
        if v.intValue != nil { return [] }
        guard let s = v.stringValue else { return [] }
        guard s.hasSuffix("%") else {
            return [.invalid(p, s, "must be either an int or a percentage: invalid value for IntOrString: invalid type: string is not a percentage")]
        }
        let digits = String(s.dropLast())
        if Int(digits) == nil {
            return [.invalid(p, s, "must be either an int or a percentage: invalid value \(GoQuote.quote(s)): strconv.Atoi: parsing \(GoQuote.quote(digits)): invalid syntax")]
        }
        return []
    }

    /// Taints need the alpha MachineTaintPropagation feature gate, which is off by default.
    static func taintErrors(_ cc: ClusterClassModel) -> [FieldError] {
        let message = "taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled"
        var errs: [FieldError] = []
        if let t = cc.controlPlaneTaints?.listValue, !t.isEmpty { errs.append(.forbidden(FieldPath("spec", "controlPlane", "taints"), message)) }
        for md in cc.machineDeploymentClasses where !(md.taints?.listValue ?? []).isEmpty {
            errs.append(.forbidden(FieldPath("spec", "workers", "machineDeployments").key(md.className).child("taints"), message))
        }
        for mp in cc.machinePoolClasses where !(mp.taints?.listValue ?? []).isEmpty {
            errs.append(.forbidden(FieldPath("spec", "workers", "machinePools").key(mp.className).child("taints"), message))
        }
        return errs
    }

    static func kubernetesVersionErrors(_ versions: [String]) -> [FieldError] {
        var errs: [FieldError] = []
        var previous: Semver?
        for (i, v) in versions.enumerated() {
            let p = FieldPath("spec", "kubernetesVersion").index(i)
            guard let s = Semver(tolerant: v) else {
                errs.append(.invalid(p, v, "version must be a valid semantic version"))
                continue
            }
            if let prev = previous {
                if s.compareWithBuildTags(prev) <= 0 { errs.append(.invalid(p, v, "version must be greater than v\(prev)")) }
                if prev.minor != s.minor && prev.minor + 1 != s.minor {
                    errs.append(.invalid(p, v, "expecting a version with minor \(prev.minor) or \(prev.minor + 1), found version \(s)"))
                }
            }
            previous = s
        }
        return errs
    }
}
