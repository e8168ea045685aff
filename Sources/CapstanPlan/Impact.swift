/// What a Cluster's changes mean for its machines, in Cluster API terms.
public struct Impact: Sendable, Hashable {
    public var controlPlane: ControlPlaneImpact?
    public var workers: [WorkerImpact] = []
    public var upgrade: UpgradeImpact?
    /// Set when the Cluster is removed: deleting it destroys its infrastructure.
    public var deletion: DeletionImpact?

    public init() {}

    /// Machines replaced, created and deleted over the whole change (estimates; nil replicas count as 0).
    public var machines: MachineCounts {
        var m = MachineCounts()
        if let cp = controlPlane { m = m + cp.machines }
        for w in workers { m = m + w.machines }
        if let d = deletion { m.deleted += d.machines }
        return m
    }

    /// Nothing machine-related happens.
    public var isEmpty: Bool { controlPlane == nil && workers.isEmpty && upgrade == nil && deletion == nil }
}

/// Numbers of machines affected.
public struct MachineCounts: Sendable, Hashable {
    public var replaced = 0, created = 0, deleted = 0

    public init(replaced: Int = 0, created: Int = 0, deleted: Int = 0) {
        self.replaced = replaced
        self.created = created
        self.deleted = deleted
    }

    public static func + (a: MachineCounts, b: MachineCounts) -> MachineCounts {
        MachineCounts(replaced: a.replaced + b.replaced, created: a.created + b.created, deleted: a.deleted + b.deleted)
    }

    public var isZero: Bool { replaced == 0 && created == 0 && deleted == 0 }
}

/// How machines are replaced when a rollout happens.
public struct RolloutStrategy: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case rollingUpdate = "RollingUpdate"
        case onDelete = "OnDelete"
    }

    public var kind: Kind
    /// Resolved against the replica count (percentages rounded as Kubernetes does: surge up, unavailable down).
    public var maxSurge: Int
    public var maxUnavailable: Int

    public init(kind: Kind, maxSurge: Int, maxUnavailable: Int) {
        self.kind = kind
        self.maxSurge = maxSurge
        self.maxUnavailable = maxUnavailable
    }

    public var description: String {
        kind == .onDelete ? "OnDelete" : "RollingUpdate (maxSurge \(maxSurge), maxUnavailable \(maxUnavailable))"
    }

    /// Rounds of replacement for `replicas` machines: each round brings up to `maxSurge` new machines and
    /// takes down up to `maxUnavailable` old ones before new ones are ready. Nil for OnDelete.
    public func steps(replicas: Int) -> Int? {
        guard kind == .rollingUpdate else { return nil }
        guard replicas > 0 else { return 0 }
        let batch = max(1, maxSurge + maxUnavailable)
        return (replicas + batch - 1) / batch
    }
}

/// Machines replaced by a rollout.
public struct Rollout: Sendable, Hashable {
    /// Machines replaced (nil: the replica count is not set in Git, e.g. an autoscaler owns it).
    public var machines: Int?
    /// Rounds (nil for OnDelete or an unknown count).
    public var steps: Int?
    public var strategy: RolloutStrategy
    /// What triggers it: `version v1.30.6 → v1.31.2`, `infrastructure template rotated (…)`.
    public var reasons: [String]

    public init(machines: Int?, steps: Int?, strategy: RolloutStrategy, reasons: [String]) {
        self.machines = machines
        self.steps = steps
        self.strategy = strategy
        self.reasons = reasons
    }
}

/// What happens to the control plane.
public struct ControlPlaneImpact: Sendable, Hashable {
    public var kind: String
    public var name: String
    public var rollout: Rollout?
    /// Replica change (machines added or removed without replacing others).
    public var scale: Scale?
    /// Changes applied to existing machines without replacing them (labels, annotations, timeouts).
    public var inPlace: [String] = []
    /// The update waits (an upgrade is pending: the control plane keeps its version this pass).
    public var held: String?
    /// Replicas in the head revision.
    public var replicas: Int?

    public init(kind: String, name: String) {
        self.kind = kind
        self.name = name
    }

    public var machines: MachineCounts {
        var m = MachineCounts()
        if let r = rollout?.machines { m.replaced += r }
        if let s = scale { if s.to > s.from { m.created += s.to - s.from } else { m.deleted += s.from - s.to } }
        return m
    }
}

/// A replica change.
public struct Scale: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }
}

/// What happens to one MachineDeployment or MachinePool topology.
public struct WorkerImpact: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case create, delete, rollout, scale, inPlace, held, none
    }

    /// `MachineDeployment` or `MachinePool`.
    public var kind: String
    /// The topology name (`md-0`).
    public var topology: String
    /// The object name (head, else base).
    public var name: String
    public var action: Action
    public var rollout: Rollout?
    public var scale: Scale?
    public var inPlace: [String] = []
    /// Why it waits (pending create or upgrade; defer/hold annotations).
    public var held: String?
    /// Machines created (new pool) or deleted (removed pool).
    public var createdMachines = 0
    public var deletedMachines = 0

    public init(kind: String, topology: String, name: String, action: Action) {
        self.kind = kind
        self.topology = topology
        self.name = name
        self.action = action
    }

    public var machines: MachineCounts {
        var m = MachineCounts(created: createdMachines, deleted: deletedMachines)
        if let r = rollout?.machines { m.replaced += r }
        if let s = scale { if s.to > s.from { m.created += s.to - s.from } else { m.deleted += s.from - s.to } }
        return m
    }
}

/// A Kubernetes version change and the sequence Cluster API follows for it.
public struct UpgradeImpact: Sendable, Hashable {
    public var from: String
    public var to: String
    /// Versions the control plane steps through (the renderer's upgrade plan; ClusterClass
    /// `kubernetesVersions` makes it several steps).
    public var controlPlaneSteps: [String]
    /// Versions the workers step through after the control plane (empty: straight to `to`).
    public var workerSteps: [String]
    /// MachineDeployment/MachinePool topologies in the order they upgrade.
    public var workerOrder: [String]
    /// How many worker topologies upgrade at once (`topology.cluster.x-k8s.io/upgrade-concurrency`).
    public var concurrency: Int
    /// Topologies that do not upgrade until an annotation is removed, with the reason.
    public var deferred: [String: String]
    /// Control-plane machines replaced per step.
    public var controlPlaneReplicas: Int?

    public init(from: String, to: String, controlPlaneSteps: [String], workerSteps: [String], workerOrder: [String], concurrency: Int,
                deferred: [String: String], controlPlaneReplicas: Int?) {
        self.from = from
        self.to = to
        self.controlPlaneSteps = controlPlaneSteps
        self.workerSteps = workerSteps
        self.workerOrder = workerOrder
        self.concurrency = concurrency
        self.deferred = deferred
        self.controlPlaneReplicas = controlPlaneReplicas
    }
}

/// Removing a Cluster from Git.
public struct DeletionImpact: Sendable, Hashable {
    /// Deleting a Cluster deletes its infrastructure; Capstan holds it until approved (docs/plan.md).
    public var requiresApproval: Bool
    public var reason: String
    /// Machines destroyed (control plane + workers, from the base revision's replica counts).
    public var machines: Int

    public init(requiresApproval: Bool, reason: String, machines: Int) {
        self.requiresApproval = requiresApproval
        self.reason = reason
        self.machines = machines
    }
}
