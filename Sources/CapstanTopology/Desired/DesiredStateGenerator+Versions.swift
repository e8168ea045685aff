import CapstanModel

extension DesiredStateGenerator {
    /// `ComputeUpgradePlan` (upgrade_plan.go): only once a control plane exists.
    mutating func computeUpgradePlan() throws(TopologyError) {
        guard let cp = s.current.controlPlane else { return }
        let desired = s.cluster.version
        guard let desiredV = Semver(tolerant: desired) else { throw TopologyError("failed to parse Cluster version \(desired)") }
        let cpVersion = cp.body[path: ["spec", "version"]]?.stringValue ?? ""
        guard let cpV = Semver(tolerant: cpVersion) else { throw TopologyError("failed to parse ControlPlane version \(cpVersion)") }
        var minW: Semver?
        let workers = s.current.machineDeployments.sorted { $0.key < $1.key }.map { ("MachineDeployment", $0.value) }
            + s.current.machinePools.sorted { $0.key < $1.key }.map { ("MachinePool", $0.value) }
        for (kind, w) in workers where !w.version.isEmpty {
            guard let v = Semver(tolerant: w.version) else {
                throw TopologyError("failed to parse version \(w.version) of \(kind) \(w.object.name)")
            }
            if let m = minW {
                let c = v.compareWithBuildTags(m)
                if c == -1 || (c == 2 && v.description != cpV.description) { minW = v }
            } else {
                minW = v
            }
        }
        let minWorkers = minW.map { "v\($0)" } ?? ""
        s.tracker.minWorkersVersion = minWorkers
        if cpV.description == desiredV.description && (minW == nil || minW!.description == desiredV.description) { return }
        let source: UpgradePlan.Source
        if !s.classModel.upgradePlanExtension.isEmpty {
            throw TopologyError("can not use GenerateUpgradePlan extension \(GoQuote.quote(s.classModel.upgradePlanExtension)) if RuntimeSDK feature flag is disabled (Runtime Extensions cannot be called offline)",
                                origin: .clusterClass(["spec", "upgrade"]))
        } else if !s.classModel.kubernetesVersions.isEmpty {
            source = UpgradePlan.fromClassVersions(s.classModel.kubernetesVersions)
        } else {
            source = UpgradePlan.oneMinor
        }
        let (cpPlan, workersPlan0) = try source(desired, cpVersion, minWorkers)
        let workersPlan = try UpgradePlan.defaultAndValidate(desired: desired, controlPlane: cpVersion, minWorkers: minWorkers, cpPlan: cpPlan, workersPlan: workersPlan0)
        s.tracker.controlPlane.upgradePlan = cpPlan
        if !s.current.machineDeployments.isEmpty { s.tracker.machineDeployments.upgradePlan = workersPlan }
        if !s.current.machinePools.isEmpty { s.tracker.machinePools.upgradePlan = workersPlan }
    }

    /// `computeControlPlaneVersion` with the RuntimeSDK feature gate off (no lifecycle hooks).
    mutating func computeControlPlaneVersion() throws(TopologyError) -> String {
        let topologyVersion = s.cluster.version
        guard let cp = s.current.controlPlane else { return topologyVersion }
        let currentVersion = cp.body[path: ["spec", "version"]]?.stringValue ?? ""
        s.tracker.controlPlane.isPendingUpgrade = currentVersion != topologyVersion
        if ControlPlaneContract.isProvisioning(cp) {
            s.tracker.controlPlane.isProvisioning = true
            return currentVersion
        }
        if try ControlPlaneContract.isUpgrading(cp) {
            s.tracker.controlPlane.isUpgrading = true
            return currentVersion
        }
        for plan in [s.tracker.machineDeployments.upgradePlan, s.tracker.machinePools.upgradePlan] where plan.first == currentVersion {
            s.tracker.controlPlane.isWaitingForWorkersUpgrade = true
            return currentVersion
        }
        if s.tracker.machineDeployments.isAnyUpgrading || s.tracker.machinePools.isAnyUpgrading { return currentVersion }
        if !s.tracker.controlPlane.isPendingUpgrade { return currentVersion }
        guard let next = s.tracker.controlPlane.upgradePlan.first else {
            throw TopologyError("cannot compute the control plane version if the control plane is pending upgrade and the upgrade plan is not set")
        }
        s.tracker.controlPlane.isStartingUpgrade = true
        s.tracker.controlPlane.isPendingUpgrade = false
        return next
    }

    /// `computeMachineDeploymentVersion` / `computeMachinePoolVersion` (same algorithm, own tracker).
    func workerVersion(_ w: inout UpgradeTracker.Workers, topologyName: String, current: CurrentState.Worker?, deferred: Bool, kind: String) throws(TopologyError) -> String {
        let topologyVersion = s.cluster.version
        guard let current else {
            if !s.tracker.controlPlane.isStable { w.pendingCreate.insert(topologyName) }
            return topologyVersion
        }
        let currentVersion = current.version
        let name = current.object.name
        if currentVersion == topologyVersion { return currentVersion }
        if deferred {
            w.deferred.insert(name)
            w.pendingUpgrade.insert(name)
            return currentVersion
        }
        if w.concurrencyReached || !s.tracker.controlPlane.isStableOrWaitingForWorkers {
            w.pendingUpgrade.insert(name)
            return currentVersion
        }
        guard let next = w.upgradePlan.first else {
            let what = kind == "MachineDeployment" ? "machine deployment" : "machine pool"
            throw TopologyError("cannot compute the \(what) version if the \(what) is pending upgrade and the upgrade plan is not set")
        }
        if next == currentVersion {
            w.pendingUpgrade.insert(name)
            return currentVersion
        }
        w.upgrading.insert(name)
        return next
    }

    /// `isMachineDeploymentDeferred`: own defer/hold annotation, or a hold on an earlier entry.
    static func isDeferred(annotations: [String: String], name: String, earlier: [(String, [String: String])]) -> Bool {
        if annotations[CAPI.deferUpgradeAnnotation] != nil || annotations[CAPI.holdUpgradeSequenceAnnotation] != nil { return true }
        for (n, a) in earlier {
            if a[CAPI.holdUpgradeSequenceAnnotation] != nil { return true }
            if n == name { return false }
        }
        return false
    }
}
