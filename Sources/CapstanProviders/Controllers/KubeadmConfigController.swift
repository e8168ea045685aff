import CapstanCluster
import CapstanModel

/// The kubeadm bootstrap provider (`capi-kubeadmconfig`): turns each KubeadmConfig into a bootstrap-data
/// Secret (cloud-init) for the Machine or MachinePool that owns it — kubeadm `init` for the first
/// control-plane machine while the control plane is not initialized, `join` for every other — and reports
/// `status.dataSecretName`, `status.initialization.dataSecretCreated` and the Ready/DataSecretAvailable
/// conditions (bootstrap-config contract v1beta2).
struct KubeadmConfigController: Reconciler {
    let name = "capi-kubeadmconfig"
    var primary: KindSelector { .kind(CAPI.Kind.kubeadmConfig) }

    var watches: [Watch] {
        [
            // A config waits for its owner to exist; later owner changes do not concern it.
            Watch(source: .kind(CAPI.Kind.machine)) { e, _ in
                e.type == .added ? Self.configKey(e.object, path: ["spec", "bootstrap", "configRef"]) : []
            },
            Watch(source: .kind(CAPI.Kind.machinePool)) { e, _ in
                e.type == .added ? Self.configKey(e.object, path: ["spec", "template", "spec", "bootstrap", "configRef"]) : []
            },
            // Configs wait for the cluster infrastructure and for the control plane to initialize.
            Watch(source: .kind(CAPI.Kind.cluster)) { e, cache in
                guard e.previous.map(Self.clusterFacts) != Self.clusterFacts(e.object) else { return [] }
                return cache.list(CAPI.Kind.kubeadmConfig.groupKind, cluster: ClusterID(namespace: e.object.namespace, name: e.object.name))
                    .filter { $0.bool("status", "initialization", "dataSecretCreated") != true }.map(\.key)
            },
        ]
    }

    static func configKey(_ owner: KubeObject, path: [String]) -> [ObjectKey] {
        guard let ref = ContractRef(owner.body[path: path]), ref.groupKind == CAPI.Kind.kubeadmConfig.groupKind else { return [] }
        return [ref.key(namespace: owner.namespace)]
    }

    static func clusterFacts(_ c: KubeObject) -> String {
        "\(c.bool("status", "initialization", "infrastructureProvisioned") ?? false)|\(c.bool("status", "initialization", "controlPlaneInitialized") ?? false)|\(c.string("spec", "controlPlaneEndpoint", "host") ?? "")"
    }

    func reconcile(_ key: ObjectKey, _ ctx: ReconcileContext) async throws -> ReconcileResult {
        guard let config = ctx.cache.get(key.groupKind, namespace: key.namespace, name: key.name), !config.isDeleting else { return .done }
        if config.bool("status", "initialization", "dataSecretCreated") == true { return .done }
        func waiting(_ message: String) async throws -> ReconcileResult {
            try await ctx.writeStatus(config, conditions: [
                Condition(ConditionType.ready, .false, reason: ConditionReason.notReady, message: message),
                Condition(ConditionType.dataSecretAvailable, .false, reason: ConditionReason.notAvailable, message: message),
            ])
            return .done
        }
        guard let ownerRef = config.ownerReferences.first(where: { $0.kind == "Machine" || $0.kind == "MachinePool" }),
              let owner = ctx.cache.get(GroupKind(group: CAPI.group, kind: ownerRef.kind), namespace: config.namespace, name: ownerRef.name)
        else { return try await waiting("Waiting for the Machine or MachinePool controller to set the owner reference") }
        guard let cluster = ctx.cluster(owner.clusterID) else { return try await waiting("Waiting for the Cluster to exist") }
        if CAPI.isPaused(config, cluster: cluster) { return .done }
        guard cluster.bool("status", "initialization", "infrastructureProvisioned") == true else {
            return try await waiting("Waiting for Cluster infrastructure to be provisioned")
        }
        let isControlPlane = owner.kind == "Machine" && MachineState.isControlPlane(owner)
        let initialized = cluster.bool("status", "initialization", "controlPlaneInitialized") == true
        let mode: CloudInit.Mode
        if initialized {
            mode = .join(controlPlane: isControlPlane)
        } else if isControlPlane && config.body[path: ["spec", "joinConfiguration"]] == nil {
            mode = .initialize
        } else {
            return try await waiting("Waiting for the control plane to be initialized")
        }
        let version = owner.kind == "Machine" ? owner.string("spec", "version") : owner.string("spec", "template", "spec", "version")
        let data = CloudInit.render(mode, config: config, cluster: cluster, version: version ?? "")

        var secret = KubeObject(apiVersion: "v1", kind: "Secret", namespace: config.namespace, name: config.name)
        secret.labels = [CAPI.Label.clusterName: cluster.name]
        secret.ownerReferences = [.controller(config)]
        secret.body["type"] = .string(CAPI.secretType)
        secret.body["data"] = .map(["value": .string(Base64.encode(Array(data.utf8))), "format": .string(Base64.encode(Array("cloud-config".utf8)))])
        if try await ctx.client.get(CAPI.Kind.secret, namespace: secret.namespace, name: secret.name) == nil {
            _ = try await ctx.client.createIfAbsent(secret)
        }

        try await ctx.writeStatus(config, conditions: [
            Condition(ConditionType.ready, .true, reason: ConditionReason.ready),
            Condition(ConditionType.dataSecretAvailable, .true, reason: ConditionReason.available),
            Condition(ConditionType.certificatesAvailable, .true, reason: ConditionReason.available),
        ]) { status in
            status["dataSecretName"] = .string(secret.name)
            status["initialization"] = .map(["dataSecretCreated": true])
        }
        return .done
    }
}

