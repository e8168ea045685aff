import CapstanModel

extension FleetReconciler {
    /// Builds the status summary from the records, the revision's problems, the held deletions and the last
    /// drift check. The one place status is summarised.
    func summarize() -> StatusSummary {
        let state = self.state
        var errors: [String] = []
        var warnings: [String] = []
        for d in (state?.problems ?? []).sorted(by: Self.diagnosticOrder) {
            if d.severity == .error { errors.append(d.description) } else { warnings.append(d.description) }
        }
        let clusterHeld = Set(heldDeletions.compactMap(\.cluster))
        let clusters = records.values.sorted { $0.id < $1.id }.map { r -> StatusSummary.ClusterStatus in
            let o = r.observed ?? ObservedCluster()
            let key = ObjectKey(group: Vocabulary.capiGroup, kind: "Cluster", namespace: r.id.namespace, name: r.id.name)
            var held = r.heldDeletions
            if clusterHeld.contains(key), let h = heldDeletions.first(where: { $0.cluster == key }) { held.insert("Cluster \(r.id): \(Self.reason(h.change))", at: 0) }
            let rolling = r.sequencing || o.workers.contains(where: \.rollingOut) || o.condition("RollingOut")?.status == "True"
            return StatusSummary.ClusterStatus(
                namespace: r.id.namespace, name: r.id.name,
                source: r.location.map { "\($0.file):\($0.line)" }, className: r.className,
                appliedRevision: r.appliedRevision, topologyVersion: r.topologyVersion, controlPlaneVersion: o.controlPlaneVersion,
                phase: o.deleting ? "Deleting" : o.phase, available: o.available, exists: o.exists, deleting: o.deleting,
                removedFromGit: !r.wanted,
                conditions: o.conditions.map { .init(type: $0.type, status: $0.status, reason: $0.reason, message: $0.message) },
                controlPlane: .init(o.controlPlane),
                workers: o.workers.map { .init(name: $0.name, kind: $0.kind, version: $0.version, replicas: .init($0.replicas), rollingOut: $0.rollingOut) },
                rolloutInProgress: rolling,
                upgradePlan: o.upgradePlan.isEmpty ? (r.upgrade?.controlPlaneUpgradePlan ?? []) : o.upgradePlan,
                heldDeletions: held, lastError: r.lastError, warnings: r.warnings)
        }
        let held = heldDeletions.filter { $0.cluster == nil }.map { StatusSummary.Held(object: $0.key.description, reason: Self.reason($0.change)) }
        return StatusSummary(
            fleet: state?.config.fleetName ?? configuration.fleetName, revision: state?.revision.description,
            outcome: lastOutcome?.description ?? "starting", clusters: clusters, errors: errors, warnings: warnings,
            heldDeletions: held, drift: lastDrift)
    }

    static func diagnosticOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case (let x?, let y?): x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a.message < b.message
        }
    }
}

extension StatusSummary.Replicas {
    init(_ r: ObservedCluster.Replicas) {
        self.init(desired: r.desired, ready: r.ready, updated: r.updated, available: r.available)
    }
}
