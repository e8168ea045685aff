import CapstanModel

/// The replica arithmetic of a MachineDeployment rollout, kept pure so it can be checked on its own. It follows
/// the Deployment controller's rolling update: scale the new MachineSet up within `desired + maxSurge` machines,
/// then scale old MachineSets down — first their unavailable machines, then as many as keeps
/// `desired - maxUnavailable` machines available.
struct RolloutPlan: Sendable {
    /// One MachineSet: its key, target replicas (updated by planning) and non-deleting machines.
    struct Set: Sendable {
        var key: ObjectKey
        var replicas: Int
        var machines: [KubeObject]
        var available: Int { machines.filter(MachineState.isAvailable).count }
    }

    var desired: Int
    var maxSurge: Int
    var maxUnavailable: Int
    var newSet = Set(key: ObjectKey(group: "", kind: "", namespace: "", name: ""), replicas: 0, machines: [])
    /// Old MachineSets, oldest first.
    var oldSets: [Set] = []

    init(desired: Int, maxSurge: Int, maxUnavailable: Int) {
        self.desired = desired
        self.maxSurge = maxSurge
        // Both zero would never make progress; Kubernetes then allows one unavailable machine.
        self.maxUnavailable = (maxSurge == 0 && maxUnavailable == 0) ? 1 : maxUnavailable
    }

    mutating func planRollingUpdate() {
        let oldTotal = oldSets.reduce(0) { $0 + $1.replicas }
        if newSet.replicas > desired {
            newSet.replicas = desired
        } else if newSet.replicas < desired {
            let maxTotal = desired + maxSurge, total = newSet.replicas + oldTotal
            if total < maxTotal { newSet.replicas += min(maxTotal - total, desired - newSet.replicas) }
        }
        guard !oldSets.isEmpty else { return }
        let allCount = newSet.replicas + oldTotal
        let minAvailable = desired - maxUnavailable
        let newUnavailable = max(0, newSet.replicas - newSet.available)
        let maxScaledDown = allCount - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return }
        // Unavailable machines of old sets go first: removing them costs no availability.
        var cleaned = 0
        for i in oldSets.indices where cleaned < maxScaledDown {
            let unhealthy = oldSets[i].replicas - oldSets[i].available
            guard unhealthy > 0 else { continue }
            let d = min(maxScaledDown - cleaned, unhealthy)
            oldSets[i].replicas -= d
            cleaned += d
        }
        // Then available ones, keeping minAvailable.
        var budget = min(newSet.available, newSet.replicas) + oldSets.reduce(0) { $0 + min($1.available, $1.replicas) } - minAvailable
        for i in oldSets.indices where budget > 0 && oldSets[i].replicas > 0 {
            let d = min(oldSets[i].replicas, budget)
            oldSets[i].replicas -= d
            budget -= d
        }
    }

    /// OnDelete: old sets keep the machines they still have (users delete them); the new set makes up the rest.
    mutating func planOnDelete() {
        var excess = oldSets.reduce(0) { $0 + $1.machines.count } - desired
        for i in oldSets.indices {
            oldSets[i].replicas = oldSets[i].machines.count
            if excess > 0 {
                let d = min(excess, oldSets[i].replicas)
                oldSets[i].replicas -= d
                excess -= d
            }
        }
        newSet.replicas = max(0, desired - oldSets.reduce(0) { $0 + $1.replicas })
    }
}
