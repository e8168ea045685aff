import CapstanModel

/// The two ways the topology controller turns a ClusterClass template into a Cluster's object
/// (exp/topology/desiredstate/desired_state.go `templateToObject`/`templateToTemplate`,
/// controllers/external/util.go `GenerateTemplate`).
enum TemplateClone {
    /// Owner reference to the Cluster, exactly as internal/topology/ownerrefs writes it.
    static func ownerReference(clusterName: String, uid: String) -> Value {
        .map(["apiVersion": .string(CAPI.apiVersion), "kind": "Cluster", "name": .string(clusterName), "uid": .string(uid)])
    }

    /// `cloned-from-groupkind`: `Kind.group`, or `Kind` for the core group.
    static func groupKind(_ apiVersion: String, _ kind: String) -> String {
        GroupVersionKind(apiVersion: apiVersion, kind: kind).groupKind.description
    }

    /// template → object: `spec.template` becomes the object; labels/annotations are the template's,
    /// then the caller's, then the topology ones.
    static func toObject(
        template: KubeObject, clonedFromName: String, namespace: String, clusterName: String, name: String,
        labels: [String: String] = [:], annotations: [String: String]? = nil, ownerReference: Value? = nil
    ) -> KubeObject {
        var body: ObjectMap = (template.body[path: ["spec", "template"]]?.mapValue) ?? ObjectMap()
        var meta = body["metadata"]?.mapValue ?? ObjectMap()
        for k in ["resourceVersion", "finalizers", "uid", "selfLink"] { meta[k] = nil }
        var ann = Metadata.stringMap(meta["annotations"]) ?? [:]
        for (k, v) in annotations ?? [:] { ann[k] = v }
        ann[CAPI.clonedFromNameAnnotation] = clonedFromName
        ann[CAPI.clonedFromGroupKindAnnotation] = groupKind(template.apiVersion, template.kind)
        var lbl = Metadata.stringMap(meta["labels"]) ?? [:]
        for (k, v) in labels { lbl[k] = v }
        lbl[CAPI.clusterNameLabel] = clusterName
        lbl[CAPI.topologyOwnedLabel] = ""
        meta["name"] = .string(name)
        meta["namespace"] = .string(namespace)
        meta["labels"] = stringMapValue(lbl)
        meta["annotations"] = stringMapValue(ann)
        if let ownerReference { meta["ownerReferences"] = .list([ownerReference]) }
        body["metadata"] = nil
        var out = ObjectMap()
        out["apiVersion"] = body["apiVersion"] ?? .string(template.apiVersion)
        var kind = template.kind
        if kind.hasSuffix(CAPI.templateSuffix) { kind.removeLast(CAPI.templateSuffix.count) }
        out["kind"] = body["kind"] ?? .string(kind)
        out["metadata"] = .map(orderedMetadata(meta))
        for e in body where e.key != "apiVersion" && e.key != "kind" { out[e.key] = e.value }
        return KubeObject(.map(out))
    }

    /// template → template: the whole template object with topology labels, cloned-from annotations and
    /// exactly one owner reference (the Cluster), moved to the Cluster namespace.
    static func toTemplate(
        template: KubeObject, clonedFromName: String, namespace: String, clusterName: String, name: String,
        extraLabels: [String: String] = [:], ownerReference: Value?
    ) -> KubeObject {
        var meta = template.metadata.mapValue ?? ObjectMap()
        for k in ["resourceVersion", "finalizers", "uid", "selfLink", "creationTimestamp", "managedFields", "generation", "generateName"] {
            meta[k] = nil
        }
        var lbl = Metadata.stringMap(meta["labels"]) ?? [:]
        lbl[CAPI.clusterNameLabel] = clusterName
        lbl[CAPI.topologyOwnedLabel] = ""
        for (k, v) in extraLabels { lbl[k] = v }
        var ann = Metadata.stringMap(meta["annotations"]) ?? [:]
        ann[CAPI.clonedFromNameAnnotation] = clonedFromName
        ann[CAPI.clonedFromGroupKindAnnotation] = groupKind(template.apiVersion, template.kind)
        ann[CAPI.lastAppliedAnnotation] = nil
        meta["labels"] = stringMapValue(lbl)
        meta["annotations"] = stringMapValue(ann)
        meta["ownerReferences"] = ownerReference.map { .list([$0]) }
        meta["name"] = .string(name)
        meta["namespace"] = .string(namespace)
        var out = ObjectMap()
        out["apiVersion"] = .string(template.apiVersion)
        out["kind"] = .string(template.kind)
        out["metadata"] = .map(orderedMetadata(meta))
        for e in template.body.mapValue ?? ObjectMap() where !["apiVersion", "kind", "metadata", "status"].contains(e.key) {
            out[e.key] = e.value
        }
        return KubeObject(.map(out))
    }

    /// Metadata with name and namespace first, then labels, annotations, owner references, the rest.
    static func orderedMetadata(_ m: ObjectMap) -> ObjectMap {
        var out = ObjectMap()
        for k in ["name", "namespace", "labels", "annotations", "ownerReferences"] { if let v = m[k] { out[k] = v } }
        for e in m where out[e.key] == nil { out[e.key] = e.value }
        return out
    }
}
