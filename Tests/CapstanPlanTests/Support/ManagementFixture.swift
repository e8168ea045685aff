import CapstanCluster
import CapstanDiff
import CapstanFleet
import CapstanModel
import CapstanPlan

/// Builds a management cluster the way the daemon does: applies the fleet with the embedded server-side
/// apply (Clusters first, then the rendered objects once the Clusters have uids), then simulates what
/// controllers and defaulting write on top.
enum ManagementFixture {
    /// Applies `fleet` to `cluster` with Capstan's field managers.
    static func apply(_ fleet: FleetSnapshot, to cluster: any ManagementCluster) async throws {
        let first = DriftCheck().check(fleet: fleet, live: [])
        // Pass 1: objects from Git, and the Clusters as written (the rendered ones reference objects that
        // do not exist yet, which the renderer would then look for).
        for item in first.intended where item.cluster == nil {
            _ = try await cluster.apply(Normalizer.normalize(item.object), fieldManager: item.manager, force: true)
        }
        for item in first.intended where item.object.kind == "Cluster" && item.cluster != nil {
            _ = try await cluster.apply(fleet.object(item.object.key)!.object, fieldManager: FieldManagers.git, force: true)
        }
        // Pass 2: rendered again against the live Clusters, so owner references carry real uids.
        let live = try await DriftCheck.readLive(cluster, kinds: kinds(of: first.intended))
        let second = DriftCheck().check(fleet: fleet, live: live)
        for item in second.intended where item.cluster != nil && !item.mayBeAbsent {
            _ = try await cluster.apply(Normalizer.normalize(item.object), fieldManager: item.manager, force: true)
        }
    }

    /// What controllers and webhooks write after Capstan applied: status on every rendered object (the
    /// control plane reporting its version), a control-plane endpoint and finalizers on Clusters, defaults on
    /// MachineDeployments and KubeadmControlPlanes, a label added by a controller.
    static func simulateControllers(_ cluster: any ManagementCluster, fleet: FleetSnapshot) async throws {
        let capi = "capi-controller-manager", webhook = "capi-defaulting-webhook"
        for c in try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Cluster")).items {
            _ = try await cluster.patch(c.gvk, namespace: c.namespace, name: c.name, patch: .merge([
                "metadata": ["finalizers": ["cluster.cluster.x-k8s.io"], "labels": ["cluster.x-k8s.io/provider": "infrastructure-docker"]],
                "spec": ["controlPlaneEndpoint": ["host": .string("\(c.name).example.internal"), "port": 6443]],
            ]), fieldManager: capi, subresource: .main)
            _ = try await cluster.patch(c.gvk, namespace: c.namespace, name: c.name, patch: .merge([
                "status": ["phase": "Provisioned", "conditions": [["type": "Available", "status": "True", "reason": "Available", "lastTransitionTime": "2026-01-01T00:00:00Z"]]],
            ]), fieldManager: capi, subresource: .status)
        }
        for cp in try await cluster.list(GroupVersionKind(group: "controlplane.cluster.x-k8s.io", version: "v1beta2", kind: "KubeadmControlPlane")).items {
            _ = try await cluster.patch(cp.gvk, namespace: cp.namespace, name: cp.name, patch: .merge([
                "spec": ["kubeadmConfigSpec": ["format": "cloud-config"], "rollout": ["strategy": ["type": "RollingUpdate"]]],
            ]), fieldManager: webhook, subresource: .main)
            let version = cp.body[path: ["spec", "version"]] ?? .null
            _ = try await cluster.patch(cp.gvk, namespace: cp.namespace, name: cp.name, patch: .merge([
                "status": ["version": version, "replicas": cp.body[path: ["spec", "replicas"]] ?? 1, "readyReplicas": cp.body[path: ["spec", "replicas"]] ?? 1,
                           "initialization": ["controlPlaneInitialized": true]],
            ]), fieldManager: "capi-kubeadm-control-plane-manager", subresource: .status)
        }
        for md in try await cluster.list(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineDeployment")).items {
            // Defaults fill only what is unset (some pools set these in Git).
            var defaults = Value.map([:])
            if md.body[path: ["spec", "template", "spec", "minReadySeconds"]] == nil { defaults[path: ["spec", "template", "spec", "minReadySeconds"]] = 0 }
            if md.body[path: ["spec", "deletion", "order"]] == nil { defaults[path: ["spec", "deletion", "order"]] = "Random" }
            defaults[path: ["spec", "template", "spec", "readinessGates"]] = .list([])
            _ = try await cluster.patch(md.gvk, namespace: md.namespace, name: md.name, patch: .merge(defaults), fieldManager: webhook, subresource: .main)
            _ = try await cluster.patch(md.gvk, namespace: md.namespace, name: md.name, patch: .merge([
                "status": ["replicas": md.body[path: ["spec", "replicas"]] ?? 0, "readyReplicas": md.body[path: ["spec", "replicas"]] ?? 0, "phase": "Running"],
            ]), fieldManager: capi, subresource: .status)
        }
    }

    /// Every kind among `intended` plus the CAPI kinds controllers create.
    static func kinds(of intended: [IntendedObject]) -> [GroupVersionKind] {
        var out = intended.map(\.object.gvk)
        out.append(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "MachineSet"))
        out.append(GroupVersionKind(group: "cluster.x-k8s.io", version: "v1beta2", kind: "Machine"))
        return out
    }
}
