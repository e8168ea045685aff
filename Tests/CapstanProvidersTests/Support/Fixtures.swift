import CapstanModel

/// Small builders for the objects a topology Cluster renders into (the shapes Capstan's renderer produces):
/// Cluster, DockerCluster, KubeadmControlPlane, machine templates, MachineDeployments, MachineHealthChecks.
enum Fixtures {
    static let ns = "default"
    static let infraGroup = "infrastructure.cluster.x-k8s.io"

    static func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String = ns, _ body: ObjectMap) -> KubeObject {
        var o = KubeObject(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
        for e in body { o.body[e.key] = e.value }
        return o
    }

    static func ref(_ group: String, _ kind: String, _ name: String) -> Value {
        ["apiGroup": .string(group), "kind": .string(kind), "name": .string(name)]
    }

    /// A cluster with a control plane (`cpReplicas` at `version`) and one MachineDeployment per entry of
    /// `workers` (name suffix → replicas).
    static func cluster(
        _ name: String, version: String = "v1.33.0", cpReplicas: Int = 1, workers: [(String, Int)] = [("md-0", 3)],
        maxSurge: Value = 1, maxUnavailable: Value = 0, labels: [String: String] = [:]
    ) -> [KubeObject] {
        var cluster = object("cluster.x-k8s.io/v1beta2", "Cluster", name, [
            "spec": [
                "clusterNetwork": ["pods": ["cidrBlocks": ["192.168.0.0/16"]]],
                "infrastructureRef": ref(infraGroup, "DockerCluster", name),
                "controlPlaneRef": ref("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "\(name)-cp"),
            ],
        ])
        cluster.labels = labels
        var objs = [cluster, object("infrastructure.cluster.x-k8s.io/v1beta2", "DockerCluster", name, ["spec": [:]])]
        objs.append(machineTemplate("\(name)-cp", cluster: name))
        objs.append(controlPlane("\(name)-cp", cluster: name, replicas: cpReplicas, version: version, template: "\(name)-cp"))
        objs.append(bootstrapTemplate("\(name)-md", cluster: name))
        objs.append(machineTemplate("\(name)-md", cluster: name))
        for (suffix, replicas) in workers {
            objs.append(machineDeployment("\(name)-\(suffix)", cluster: name, replicas: replicas, version: version,
                                          infraTemplate: "\(name)-md", maxSurge: maxSurge, maxUnavailable: maxUnavailable))
        }
        return objs
    }

    static func machineTemplate(_ name: String, cluster: String) -> KubeObject {
        var o = object("infrastructure.cluster.x-k8s.io/v1beta2", "DockerMachineTemplate", name, [
            "spec": ["template": ["spec": ["extraMounts": []]]],
        ])
        o.labels = ["cluster.x-k8s.io/cluster-name": cluster]
        return o
    }

    static func bootstrapTemplate(_ name: String, cluster: String) -> KubeObject {
        var o = object("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfigTemplate", name, [
            "spec": ["template": ["spec": ["joinConfiguration": ["nodeRegistration": ["kubeletExtraArgs": [["name": "eviction-hard", "value": "nodefs.available<0%"]]]]]]],
        ])
        o.labels = ["cluster.x-k8s.io/cluster-name": cluster]
        return o
    }

    static func controlPlane(_ name: String, cluster: String, replicas: Int, version: String, template: String) -> KubeObject {
        object("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane", name, [
            "spec": [
                "replicas": .int(Int64(replicas)), "version": .string(version),
                "machineTemplate": ["spec": ["infrastructureRef": ref(infraGroup, "DockerMachineTemplate", template)]],
                "kubeadmConfigSpec": [
                    "clusterConfiguration": ["apiServer": ["certSANs": ["localhost"]]],
                    "initConfiguration": ["nodeRegistration": [:]],
                    "joinConfiguration": ["nodeRegistration": [:]],
                ],
            ],
        ])
    }

    static func machineDeployment(
        _ name: String, cluster: String, replicas: Int, version: String, infraTemplate: String, maxSurge: Value = 1, maxUnavailable: Value = 0
    ) -> KubeObject {
        let selector: Value = ["cluster.x-k8s.io/cluster-name": .string(cluster), "cluster.x-k8s.io/deployment-name": .string(name)]
        return object("cluster.x-k8s.io/v1beta2", "MachineDeployment", name, [
            "spec": [
                "clusterName": .string(cluster), "replicas": .int(Int64(replicas)),
                "selector": ["matchLabels": selector],
                "rollout": ["strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": maxSurge, "maxUnavailable": maxUnavailable]]],
                "template": [
                    "metadata": ["labels": selector],
                    "spec": [
                        "clusterName": .string(cluster), "version": .string(version),
                        "bootstrap": ["configRef": ref("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate", "\(cluster)-md")],
                        "infrastructureRef": ref(infraGroup, "DockerMachineTemplate", infraTemplate),
                    ],
                ],
            ],
        ])
    }

    static func healthCheck(_ name: String, cluster: String, spec extra: ObjectMap) -> KubeObject {
        var spec: ObjectMap = ["clusterName": .string(cluster), "selector": ["matchLabels": ["cluster.x-k8s.io/deployment-name": .string("\(cluster)-md-0")]]]
        for e in extra { spec[e.key] = e.value }
        return object("cluster.x-k8s.io/v1beta2", "MachineHealthCheck", name, ["spec": .map(spec)])
    }
}
