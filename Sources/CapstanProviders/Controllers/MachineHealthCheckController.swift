import CapstanCluster
import CapstanModel

/// The MachineHealthCheck controller (`capi-machinehealthcheck`): checks the machines its selector targets —
/// node startup timeout, unhealthy node conditions held longer than their timeout, unhealthy machine
/// conditions, a deleted node, the remediate annotation — and, when the number of unhealthy machines is within
/// `remediation.triggerIf` (`unhealthyLessThanOrEqualTo`, or `unhealthyInRange`, which wins), marks them for
/// remediation (`OwnerRemediated=False`); their owner (MachineSet, KubeadmControlPlane) then deletes and
/// replaces them. Machines without an owner controller are deleted by the health check itself.
/// The v1beta1 fields (`maxUnhealthy`, `unhealthyRange`, `nodeStartupTimeout`, `unhealthyConditions`) are read too.
struct MachineHealthCheckController: Reconciler {
    let name = "capi-machinehealthcheck"
    var primary: KindSelector { .kind(CAPI.Kind.machineHealthCheck) }

    var watches: [Watch] {
        let byCluster: @Sendable (ObjectEvent, ObjectCache) -> [ObjectKey] = { e, cache in
            guard let id = e.object.clusterID else { return [] }
            return cache.list(CAPI.Kind.machineHealthCheck.groupKind, cluster: id).map(\.key)
        }
        return [
            Watch(source: .kind(CAPI.Kind.machine)) { e, cache in
                guard let id = e.object.clusterID else { return [] }
                let checks = cache.list(CAPI.Kind.machineHealthCheck.groupKind, cluster: id)
                guard !checks.isEmpty else { return [] }
                if let prev = e.previous, e.type == .modified {
                    let types = Set(checks.flatMap { $0.body[path: ["spec", "checks", "unhealthyMachineConditions"]]?.listValue ?? [] }
                        .compactMap { $0["type"]?.stringValue })
                    if Self.sameHealthFacts(prev, e.object, conditionTypes: types) { return [] }
                }
                return checks.map(\.key)
            },
            Watch(source: .kind(Simulation.nodeKind)) { e, c in
                guard let prev = e.previous, e.type == .modified else { return byCluster(e, c) }
                return prev.body[path: ["status", "conditions"]] != e.object.body[path: ["status", "conditions"]] ? byCluster(e, c) : []
            },
            Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
                cache.list(CAPI.Kind.machineHealthCheck.groupKind, cluster: ClusterID(namespace: e.object.namespace, name: e.object.name)).map(\.key)
            },
        ]
    }

    /// Whether a machine change leaves what a health check looks at unchanged: deletion, labels (selectors),
    /// the remediation annotations, provider ID, node reference, owner, and the conditions its rules name.
    static func sameHealthFacts(_ a: KubeObject, _ b: KubeObject, conditionTypes: Set<String>) -> Bool {
        func meta(_ o: KubeObject, _ path: String...) -> Value? { o.body[path: path] }
        guard a.isDeleting == b.isDeleting, meta(a, "metadata", "labels") == meta(b, "metadata", "labels"),
              a.annotations[CAPI.Annotation.remediateMachine] == b.annotations[CAPI.Annotation.remediateMachine],
              a.annotations[CAPI.Annotation.skipRemediation] == b.annotations[CAPI.Annotation.skipRemediation],
              meta(a, "spec", "providerID") == meta(b, "spec", "providerID"), meta(a, "status", "nodeRef") == meta(b, "status", "nodeRef"),
              a.controllerRef?.uid == b.controllerRef?.uid
        else { return false }
        for t in conditionTypes where Conditions.get(a, t)?.status != Conditions.get(b, t)?.status { return false }
        return true
    }

    /// The outcome of checking one machine.
    enum Health {
        case healthy
        case unhealthy(reason: String, message: String)
        /// Healthy for now; becomes unhealthy at that instant unless something changes.
        case pending(Moment)
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var mhc = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name), !mhc.isDeleting,
              let clusterName = mhc.string("spec", "clusterName") else { return .done }
        let id = ClusterID(namespace: mhc.namespace, name: clusterName)
        guard let cluster = ctx.cluster(id) else { return .done }
        if CAPI.isPaused(mhc, cluster: cluster) { return .done }
        mhc = try await ctx.ensureMetadata(mhc, finalizer: nil, cluster: clusterName, owner: .owner(cluster)) ?? mhc
        let selector = (try? LabelSelector(value: mhc.body[path: ["spec", "selector"]] ?? .map([:]))) ?? LabelSelector(matchLabels: ["": "-"])
        let targets = ctx.cache.list(CAPI.Kind.machine.groupKind, cluster: id).filter { !$0.isDeleting && selector.matches($0) }

        var results: [(KubeObject, Health)] = []
        var next: Moment?
        for m in targets {
            let h = check(m, mhc: mhc, cluster: cluster, ctx)
            if case .pending(let at) = h { next = min(next ?? at, at) }
            results.append((m, h))
        }
        let unhealthy = results.filter { if case .unhealthy = $0.1 { true } else { false } }.count
        let (allowed, remaining, why) = remediationAllowed(mhc, unhealthy: unhealthy, expected: targets.count)

        for (m, h) in results {
            var conditions: [Condition] = []
            switch h {
            case .healthy, .pending:
                conditions.append(Condition(ConditionType.healthCheckSucceeded, .true, reason: ConditionReason.healthCheckSucceeded))
            case .unhealthy(let reason, let message):
                conditions.append(Condition(ConditionType.healthCheckSucceeded, .false, reason: reason, message: message))
                if allowed && m.annotations[CAPI.Annotation.skipRemediation] == nil {
                    if m.controllerRef == nil {
                        try await ctx.client.delete(m)
                        continue
                    }
                    conditions.append(Condition(ConditionType.ownerRemediated, .false, reason: ConditionReason.waitingForRemediation,
                                                message: "Waiting for remediation"))
                }
            }
            let changed = conditions.contains { c in
                let cur = Conditions.get(m, c.type)
                return cur?.status != c.status || cur?.reason != c.reason
            }
            if changed { try await ctx.writeStatus(m, conditions: conditions) }
        }

        let healthy = targets.count - unhealthy
        try await ctx.writeStatus(mhc, conditions: [
            Condition(ConditionType.remediationAllowed, allowed, reason: allowed ? ConditionReason.remediationAllowed : ConditionReason.tooManyUnhealthy, message: why),
        ]) { status in
            status["expectedMachines"] = .int(Int64(targets.count))
            status["currentHealthy"] = .int(Int64(healthy))
            status["remediationsAllowed"] = .int(Int64(remaining))
            status["targets"] = .list(targets.map { .string($0.name) })
        }
        return next.map { .requeue(after: max(.milliseconds(1), $0.since(ctx.now))) } ?? .done
    }

    /// Checks one machine against the health check's rules.
    func check(_ m: KubeObject, mhc: KubeObject, cluster: KubeObject, _ ctx: ReconcileContext) -> Health {
        if m.annotations[CAPI.Annotation.remediateMachine] != nil {
            return .unhealthy(reason: ConditionReason.hasRemediateAnnotation, message: "Marked for remediation via the \(CAPI.Annotation.remediateMachine) annotation")
        }
        let now = ctx.now
        var pending: Moment?
        // Machine conditions.
        for rule in rules(mhc, v1beta2: ["spec", "checks", "unhealthyMachineConditions"], v1beta1: nil) {
            guard let c = Conditions.get(m, rule.type), c.status.rawValue == rule.status, let since = Conditions.since(c) else { continue }
            let at = since.advanced(by: rule.timeout)
            if at <= now { return .unhealthy(reason: ConditionReason.unhealthyMachine, message: "Condition \(rule.type) on Machine is reporting status \(rule.status) for more than \(rule.timeout)") }
            pending = min(pending ?? at, at)
        }
        let nodeName = m.string("status", "nodeRef", "name")
        let node = m.clusterID.flatMap { id in
            WorkloadNodes(ctx: ctx).node(cluster: id, providerID: m.string("spec", "providerID") ?? "")
                ?? nodeName.flatMap { WorkloadNodes(ctx: ctx).node(cluster: id, name: $0) }
        }
        guard let node, !node.isDeleting else {
            if nodeName != nil { return .unhealthy(reason: ConditionReason.nodeDeleted, message: "Node \(nodeName!) has been deleted") }
            let timeout = startupTimeout(mhc, ctx)
            guard timeout > .zero else { return pending.map(Health.pending) ?? .healthy }
            var start = m.body[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.init(rfc3339:)).map(Moment.init) ?? now
            for t in [ConditionType.infrastructureReady] + (MachineState.isControlPlane(m) ? [] : [ConditionType.controlPlaneInitialized]) {
                if let c = Conditions.get(cluster, t), c.isTrue, let since = Conditions.since(c) { start = max(start, since) }
            }
            let at = start.advanced(by: timeout)
            if at <= now { return .unhealthy(reason: ConditionReason.nodeStartupTimeout, message: "Health check failed: Node failed to report startup in \(timeout)") }
            return .pending(min(pending ?? at, at))
        }
        for rule in rules(mhc, v1beta2: ["spec", "checks", "unhealthyNodeConditions"], v1beta1: ["spec", "unhealthyConditions"]) {
            guard let c = node.condition(rule.type), c.status.rawValue == rule.status else { continue }
            let at = (c.since ?? now).advanced(by: rule.timeout)
            if at <= now { return .unhealthy(reason: ConditionReason.unhealthyNode, message: "Condition \(rule.type) on Node is reporting status \(rule.status) for more than \(rule.timeout)") }
            pending = min(pending ?? at, at)
        }
        return pending.map(Health.pending) ?? .healthy
    }

    struct Rule {
        var type: String
        var status: String
        var timeout: Duration
    }

    private func rules(_ mhc: KubeObject, v1beta2: [String], v1beta1: [String]?) -> [Rule] {
        let list = mhc.body[path: v1beta2]?.listValue ?? v1beta1.flatMap { mhc.body[path: $0]?.listValue } ?? []
        return list.compactMap { v in
            guard let type = v["type"]?.stringValue, let status = v["status"]?.stringValue else { return nil }
            let timeout = v["timeoutSeconds"]?.intValue.map { Duration.seconds($0) } ?? v["timeout"]?.stringValue.flatMap(GoDuration.duration) ?? .zero
            return Rule(type: type, status: status, timeout: timeout)
        }
    }

    private func startupTimeout(_ mhc: KubeObject, _ ctx: ReconcileContext) -> Duration {
        if let s = mhc.int("spec", "checks", "nodeStartupTimeoutSeconds") { return .seconds(s) }
        if let d = mhc.string("spec", "nodeStartupTimeout").flatMap(GoDuration.duration) { return d }
        return ctx.config.defaultNodeStartupTimeout
    }

    /// Whether remediation may proceed, how many more remediations are allowed, and why not.
    func remediationAllowed(_ mhc: KubeObject, unhealthy: Int, expected: Int) -> (Bool, Int, String) {
        let range = mhc.string("spec", "remediation", "triggerIf", "unhealthyInRange") ?? mhc.string("spec", "unhealthyRange")
        if let range, let (lo, hi) = Self.parseRange(range) {
            let ok = unhealthy >= lo && unhealthy <= hi
            return (ok, ok ? hi - unhealthy : 0, ok ? "" : "Remediation is not allowed, the number of not started or unhealthy machines does not fall within the range (total: \(expected), unhealthy: \(unhealthy), unhealthyRange: \(range))")
        }
        let limitValue = mhc.body[path: ["spec", "remediation", "triggerIf", "unhealthyLessThanOrEqualTo"]] ?? mhc.body[path: ["spec", "maxUnhealthy"]]
        guard let limit = IntOrPercent(limitValue) else { return (true, max(0, expected - unhealthy), "") }
        let max = limit.scaled(expected, roundUp: false)
        let ok = unhealthy <= max
        return (ok, ok ? max - unhealthy : 0, ok ? "" : "Remediation is not allowed, the number of not started or unhealthy machines exceeds maxUnhealthy (total: \(expected), unhealthy: \(unhealthy), maxUnhealthy: \(limitValue.map { JSON.serialize($0) } ?? ""))")
    }

    /// `[a-b]` → (a, b).
    static func parseRange(_ text: String) -> (Int, Int)? {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let parts = text.dropFirst().dropLast().split(separator: "-").map { $0.split(separator: " ").joined() }
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b else { return nil }
        return (a, b)
    }
}
