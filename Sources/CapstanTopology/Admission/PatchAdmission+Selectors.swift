import CapstanModel

extension PatchAdmission {
    /// Every enabled selector entry must match a template reference of the class by apiVersion and kind.
    static func selectorErrors(_ s: PatchSelector, _ cc: ClusterClassModel, _ p: FieldPath) -> [FieldError] {
        let mdNames = s.machineDeploymentClassNames ?? []
        let mpNames = s.machinePoolClassNames ?? []
        if !s.infrastructureCluster && !s.controlPlane && mdNames.isEmpty && mpNames.isEmpty {
            return [.invalid(p, JSON.serializePretty(s.raw), "no selector enabled")]
        }
        var errs: [FieldError] = []
        func matches(_ ref: TemplateRef?) -> Bool { ref.map { $0.kind == s.kind && $0.apiVersion == s.apiVersion } ?? false }
        if s.infrastructureCluster && !matches(cc.infrastructure) {
            errs.append(FieldError(kind: .invalid, field: p.child("matchResources", "infrastructureCluster"), badValue: .number("true"),
                                   detail: "selector is enabled but does not match the infrastructure ref"))
        }
        if s.controlPlane && !(matches(cc.controlPlane) || (cc.hasControlPlaneInfrastructureMachine && matches(cc.controlPlaneMachineInfrastructure))) {
            errs.append(FieldError(kind: .invalid, field: p.child("matchResources", "controlPlane"), badValue: .number("true"),
                                   detail: "selector is enabled but matches neither the controlPlane ref nor the controlPlane machineInfrastructure ref"))
        }
        let mdClasses = cc.machineDeploymentClasses.map { ($0.className, $0.bootstrap, $0.infrastructure) }
        errs += classNameErrors(mdNames, mdClasses, "machineDeploymentClass", "MachineDeployment", p, matches)
        let mpClasses = cc.machinePoolClasses.map { ($0.className, $0.bootstrap, $0.infrastructure) }
        errs += classNameErrors(mpNames, mpClasses, "machinePoolClass", "MachinePool", p, matches)
        return errs
    }

    static func classNameErrors(
        _ names: [String], _ classes: [(String, TemplateRef?, TemplateRef?)], _ resource: String, _ kind: String,
        _ p: FieldPath, _ matches: (TemplateRef?) -> Bool
    ) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, name) in names.enumerated() {
            let np = p.child("matchResources", resource, "names").index(i)
            if let e = selectorNameError(name, np) {
                errs.append(e)
                break
            }
            let ok = classes.contains { cls in
                ClassNamePattern.matches(name, cls.0) && (matches(cls.2) || matches(cls.1))
            }
            if !ok {
                errs.append(.invalid(np, name, "selector is enabled but matches neither the bootstrap ref nor the infrastructure ref of a \(kind) class"))
            }
        }
        return errs
    }

    static func selectorNameError(_ name: String, _ p: FieldPath) -> FieldError? {
        guard name.contains("*") else { return nil }
        if name.filter({ $0 == "*" }).count > 1 { return .invalid(p, name, "selector can at most contain a single \"*\" rune") }
        if !name.hasPrefix("*") && !name.hasSuffix("*") {
            return .invalid(p, name, "\"*\" rune can only appear at the beginning, or ending of the selector")
        }
        let probe = String(name.map { $0 == "*" ? "a" : $0 })
        if !KubeNames.qualifiedNameErrors(probe).isEmpty { return .invalid(p, name, "selector does not comply with the Kubernetes naming standards") }
        return nil
    }
}

/// `matchResources.*Class.names` entries: exact, `*`, `*suffix` or `prefix*`.
enum ClassNamePattern {
    static func matches(_ pattern: String, _ className: String) -> Bool {
        if pattern == "*" || pattern == className { return true }
        if pattern.hasPrefix("*") && className.hasSuffix(pattern.dropFirst()) { return true }
        if pattern.hasSuffix("*") && className.hasPrefix(pattern.dropLast()) { return true }
        return false
    }
}
