/// Generates a realistic fleet manifest stream: CAPI clusters with their control planes, machine
/// deployments and templates, and workload Deployments and ConfigMaps (nested maps, lists, multi-line
/// strings, numbers, bools), deterministic for a given size.
enum ManifestGenerator {
    static func stream(bytes target: Int) -> String {
        var out = ""
        out.reserveCapacity(target + 8_192)
        var i = 0
        while out.utf8.count < target {
            out += cluster(i)
            i += 1
        }
        return out
    }

    static func documentCount(_ text: String) -> Int {
        text.utf8.split(separator: UInt8(ascii: "\n")).filter { $0.elementsEqual("---".utf8) }.count
    }

    /// One cluster's worth of objects (about 9 KB).
    static func cluster(_ i: Int) -> String {
        let name = "cluster-\(i)"
        let ns = "fleet-\(i % 17)"
        let version = "v1.\(28 + i % 4).\(i % 9)"
        return """
            ---
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: Cluster
            metadata:
              name: \(name)
              namespace: \(ns)
              labels:
                env: \(i % 3 == 0 ? "prod" : "staging")
                region: eu-west-\(i % 3 + 1)
                cluster.x-k8s.io/cluster-name: \(name)
              annotations:
                capstan.io/owner: team-\(i % 11)
                description: "Cluster \(i): serves tenant workloads, reviewed 2024-0\(i % 9 + 1)-1\(i % 9)"
            spec:
              clusterNetwork:
                pods:
                  cidrBlocks: [192.168.0.0/16]
                services:
                  cidrBlocks: ["10.\(i % 200).0.0/16"]
                serviceDomain: cluster.local
              topology:
                class: quick-start
                version: \(version)
                controlPlane:
                  replicas: \(i % 2 == 0 ? 3 : 1)
                  metadata:
                    labels: {tier: control-plane}
                workers:
                  machineDeployments:
                  - class: default-worker
                    name: md-0
                    replicas: \(i % 7 + 1)
                    failureDomain: zone-\(i % 3)
                  - class: gpu-worker
                    name: md-gpu
                    replicas: \(i % 3)
                variables:
                - name: imageRepository
                  value: registry.example.com/k8s
                - name: etcdImageTag
                  value: "3.5.\(i % 12)-0"
                - name: kubeletExtraArgs
                  value:
                    max-pods: "\(100 + i % 50)"
                    rotate-server-certificates: "true"
                - name: enableAudit
                  value: \(i % 2 == 0)
                - name: cpuLimit
                  value: \(Double(i % 40) / 4 + 0.25)
            ---
            apiVersion: controlplane.cluster.x-k8s.io/v1beta1
            kind: KubeadmControlPlane
            metadata:
              name: \(name)-cp
              namespace: \(ns)
            spec:
              replicas: 3
              version: \(version)
              machineTemplate:
                infrastructureRef:
                  apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
                  kind: DockerMachineTemplate
                  name: \(name)-cp
                nodeDrainTimeout: 5m0s
              kubeadmConfigSpec:
                clusterConfiguration:
                  apiServer:
                    certSANs: [localhost, 127.0.0.1, 0.0.0.0, host.docker.internal]
                    extraArgs:
                      audit-log-maxage: "30"
                      enable-admission-plugins: NodeRestriction,PodSecurity
                  controllerManager:
                    extraArgs: {enable-hostpath-provisioner: "true"}
                initConfiguration:
                  nodeRegistration:
                    criSocket: unix:///var/run/containerd/containerd.sock
                    kubeletExtraArgs:
                      eviction-hard: nodefs.available<0%,imagefs.available<0%
                files:
                - path: /etc/kubernetes/audit-policy.yaml
                  owner: root:root
                  permissions: "0600"
                  content: |
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    rules:
                    - level: Metadata
                      resources:
                      - group: ""
                        resources: ["secrets", "configmaps"]
                    - level: RequestResponse
                      verbs: ["create", "update", "patch", "delete"]
                - path: /etc/sysctl.d/99-kubernetes.conf
                  content: |
                    net.ipv4.ip_forward = 1
                    net.bridge.bridge-nf-call-iptables = 1
                    fs.inotify.max_user_watches = \(524288 + i)
                preKubeadmCommands:
                - systemctl restart containerd
                - echo "preparing \(name)" > /var/log/capstan.log
                postKubeadmCommands: []
              rolloutStrategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
            ---
            apiVersion: cluster.x-k8s.io/v1beta1
            kind: MachineDeployment
            metadata:
              name: \(name)-md-0
              namespace: \(ns)
              labels:
                cluster.x-k8s.io/cluster-name: \(name)
                topology.cluster.x-k8s.io/deployment-name: md-0
            spec:
              clusterName: \(name)
              replicas: \(i % 7 + 1)
              minReadySeconds: 0
              progressDeadlineSeconds: 600
              revisionHistoryLimit: 1
              selector:
                matchLabels:
                  cluster.x-k8s.io/cluster-name: \(name)
                  cluster.x-k8s.io/deployment-name: \(name)-md-0
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0, deletePolicy: Oldest}
              template:
                metadata:
                  labels:
                    cluster.x-k8s.io/cluster-name: \(name)
                    cluster.x-k8s.io/deployment-name: \(name)-md-0
                spec:
                  clusterName: \(name)
                  version: \(version)
                  failureDomain: zone-\(i % 3)
                  nodeDrainTimeout: 10m
                  bootstrap:
                    configRef:
                      apiVersion: bootstrap.cluster.x-k8s.io/v1beta1
                      kind: KubeadmConfigTemplate
                      name: \(name)-md-0-\(String(i * 7919 % 100_000, radix: 36))
                  infrastructureRef:
                    apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
                    kind: DockerMachineTemplate
                    name: \(name)-md-0-\(String(i * 104_729 % 100_000, radix: 36))
            ---
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
            kind: DockerMachineTemplate
            metadata:
              name: \(name)-md-0
              namespace: \(ns)
            spec:
              template:
                spec:
                  customImage: kindest/node:\(version)
                  extraMounts:
                  - containerPath: /var/run/docker.sock
                    hostPath: /var/run/docker.sock
                    readOnly: false
                  - {containerPath: /lib/modules, hostPath: /lib/modules, readOnly: true}
                  preLoadImages: []
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web-\(i)
              namespace: \(ns)
              labels: {app: web, instance: "\(i)"}
            spec:
              replicas: \(i % 5 + 2)
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                  annotations:
                    prometheus.io/scrape: "true"
                    prometheus.io/port: "9090"
                spec:
                  serviceAccountName: web
                  securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000}
                  containers:
                  - name: web
                    image: registry.example.com/web:1.\(i % 30).\(i % 7)
                    imagePullPolicy: IfNotPresent
                    args: [--port=8080, --log-level=info, "--workers=\(i % 8 + 1)"]
                    ports:
                    - {name: http, containerPort: 8080, protocol: TCP}
                    - {name: metrics, containerPort: 9090, protocol: TCP}
                    env:
                    - name: CLUSTER
                      value: \(name)
                    - name: FEATURE_FLAGS
                      value: "alpha,beta"
                    - name: POD_NAME
                      valueFrom:
                        fieldRef: {fieldPath: metadata.name}
                    resources:
                      requests: {cpu: 100m, memory: 128Mi}
                      limits: {cpu: "\(i % 4 + 1)", memory: \(256 * (i % 4 + 1))Mi}
                    readinessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      initialDelaySeconds: 5
                      periodSeconds: 10
                      timeoutSeconds: 1
                      successThreshold: 1
                      failureThreshold: 3
                  tolerations:
                  - key: node-role.kubernetes.io/control-plane
                    operator: Exists
                    effect: NoSchedule
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config-\(i)
              namespace: \(ns)
            data:
              app.properties: |
                server.port=8080
                server.threads=\(i % 64 + 8)
                cache.ttl.seconds=300
                feature.audit=\(i % 2 == 0)
              nginx.conf: |
                worker_processes auto;
                events { worker_connections 1024; }
                http {
                  server {
                    listen 80;
                    location / { proxy_pass http://127.0.0.1:8080; }
                  }
                }
              ratio: "0.\(i % 100)"
              retries: "\(i % 5)"

            """
    }
}
