import CapstanModel

extension Conversion {
    /// `ClusterClassSpec` v1beta1 → v1beta2 (table in docs/rendering.md).
    static func clusterClassSpec(_ s: Value) -> Value {
        let cp = s["controlPlane"] ?? .map([:])
        let controlPlane = nonEmpty(map([
            ("metadata", cp.member("metadata")),
            ("templateRef", templateRef(cp["ref"])),
            ("machineInfrastructure", templateRef(cp[path: ["machineInfrastructure", "ref"]]).map { .map(["templateRef": $0]) }),
            ("healthCheck", healthCheck(cp.member("machineHealthCheck"))),
            ("naming", naming(cp["namingStrategy"])),
            ("deletion", deletion(cp)),
            ("taints", cp.member("taints")),
            ("readinessGates", cp.member("readinessGates")),
        ]))
        let infrastructure = nonEmpty(map([
            ("templateRef", templateRef(s[path: ["infrastructure", "ref"]])),
            ("naming", naming(s["infrastructureNamingStrategy"])),
        ]))
        let mds = s[path: ["workers", "machineDeployments"]]?.listValue.map { Value.list($0.map(machineDeploymentClass)) }
        let mps = s[path: ["workers", "machinePools"]]?.listValue.map { Value.list($0.map(machinePoolClass)) }
        let workers = nonEmpty(map([("machineDeployments", mds), ("machinePools", mps)]))
        let variables = s["variables"]?.listValue.map { Value.list($0.map(classVariable)) }
        let patches = s["patches"]?.listValue.map { Value.list($0.map(classPatch)) }
        return map([
            ("availabilityGates", s.member("availabilityGates")),
            ("infrastructure", infrastructure),
            ("controlPlane", controlPlane),
            ("workers", workers),
            ("variables", variables),
            ("patches", patches),
            ("upgrade", s.member("upgrade")),
            ("kubernetesVersions", s.member("kubernetesVersions")),
        ])
    }

    static func machineDeploymentClass(_ md: Value) -> Value {
        let strategy = md["strategy"] ?? .map([:])
        let rollingUpdate = nonEmpty(map([
            ("maxUnavailable", strategy[path: ["rollingUpdate", "maxUnavailable"]]),
            ("maxSurge", strategy[path: ["rollingUpdate", "maxSurge"]]),
        ]))
        let rolloutStrategy = nonEmpty(map([("type", strategy["type"]), ("rollingUpdate", rollingUpdate)]))
        return map([
            ("metadata", md[path: ["template", "metadata"]].flatMap { $0.isNull ? nil : $0 }),
            ("class", md["class"]),
            ("bootstrap", templateRef(md[path: ["template", "bootstrap", "ref"]]).map { .map(["templateRef": $0]) }),
            ("infrastructure", templateRef(md[path: ["template", "infrastructure", "ref"]]).map { .map(["templateRef": $0]) }),
            ("healthCheck", healthCheck(md.member("machineHealthCheck"), maxInFlight: strategy[path: ["remediation", "maxInFlight"]])),
            ("failureDomain", md.member("failureDomain")),
            ("naming", naming(md["namingStrategy"])),
            ("deletion", deletion(md, order: strategy[path: ["rollingUpdate", "deletePolicy"]])),
            ("taints", md.member("taints")),
            ("minReadySeconds", md.member("minReadySeconds")),
            ("readinessGates", md.member("readinessGates")),
            ("rollout", rolloutStrategy.map { .map(["strategy": $0]) }),
        ])
    }

    static func machinePoolClass(_ mp: Value) -> Value {
        map([
            ("metadata", mp[path: ["template", "metadata"]].flatMap { $0.isNull ? nil : $0 }),
            ("class", mp["class"]),
            ("bootstrap", templateRef(mp[path: ["template", "bootstrap", "ref"]]).map { .map(["templateRef": $0]) }),
            ("infrastructure", templateRef(mp[path: ["template", "infrastructure", "ref"]]).map { .map(["templateRef": $0]) }),
            ("failureDomains", mp.member("failureDomains")),
            ("naming", naming(mp["namingStrategy"])),
            ("deletion", deletion(mp)),
            ("taints", mp.member("taints")),
            ("minReadySeconds", mp.member("minReadySeconds")),
        ])
    }

    static func classVariable(_ v: Value) -> Value {
        map([
            ("name", v["name"]),
            ("required", v["required"]),
            ("deprecatedV1Beta1Metadata", v.member("metadata")),
            ("schema", v["schema"]),
        ])
    }

    static func classPatch(_ p: Value) -> Value {
        var out = p
        if let ext = p.member("external") {
            out["external"] = map([
                ("generatePatchesExtension", ext["generateExtension"]),
                ("validateTopologyExtension", ext["validateExtension"]),
                ("discoverVariablesExtension", ext["discoverVariablesExtension"]),
                ("settings", ext["settings"]),
            ])
        }
        return out
    }
}
