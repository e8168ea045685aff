import CapstanModel

/// The part of an object whose fields managers own, per subresource, and how it goes back into a whole object.
///
/// As in the apiserver's field manager, `apiVersion`, `kind` and the server-set metadata (`name`, `namespace`,
/// `uid`, `resourceVersion`, `generation`, `creationTimestamp`, `deletionTimestamp`, `managedFields`, ...) are never
/// owned; the main resource's view drops `status`, the status subresource's view is `status` alone.
enum TrackedView {
    /// Metadata the server sets or that identifies the object; never part of managed fields.
    static let systemMetadata: Set<String> = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ]

    /// Kubernetes' ObjectMeta field order, used when writing metadata back.
    static let metadataOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// The tracked part of `body` for a subresource.
    static func view(of body: Value, _ subresource: Subresource) -> ObjectMap {
        guard case .map(let m) = body else { return [:] }
        var out = ObjectMap()
        switch subresource {
        case .status:
            if let status = m["status"] { out.append(key: "status", value: status) }
        case .main:
            for e in m {
                switch e.key {
                case "apiVersion", "kind", "status": continue
                case "metadata":
                    guard case .map(let meta) = e.value else { continue }
                    let kept = meta.filter { !systemMetadata.contains($0.key) }
                    if !kept.isEmpty { out.append(key: "metadata", value: .map(kept)) }
                default: out.append(key: e.key, value: e.value)
                }
            }
        }
        return out
    }

    /// Drops `null` map entries recursively: an applied configuration's nulls mean "not specified" here.
    static func droppingNulls(_ m: ObjectMap) -> ObjectMap {
        var out = ObjectMap()
        for e in m {
            switch e.value {
            case .null: continue
            case .map(let sub): out.append(key: e.key, value: .map(droppingNulls(sub)))
            default: out.append(key: e.key, value: e.value)
            }
        }
        return out
    }

    /// `base` with its tracked part replaced by `view`: for the main resource, everything but `apiVersion`,
    /// `kind`, system metadata and `status`; for the status subresource, `status` alone. Keys come out in the
    /// order Kubernetes prints them (apiVersion, kind, metadata, ..., status).
    static func compose(base: Value, view: ObjectMap, _ subresource: Subresource) -> Value {
        guard case .map(let b) = base else { return base }
        var out = ObjectMap()
        if let v = b["apiVersion"] { out.append(key: "apiVersion", value: v) }
        if let v = b["kind"] { out.append(key: "kind", value: v) }
        switch subresource {
        case .status:
            out.append(key: "metadata", value: b["metadata"] ?? .map([:]))
            for e in b where !["apiVersion", "kind", "metadata", "status"].contains(e.key) { out.append(key: e.key, value: e.value) }
            if let s = view["status"] { out.append(key: "status", value: s) }
        case .main:
            var meta = ObjectMap()
            if case .map(let bm)? = b["metadata"] { for e in bm where systemMetadata.contains(e.key) { meta.append(key: e.key, value: e.value) } }
            if case .map(let vm)? = view["metadata"] { for e in vm { meta[e.key] = e.value } }
            out.append(key: "metadata", value: .map(ordered(meta)))
            for e in view where e.key != "metadata" && e.key != "status" { out.append(key: e.key, value: e.value) }
            if let s = b["status"] { out.append(key: "status", value: s) }
        }
        return .map(out)
    }

    /// Metadata keys in Kubernetes' order, unknown keys after.
    static func ordered(_ meta: ObjectMap) -> ObjectMap {
        var out = ObjectMap()
        for k in metadataOrder { if let v = meta[k] { out.append(key: k, value: v) } }
        for e in meta where !metadataOrder.contains(e.key) { out.append(key: e.key, value: e.value) }
        return out
    }
}
