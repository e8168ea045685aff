public import CapstanModel

/// Removes what the API server and controllers write, so that two versions of an object compare on what a
/// user or the renderer decides: `metadata.uid`, `resourceVersion`, `generation`, `creationTimestamp`,
/// `managedFields`, `selfLink`, deletion markers, `status`, the `kubectl.kubernetes.io/last-applied-configuration`
/// annotation (it repeats the whole object, Secret values included), and owner-reference uids that are the
/// renderer's placeholder (`00000000-0000-0000-0000-000000000000`, written until the Cluster exists).
public enum Normalizer {
    /// The uid the renderer writes into owner references before the Cluster is live.
    public static let placeholderUID = "00000000-0000-0000-0000-000000000000"
    /// The annotation `kubectl apply` writes; it holds a full copy of the object.
    public static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    static let serverMetadata: Set<String> = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// The object without server-managed fields.
    public static func normalize(_ object: KubeObject) -> KubeObject {
        KubeObject(normalize(object.body))
    }

    /// The body without server-managed fields (nulls inside maps are dropped too: they mean "unset").
    public static func normalize(_ body: Value) -> Value {
        guard case .map(var top) = body else { return body }
        top.removeValue(forKey: "status")
        if case .map(var meta)? = top["metadata"] {
            for key in serverMetadata { meta.removeValue(forKey: key) }
            if case .map(var annotations)? = meta["annotations"] {
                annotations.removeValue(forKey: lastAppliedAnnotation)
                if annotations.isEmpty { meta.removeValue(forKey: "annotations") } else { meta["annotations"] = .map(annotations) }
            }
            if case .list(let refs)? = meta["ownerReferences"] {
                meta["ownerReferences"] = .list(refs.map { ref in
                    guard case .map(var r) = ref, r["uid"]?.stringValue == placeholderUID else { return ref }
                    r.removeValue(forKey: "uid")
                    return .map(r)
                })
            }
            top["metadata"] = .map(meta)
        }
        return dropNulls(.map(top))
    }

    /// Copies real owner-reference uids from `live` into `desired` where `desired` carries the placeholder
    /// (matched by kind and name), so a render made before the Cluster existed compares equal to the live object.
    public static func resolvePlaceholderOwners(_ desired: KubeObject, from live: KubeObject) -> KubeObject {
        guard case .list(let refs)? = desired.body[path: ["metadata", "ownerReferences"]],
              refs.contains(where: { $0["uid"]?.stringValue == placeholderUID }) else { return desired }
        let liveRefs = live.body[path: ["metadata", "ownerReferences"]]?.listValue ?? []
        var out = desired
        out.body[path: ["metadata", "ownerReferences"]] = .list(refs.map { ref in
            guard case .map(var r) = ref, r["uid"]?.stringValue == placeholderUID else { return ref }
            if let match = liveRefs.first(where: { $0["kind"] == r["kind"] && $0["name"] == r["name"] }), let uid = match["uid"] {
                r["uid"] = uid
            }
            return .map(r)
        })
        return out
    }

    static func dropNulls(_ v: Value) -> Value {
        switch v {
        case .map(let m):
            var out = ObjectMap()
            for e in m where !e.value.isNull { out.append(key: e.key, value: dropNulls(e.value)) }
            return .map(out)
        case .list(let l):
            return .list(l.map(dropNulls))
        default:
            return v
        }
    }
}