/// The cloud-init document a KubeadmConfig becomes: the kubeadm configuration written to
/// `/run/kubeadm/kubeadm.yaml` (as JSON, which is YAML) and the `kubeadm init|join` command.
enum CloudInit {
    enum Mode: Equatable {
        case initialize
        case join(controlPlane: Bool)
    }

    static func render(_ mode: Mode, config: KubeObject, cluster: KubeObject, version: String) -> String {
        let spec = config.spec ?? .map([:])
        let host = cluster.string("spec", "controlPlaneEndpoint", "host") ?? ""
        let port = cluster.int("spec", "controlPlaneEndpoint", "port") ?? 6443
        let endpoint = "\(host):\(port)"
        var documents: [Value] = []
        switch mode {
        case .initialize:
            var clusterConfig = spec["clusterConfiguration"] ?? .map([:])
            clusterConfig["apiVersion"] = "kubeadm.k8s.io/v1beta4"
            clusterConfig["kind"] = "ClusterConfiguration"
            clusterConfig["kubernetesVersion"] = .string(version)
            clusterConfig["controlPlaneEndpoint"] = .string(endpoint)
            clusterConfig["clusterName"] = .string(cluster.name)
            var initConfig = spec["initConfiguration"] ?? .map([:])
            initConfig["apiVersion"] = "kubeadm.k8s.io/v1beta4"
            initConfig["kind"] = "InitConfiguration"
            documents = [clusterConfig, initConfig]
        case .join(let controlPlane):
            var joinConfig = spec["joinConfiguration"] ?? .map([:])
            joinConfig["apiVersion"] = "kubeadm.k8s.io/v1beta4"
            joinConfig["kind"] = "JoinConfiguration"
            joinConfig["discovery"] = .map(["bootstrapToken": .map([
                "apiServerEndpoint": .string(endpoint),
                "token": .string(SimulatedPKI.bootstrapToken(seed: "\(cluster.uid ?? cluster.name)/\(config.name)")),
                "caCertHashes": .list([.string("sha256:" + String(Hashing.fnv1a64("\(cluster.uid ?? cluster.name)/ca"), radix: 16))]),
            ])])
            if controlPlane, joinConfig["controlPlane"] == nil { joinConfig["controlPlane"] = .map([:]) }
            if !controlPlane { joinConfig["controlPlane"] = nil }
            documents = [joinConfig]
        }
        let kubeadmYAML = documents.map { "---\n" + JSON.serializePretty($0) }.joined(separator: "\n")
        let command = mode == .initialize ? "kubeadm init --config /run/kubeadm/kubeadm.yaml" : "kubeadm join --config /run/kubeadm/kubeadm.yaml"
        var lines = ["## template: jinja", "#cloud-config", "write_files:", "- path: /run/kubeadm/kubeadm.yaml", "  owner: root:root",
                     "  permissions: '0640'", "  content: |"]
        lines += kubeadmYAML.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        lines += ["runcmd:", "  - '\(command) && echo success > /run/cluster-api/bootstrap-success.complete'"]
        for extra in spec["preKubeadmCommands"]?.listValue ?? [] {
            if let c = extra.stringValue { lines.insert("  - \(JSON.serialize(.string(c)))", at: lines.count - 1) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
