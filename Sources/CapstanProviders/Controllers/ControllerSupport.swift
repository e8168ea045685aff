import CapstanCluster
import CapstanModel

extension ReconcileContext {
    /// Ensures finalizer, cluster-name label and (when `owner` is given) an owner reference in one write;
    /// returns the object as stored (nil when it vanished).
    func ensureMetadata(_ obj: KubeObject, finalizer: String?, cluster: String?, owner: OwnerReference? = nil) async throws -> KubeObject? {
        try await client.update(obj) { o in
            if let finalizer, !o.finalizers.contains(finalizer) { o.finalizers.append(finalizer) }
            if let cluster, o.labels[CAPI.Label.clusterName] != cluster { o.labels[CAPI.Label.clusterName] = cluster }
            if let owner, !o.ownerReferences.contains(where: { $0.uid == owner.uid }) {
                o.ownerReferences.append(owner)
            }
        }
    }

    /// Removes a finalizer (the object goes away once it was the last one).
    func removeFinalizer(_ obj: KubeObject, _ finalizer: String) async throws {
        try await client.update(obj) { $0.finalizers.removeAll { $0 == finalizer } }
    }

    /// Writes status fields and the controller's conditions (other writers' conditions are kept; unchanged
    /// conditions keep their transition time). Skips the write when nothing changes.
    @discardableResult
    func writeStatus(_ obj: KubeObject, conditions: [Condition], _ fields: (inout Value) -> Void = { _ in }) async throws -> KubeObject? {
        let now = self.now, generation = obj.generation
        return try await client.updateStatus(obj) { status in
            fields(&status)
            status["observedGeneration"] = generation.map(Value.int)
            Conditions.set(conditions, in: &status, now: now, generation: generation)
        }
    }

    /// The object a contract reference points to (the kind is tracked as `role` first): from the cache once
    /// the kind's informer has listed it, else read from the management cluster.
    func referenced(_ ref: ContractRef?, namespace: String, role: KindRole) async throws -> KubeObject? {
        guard let ref else { return nil }
        track(ref.gvk, as: role)
        if manager.isListed(ref.groupKind) { return cache.get(ref.groupKind, namespace: namespace, name: ref.name) }
        return try await client.get(ref.gvk, namespace: namespace, name: ref.name)
    }
}

/// Replica counters over a set of machines, as MachineSet/MachineDeployment/KubeadmControlPlane report them.
struct ReplicaCounts: Sendable, Hashable {
    var replicas = 0
    var ready = 0
    var available = 0
    var upToDate = 0

    init(_ machines: [KubeObject]) {
        for m in machines {
            replicas += 1
            if Conditions.isTrue(m, ConditionType.ready) { ready += 1 }
            if Conditions.isTrue(m, ConditionType.available) { available += 1 }
            if Conditions.isTrue(m, ConditionType.upToDate) { upToDate += 1 }
        }
    }

    /// Writes `replicas`, `readyReplicas`, `availableReplicas`, `upToDateReplicas`.
    func write(into status: inout Value) {
        status["replicas"] = .int(Int64(replicas))
        status["readyReplicas"] = .int(Int64(ready))
        status["availableReplicas"] = .int(Int64(available))
        status["upToDateReplicas"] = .int(Int64(upToDate))
    }
}

/// Machine predicates shared by the controllers.
enum MachineState {
    static func isReady(_ m: KubeObject) -> Bool { Conditions.isTrue(m, ConditionType.ready) }
    static func isAvailable(_ m: KubeObject) -> Bool { Conditions.isTrue(m, ConditionType.available) }
    static func hasNode(_ m: KubeObject) -> Bool { !(m.string("status", "nodeRef", "name") ?? "").isEmpty }
    static func version(_ m: KubeObject) -> String { m.string("spec", "version") ?? "" }
    /// The version a machine runs: during an in-place update its node's kubelet version, else `spec.version`.
    static func effectiveVersion(_ m: KubeObject) -> String {
        if m.annotations[CAPI.Annotation.updateInProgress] != nil, let v = m.string("status", "nodeInfo", "kubeletVersion"), !v.isEmpty { return v }
        return version(m)
    }
    static func isControlPlane(_ m: KubeObject) -> Bool { m.labels[CAPI.Label.controlPlane] != nil }
    /// Marked for remediation by a MachineHealthCheck (OwnerRemediated False).
    static func needsRemediation(_ m: KubeObject) -> Bool { Conditions.isFalse(m, ConditionType.ownerRemediated) }
    static func provisioned(_ m: KubeObject) -> Bool { m.bool("status", "initialization", "infrastructureProvisioned") == true }

    /// Versions and how many machines run each, sorted by version (`status.versions`).
    static func versions(_ machines: [KubeObject]) -> Value {
        var counts: [String: Int] = [:]
        for m in machines { counts[version(m), default: 0] += 1 }
        let sorted = counts.keys.sorted { (KubeVersion($0) ?? KubeVersion(major: 0, minor: 0, patch: 0)) < (KubeVersion($1) ?? KubeVersion(major: 0, minor: 0, patch: 0)) }
        return .list(sorted.filter { !$0.isEmpty }.map { .map(["version": .string($0), "replicas": .int(Int64(counts[$0]!))]) })
    }
}

/// Summaries used by several controllers' conditions.
enum Summary {
    /// A `…MachinesReady`-style condition over machines.
    static func machinesReady(_ type: String, _ machines: [KubeObject]) -> Condition {
        if machines.isEmpty { return Condition(type, .true, reason: ConditionReason.noReplicas) }
        let notReady = machines.filter { !MachineState.isReady($0) }
        if notReady.isEmpty { return Condition(type, .true, reason: ConditionReason.ready) }
        return Condition(type, .false, reason: ConditionReason.notReady, message: listMessage(notReady, "not ready"))
    }

    /// A `…MachinesUpToDate`-style condition over machines.
    static func machinesUpToDate(_ type: String, _ machines: [KubeObject]) -> Condition {
        if machines.isEmpty { return Condition(type, .true, reason: ConditionReason.noReplicas) }
        let stale = machines.filter { !Conditions.isTrue($0, ConditionType.upToDate) }
        if stale.isEmpty { return Condition(type, .true, reason: ConditionReason.upToDate) }
        return Condition(type, .false, reason: ConditionReason.notUpToDate, message: listMessage(stale, "not up-to-date"))
    }

    /// `* Machine a, b, … is not ready`, at most three names.
    static func listMessage(_ objs: [KubeObject], _ what: String) -> String {
        let names = objs.map(\.name).sorted()
        let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", … (\(names.count - 3) more)" : "")
        return "* \(objs.first?.kind ?? "Object")\(names.count > 1 ? "s" : "") \(shown) \(names.count > 1 ? "are" : "is") \(what)"
    }

    /// The Remediating condition over machines marked by health checks.
    static func remediating(_ machines: [KubeObject]) -> Condition {
        let marked = machines.filter(MachineState.needsRemediation)
        if marked.isEmpty { return Condition(ConditionType.remediating, .false, reason: ConditionReason.notRemediating) }
        return Condition(ConditionType.remediating, .true, reason: ConditionReason.remediating, message: listMessage(marked, "to be remediated"))
    }

    /// The Deleting condition of an object not being deleted.
    static var notDeleting: Condition { Condition(ConditionType.deleting, .false, reason: ConditionReason.notDeleting) }

    /// The Paused condition.
    static func paused(_ isPaused: Bool) -> Condition {
        Condition(ConditionType.paused, isPaused ? .true : .false, reason: isPaused ? ConditionReason.paused : ConditionReason.notPaused)
    }
}
