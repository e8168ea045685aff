import CapstanCluster
import CapstanModel

/// The ClusterResourceSet controller (`capi-clusterresourceset`): for every Cluster its selector matches
/// (same namespace; an empty selector matches none), once the control plane is initialized, "applies" the
/// listed ConfigMaps and Secrets to the workload cluster and records each in the cluster's
/// ClusterResourceSetBinding (hash, applied, time). `ApplyOnce` applies a resource once; `Reconcile`
/// re-applies when its hash changes. The simulated workload cluster keeps no copy: the binding is the record.
struct ClusterResourceSetController: Reconciler {
    let name = "capi-clusterresourceset"
    var primary: KindSelector { .kind(CAPI.Kind.clusterResourceSet) }

    var watches: [Watch] {
        [Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
            guard e.previous.map(Self.clusterFacts) != Self.clusterFacts(e.object) else { return [] }
            return cache.all(CAPI.Kind.clusterResourceSet.groupKind, namespace: e.object.namespace).map(\.key)
        }]
    }

    static func clusterFacts(_ c: KubeObject) -> String {
        "\(c.labels.sorted { $0.key < $1.key })|\(c.bool("status", "initialization", "controlPlaneInitialized") ?? false)|\(c.isDeleting)"
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard var crs = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name) else { return .done }
        let bindings = ctx.cache.all(CAPI.Kind.clusterResourceSetBinding.groupKind, namespace: crs.namespace)
        if crs.isDeleting {
            for b in bindings { try await removeEntry(crs, from: b, ctx) }
            try await ctx.removeFinalizer(crs, CAPI.Finalizer.clusterResourceSet)
            return .done
        }
        guard let c = try await ctx.ensureMetadata(crs, finalizer: CAPI.Finalizer.clusterResourceSet, cluster: nil) else { return .done }
        crs = c
        let selectorValue = crs.body[path: ["spec", "clusterSelector"]] ?? .map([:])
        let selector = try? LabelSelector(value: selectorValue)
        let clusters = (selector?.isEmpty ?? true) ? [] : ctx.cache.all(CAPI.Kind.cluster.groupKind, namespace: crs.namespace)
            .filter { !$0.isDeleting && selector!.matches($0) }

        // Resolve resources.
        var resources: [(name: String, kind: String, hash: String)] = []
        var missing: [String] = []
        for r in crs.body[path: ["spec", "resources"]]?.listValue ?? [] {
            guard let name = r["name"]?.stringValue, let kind = r["kind"]?.stringValue else { continue }
            let gvk = kind == "Secret" ? CAPI.Kind.secret : CAPI.Kind.configMap
            guard let obj = try await ctx.client.get(gvk, namespace: crs.namespace, name: name) else {
                missing.append("\(kind) \(name)")
                continue
            }
            let data: Value = .map(["data": obj.body["data"] ?? .map([:]), "binaryData": obj.body["binaryData"] ?? .map([:])])
            resources.append((name, kind, "sha256:" + SHA256.hex(Array(JSON.serialize(data, sortKeys: true).utf8))))
        }
        let reconcileStrategy = crs.string("spec", "strategy") == "Reconcile"
        var applied = 0
        for cluster in clusters where cluster.bool("status", "initialization", "controlPlaneInitialized") == true {
            try await apply(crs, to: cluster, resources: resources, reconcile: reconcileStrategy, ctx)
            applied += 1
        }
        let ok = missing.isEmpty
        try await ctx.writeStatus(crs, conditions: [
            Condition(ConditionType.resourcesApplied, ok, reason: ok ? ConditionReason.applied : ConditionReason.notApplied,
                      message: ok ? "" : "Failed to get \(missing.joined(separator: ", "))"),
        ])
        return .done
    }

    /// Records the resources as applied in the cluster's binding (created, owned by the set, on first use).
    private func apply(_ crs: KubeObject, to cluster: KubeObject, resources: [(name: String, kind: String, hash: String)],
                       reconcile: Bool, _ ctx: ReconcileContext) async throws {
        var binding = ctx.cache.get(CAPI.Kind.clusterResourceSetBinding.groupKind, namespace: cluster.namespace, name: cluster.name)
        if binding == nil {
            var b = KubeObject(apiVersion: CAPI.Kind.clusterResourceSetBinding.apiVersion, kind: "ClusterResourceSetBinding",
                               namespace: cluster.namespace, name: cluster.name)
            b.labels = [CAPI.Label.clusterName: cluster.name]
            b.ownerReferences = [.owner(crs)]
            b.spec = .map(["clusterName": .string(cluster.name), "bindings": .list([])])
            binding = try await ctx.client.createIfAbsent(b).object
        }
        guard let binding else { return }
        let now = ctx.now.description
        try await ctx.client.update(binding) { b in
            if !b.isOwned(by: crs.uid) { b.ownerReferences.append(.owner(crs)) }
            var list = b.body[path: ["spec", "bindings"]]?.listValue ?? []
            var index = list.firstIndex { $0["clusterResourceSetName"]?.stringValue == crs.name }
            if index == nil {
                list.append(.map(["clusterResourceSetName": .string(crs.name), "resources": .list([])]))
                index = list.count - 1
            }
            var entries = list[index!]["resources"]?.listValue ?? []
            for r in resources {
                let existing = entries.firstIndex { $0["name"]?.stringValue == r.name && $0["kind"]?.stringValue == r.kind }
                if let existing, entries[existing]["applied"]?.boolValue == true,
                   !reconcile || entries[existing]["hash"]?.stringValue == r.hash { continue }
                let entry: Value = .map(["name": .string(r.name), "kind": .string(r.kind), "hash": .string(r.hash),
                                         "lastAppliedTime": .string(now), "applied": true])
                if let existing { entries[existing] = entry } else { entries.append(entry) }
            }
            list[index!]["resources"] = .list(entries)
            b.body[path: ["spec", "bindings"]] = .list(list)
        }
    }

    private func removeEntry(_ crs: KubeObject, from binding: KubeObject, _ ctx: ReconcileContext) async throws {
        guard binding.isOwned(by: crs.uid) || binding.body[path: ["spec", "bindings"]]?.listValue?.contains(where: { $0["clusterResourceSetName"]?.stringValue == crs.name }) == true
        else { return }
        try await ctx.client.update(binding) { b in
            b.ownerReferences.removeAll { $0.uid == crs.uid }
            let list = (b.body[path: ["spec", "bindings"]]?.listValue ?? []).filter { $0["clusterResourceSetName"]?.stringValue != crs.name }
            b.body[path: ["spec", "bindings"]] = .list(list)
        }
    }
}

/// The ClusterResourceSetBinding controller (`capi-clusterresourcesetbinding`): deletes a binding once its
/// Cluster is deleting or gone.
struct ClusterResourceSetBindingController: Reconciler {
    let name = "capi-clusterresourcesetbinding"
    var primary: KindSelector { .kind(CAPI.Kind.clusterResourceSetBinding) }
    var watches: [Watch] {
        [Watch(source: .kind(CAPI.Kind.cluster)) { e, _ in
            guard e.type == .deleted || e.object.isDeleting else { return [] }
            return [ObjectKey(group: CAPI.addonsGroup, kind: "ClusterResourceSetBinding", namespace: e.object.namespace, name: e.object.name)]
        }]
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard let binding = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name), !binding.isDeleting else { return .done }
        let clusterName = binding.string("spec", "clusterName") ?? binding.name
        let cluster = ctx.cache.get(CAPI.Kind.cluster.groupKind, namespace: binding.namespace, name: clusterName)
        if cluster == nil || cluster!.isDeleting { try await ctx.client.delete(binding) }
        return .done
    }
}
