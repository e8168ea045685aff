/// Upgrade plans (exp/topology/desiredstate/upgrade_plan.go): which versions the control plane and the
/// workers step through to reach the topology version.
enum UpgradePlan {
    typealias Source = (_ desired: String, _ controlPlane: String, _ minWorkers: String) throws(TopologyError) -> ([String], [String])

    static func parse(_ v: String, _ what: String) throws(TopologyError) -> Semver {
        guard let s = Semver(tolerant: v) else { throw TopologyError("failed to parse \(what) \(v)") }
        return s
    }

    /// Default plan source: one step, and no more than one minor ahead.
    static func oneMinor(_ desired: String, _ controlPlane: String, _ minWorkers: String) throws(TopologyError) -> ([String], [String]) {
        let d = try parse(desired, "desired version"), c = try parse(controlPlane, "current ControlPlane version")
        if c.description == d.description { return ([], []) }
        if d.minor > c.minor + 1 { throw TopologyError("cannot compute an upgrade plan from \(controlPlane) to \(desired)") }
        return ([desired], [])
    }

    /// Plan source from `ClusterClass.spec.kubernetesVersions`: listed versions above the control plane up to
    /// the target, keeping the last one of every minor.
    static func fromClassVersions(_ versions: [String]) -> Source {
        { (desired, controlPlane, _) throws(TopologyError) in
            let d = try parse(desired, "desired version"), c = try parse(controlPlane, "current ControlPlane version")
            if c.description == d.description { return ([], []) }
            var plan: [String] = []
            for v in versions {
                let s = try parse(v, "version")
                if s.compare(c) <= 0 { continue }
                if s.compareWithBuildTags(d) == 1 { break }
                plan.append(v)
                if s.description == d.description { break }
            }
            if plan.isEmpty { return ([], []) }
            var simplified: [String] = []
            var currentMinor = c.minor
            if currentMinor == d.minor { simplified.append(plan[0]) }
            for v in plan {
                let s = try parse(v, "version")
                if s.minor > currentMinor { simplified.append(v) }
                if s.minor == currentMinor && !simplified.isEmpty { simplified[simplified.count - 1] = v }
                currentMinor = s.minor
            }
            return (simplified, [])
        }
    }

    /// `DefaultAndValidateUpgradePlans`: checks the control-plane plan and fills in the workers plan so
    /// workers never lag more than three minors.
    static func defaultAndValidate(desired: String, controlPlane: String, minWorkers: String, cpPlan: [String], workersPlan inPlan: [String]) throws(TopologyError) -> [String] {
        let d = try parse(desired, "Cluster version")
        let c = try parse(controlPlane, "ControlPlane version")
        let minW: Semver? = minWorkers.isEmpty ? nil : try parse(minWorkers, "min workers version")
        var minors: [UInt64: String] = [c.minor: controlPlane]
        var order: [String: Int] = [controlPlane: -1]
        if c.compareWithBuildTags(d) != 0 {
            var cur = c
            for (i, target) in cpPlan.enumerated() {
                order[target] = i
                guard let t = Semver(tolerant: target) else {
                    throw TopologyError("invalid ControlPlane upgrade plan: item \(i); failed to parse version \(target)")
                }
                if t.compareWithBuildTags(cur) <= 0 {
                    throw TopologyError("invalid ControlPlane upgrade plan: item \(i); version \(target) must be greater than v\(cur)")
                }
                if cur.minor != t.minor && cur.minor + 1 != t.minor {
                    throw TopologyError("invalid ControlPlane upgrade plan: item \(i); expecting a version with minor \(cur.minor) or \(cur.minor + 1), found version \(target)")
                }
                minors[t.minor] = target
                cur = t
            }
            if cur.compareWithBuildTags(d) != 0 {
                throw TopologyError("invalid ControlPlane upgrade plan: control plane upgrade plan must end with version \(desired), ends with v\(cur) instead")
            }
        } else if !cpPlan.isEmpty {
            throw TopologyError("invalid ControlPlane upgrade plan: control plane is already at the desired version")
        }
        var plan = inPlan
        guard let minW, minW.compareWithBuildTags(d) != 0 else {
            if !plan.isEmpty { throw TopologyError("invalid worker upgrade plan; there are no workers or workers already at the desired version") }
            return plan
        }
        if plan.isEmpty {
            let currentMinor = minW.minor
            if d.minor > currentMinor {
                for i in 0..<(d.minor - currentMinor) where i > 0 && i % 3 == 0 {
                    guard let v = minors[currentMinor + i] else {
                        throw TopologyError("invalid upgrade plan; unable to identify version for minor \(currentMinor + i)")
                    }
                    plan.append(v)
                }
            }
            if plan.last != desired { plan.append(desired) }
        }
        var cur = minW
        for (i, target) in plan.enumerated() {
            guard let t = Semver(tolerant: target) else {
                throw TopologyError("invalid workers upgrade plan, item \(i); failed to parse version \(target)")
            }
            switch t.compareWithBuildTags(cur) {
            case ...0: throw TopologyError("invalid workers upgrade plan, item \(i); version \(target) must be greater than v\(cur)")
            case 2:
                if let a = order[target], let b = order["v\(cur)"], a < b {
                    throw TopologyError("invalid workers upgrade plan, item \(i); version \(target) must be before v\(cur)")
                }
            default: break
            }
            if t.minor > cur.minor + 3 {
                throw TopologyError("invalid workers upgrade plan, item \(i); workers cannot go from minor \(cur.minor) (v\(cur)) to minor \(t.minor) (\(target)), an intermediate step is required to comply with Kubernetes version skew rules")
            }
            cur = t
        }
        if cur.compareWithBuildTags(d) != 0 {
            throw TopologyError("invalid workers upgrade plan; workers upgrade plan must end with version \(desired), ends with v\(cur) instead")
        }
        return plan
    }
}
