import CapstanModel

extension Conversion {
    /// `ClusterSpec` v1beta1 → v1beta2. `topology.rolloutAfter` has no v1beta2 field and is dropped, as
    /// is `variables[].definitionFrom`.
    static func clusterSpec(_ s: Value) -> Value {
        map([
            ("paused", s.member("paused")),
            ("clusterNetwork", s.member("clusterNetwork")),
            ("controlPlaneEndpoint", s.member("controlPlaneEndpoint")),
            ("controlPlaneRef", contractRef(s["controlPlaneRef"])),
            ("infrastructureRef", contractRef(s["infrastructureRef"])),
            ("topology", s.member("topology").map(topology)),
            ("availabilityGates", s.member("availabilityGates")),
        ])
    }

    static func topology(_ t: Value) -> Value {
        let classRef = nonEmpty(map([("name", t["class"]), ("namespace", t.member("classNamespace"))]))
        let mds = t[path: ["workers", "machineDeployments"]]?.listValue.map { Value.list($0.map(machineDeploymentTopology)) }
        let mps = t[path: ["workers", "machinePools"]]?.listValue.map { Value.list($0.map(machinePoolTopology)) }
        return map([
            ("classRef", classRef),
            ("version", t["version"]),
            ("controlPlane", t.member("controlPlane").map(controlPlaneTopology)),
            ("workers", nonEmpty(map([("machineDeployments", mds), ("machinePools", mps)]))),
            ("variables", t["variables"]?.listValue.map { Value.list($0.map(clusterVariable)) }),
        ])
    }

    static func clusterVariable(_ v: Value) -> Value {
        map([("name", v["name"]), ("value", v["value"])])
    }

    static func overrides(_ v: Value?) -> Value? {
        guard let list = v?["overrides"]?.listValue else { return nil }
        return .map(["overrides": .list(list.map(clusterVariable))])
    }

    /// A topology `machineHealthCheck{enable, ...}` → `healthCheck{enabled, checks, remediation}`.
    static func topologyHealthCheck(_ v: Value?, maxInFlight: Value? = nil) -> Value? {
        guard v != nil || maxInFlight != nil else { return nil }
        return healthCheck(v, maxInFlight: maxInFlight, enabled: v?["enable"])
    }

    static func controlPlaneTopology(_ cp: Value) -> Value {
        map([
            ("metadata", cp.member("metadata")),
            ("replicas", cp.member("replicas")),
            ("rollout", cp.member("rollout")),
            ("healthCheck", topologyHealthCheck(cp.member("machineHealthCheck"))),
            ("deletion", deletion(cp)),
            ("taints", cp.member("taints")),
            ("readinessGates", cp.member("readinessGates")),
            ("variables", overrides(cp["variables"])),
        ])
    }

    static func machineDeploymentTopology(_ md: Value) -> Value {
        let strategy = md["strategy"] ?? .map([:])
        let rollingUpdate = nonEmpty(map([
            ("maxUnavailable", strategy[path: ["rollingUpdate", "maxUnavailable"]]),
            ("maxSurge", strategy[path: ["rollingUpdate", "maxSurge"]]),
        ]))
        let rolloutStrategy = nonEmpty(map([("type", strategy["type"]), ("rollingUpdate", rollingUpdate)]))
        let rollout = nonEmpty(map([("after", md[path: ["rollout", "after"]]), ("strategy", rolloutStrategy)]))
        return map([
            ("metadata", md.member("metadata")),
            ("class", md["class"]),
            ("name", md["name"]),
            ("failureDomain", md.member("failureDomain")),
            ("replicas", md.member("replicas")),
            ("healthCheck", topologyHealthCheck(md.member("machineHealthCheck"), maxInFlight: strategy[path: ["remediation", "maxInFlight"]])),
            ("deletion", deletion(md, order: strategy[path: ["rollingUpdate", "deletePolicy"]])),
            ("taints", md.member("taints")),
            ("minReadySeconds", md.member("minReadySeconds")),
            ("readinessGates", md.member("readinessGates")),
            ("rollout", rollout),
            ("variables", overrides(md["variables"])),
        ])
    }

    static func machinePoolTopology(_ mp: Value) -> Value {
        map([
            ("metadata", mp.member("metadata")),
            ("class", mp["class"]),
            ("name", mp["name"]),
            ("failureDomains", mp.member("failureDomains")),
            ("deletion", deletion(mp)),
            ("taints", mp.member("taints")),
            ("minReadySeconds", mp.member("minReadySeconds")),
            ("replicas", mp.member("replicas")),
            ("variables", overrides(mp["variables"])),
        ])
    }
}
