import CapstanModel

/// v1beta1 → v1beta2 conversion of Cluster API core objects, done on JSON the way
/// api/core/v1beta1/conversion.go maps fields: the topology controller only ever sees v1beta2.
enum Conversion {
    /// Converts a ClusterClass or Cluster at `cluster.x-k8s.io/v1beta1`; other objects are returned unchanged.
    static func toV1Beta2(_ object: KubeObject) -> KubeObject {
        guard object.apiVersion == CAPI.apiVersionV1Beta1 else { return object }
        var out = object
        out.apiVersion = CAPI.apiVersion
        out.body["status"] = nil
        switch object.kind {
        case "ClusterClass": out.spec = clusterClassSpec(object.spec ?? .map([:]))
        case "Cluster": out.spec = clusterSpec(object.spec ?? .map([:]))
        default: return object
        }
        return out
    }

    // MARK: Shared pieces

    /// Builds a map from pairs, dropping nil values (omitempty).
    static func map(_ pairs: [(String, Value?)]) -> Value {
        var m = ObjectMap()
        for (k, v) in pairs { if let v { m[k] = v } }
        return .map(m)
    }

    /// A map, or nil when it ended up empty.
    static func nonEmpty(_ v: Value) -> Value? { (v.mapValue?.isEmpty ?? true) ? nil : v }

    /// `ObjectReference` → `ClusterClassTemplateReference{apiVersion, kind, name}` (namespace dropped).
    static func templateRef(_ ref: Value?) -> Value? {
        guard let ref, ref.mapValue != nil else { return nil }
        return nonEmpty(map([("kind", ref["kind"]), ("name", ref["name"]), ("apiVersion", ref["apiVersion"])]))
    }

    /// `ObjectReference` → `ContractVersionedObjectReference{apiGroup, kind, name}`.
    static func contractRef(_ ref: Value?) -> Value? {
        guard let ref, ref.mapValue != nil else { return nil }
        let gvk = GroupVersionKind(apiVersion: ref["apiVersion"]?.stringValue ?? "", kind: ref["kind"]?.stringValue ?? "")
        return nonEmpty(map([("kind", ref["kind"]), ("name", ref["name"]), ("apiGroup", gvk.group.isEmpty ? nil : .string(gvk.group))]))
    }

    static func seconds(_ v: Value?) -> Value? {
        guard let s = v?.stringValue, let secs = GoDuration.convertToSeconds(s) else { return nil }
        return .int(secs)
    }

    /// `nodeDrainTimeout`-style duration fields → `deletion.*Seconds`, plus an optional deletion order.
    static func deletion(_ v: Value, order: Value? = nil) -> Value? {
        nonEmpty(map([
            ("order", order),
            ("nodeDrainTimeoutSeconds", seconds(v["nodeDrainTimeout"])),
            ("nodeVolumeDetachTimeoutSeconds", seconds(v["nodeVolumeDetachTimeout"])),
            ("nodeDeletionTimeoutSeconds", seconds(v["nodeDeletionTimeout"])),
        ]))
    }

    static func conditions(_ v: Value?) -> Value? {
        guard let list = v?.listValue else { return nil }
        return .list(list.map { c in
            map([("type", c["type"]), ("status", c["status"]), ("timeoutSeconds", seconds(c["timeout"]))])
        })
    }

    /// `MachineHealthCheckClass` → `{checks, remediation}`; `maxInFlight` lands in remediation when given.
    static func healthCheck(_ mhc: Value?, maxInFlight: Value? = nil, enabled: Value? = nil) -> Value? {
        let m = mhc ?? .map([:])
        let checks = nonEmpty(map([
            ("nodeStartupTimeoutSeconds", seconds(m["nodeStartupTimeout"])),
            ("unhealthyNodeConditions", conditions(m["unhealthyConditions"])),
            ("unhealthyMachineConditions", conditions(m["unhealthyMachineConditions"])),
        ]))
        let triggerIf = nonEmpty(map([("unhealthyLessThanOrEqualTo", m["maxUnhealthy"]), ("unhealthyInRange", m["unhealthyRange"])]))
        let remediation = nonEmpty(map([("maxInFlight", maxInFlight), ("triggerIf", triggerIf), ("templateRef", templateRef(m["remediationTemplate"]))]))
        return nonEmpty(map([("enabled", enabled), ("checks", checks), ("remediation", remediation)]))
    }

    static func naming(_ v: Value?) -> Value? {
        guard let t = v?["template"] else { return nil }
        return .map(["template": t])
    }
}
