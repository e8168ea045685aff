/// Upgrade bookkeeping for one render (exp/topology/scope/upgradetracker.go).
struct UpgradeTracker: Sendable {
    /// Control-plane flags set while computing its version.
    struct ControlPlane: Sendable {
        var isPendingUpgrade = false
        var isWaitingForWorkersUpgrade = false
        var upgradePlan: [String] = []
        var isProvisioning = false
        var isUpgrading = false
        var isStartingUpgrade = false

        var isStable: Bool { !isProvisioning && !isUpgrading && !isStartingUpgrade && !isPendingUpgrade }
        var isStableOrWaitingForWorkers: Bool {
            !isProvisioning && !isUpgrading && !isStartingUpgrade && !(isPendingUpgrade && !isWaitingForWorkersUpgrade)
        }
    }

    /// MachineDeployment or MachinePool bookkeeping; names are object names except `pendingCreate`
    /// (topology names), as upstream keeps them.
    struct Workers: Sendable {
        var pendingCreate: Set<String> = []
        var pendingUpgrade: Set<String> = []
        var deferred: Set<String> = []
        var upgrading: Set<String> = []
        var upgradePlan: [String] = []
        var maxConcurrency = 1

        var concurrencyReached: Bool { upgrading.count >= maxConcurrency }
        var isAnyUpgrading: Bool { !upgrading.isEmpty }
    }

    var controlPlane = ControlPlane()
    var machineDeployments = Workers()
    var machinePools = Workers()
    var minWorkersVersion = ""

    init(concurrency: Int) {
        machineDeployments.maxConcurrency = max(1, concurrency)
        machinePools.maxConcurrency = max(1, concurrency)
    }
}
