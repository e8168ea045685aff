import CapstanModel

/// `CopyFields` (internal/util/patch/patch.go): copies sub-trees from a patched snapshot into an object,
/// each only when present in the source, then restores preserved fields that existed before.
enum CopyFields {
    typealias Mapping = (from: [String], to: [String])

    static func copy(into dest: inout Value, from src: Value, fields: [Mapping], preserving preserved: [[String]] = []) {
        let kept: [([String], Value)] = preserved.compactMap { p in dest[path: p].map { (p, $0) } }
        for f in fields {
            guard let v = src[path: f.from] else { continue }
            set(&dest, f.to, v)
        }
        for (p, v) in kept where !(dest[path: p].map { $0.isIdentical(to: v) } ?? false) { set(&dest, p, v) }
    }

    /// `unstructured.SetNestedField`: creates (or replaces non-map) intermediate maps.
    static func set(_ dest: inout Value, _ path: [String], _ v: Value) {
        guard let first = path.first else {
            dest = v
            return
        }
        guard case .map(var m) = dest else {
            var fresh: Value = .map([:])
            set(&fresh, path, v)
            dest = fresh
            return
        }
        dest = .null
        if path.count == 1 {
            m[first] = v
        } else {
            var child = m[first] ?? .map([:])
            m[first] = .null
            set(&child, Array(path.dropFirst()), v)
            m[first] = child
        }
        dest = .map(m)
    }

    /// The standard labels and annotations restored after patching.
    static let standardPreserved: [[String]] = [
        ["metadata", "labels", CAPI.clusterNameLabel],
        ["metadata", "labels", CAPI.topologyOwnedLabel],
        ["metadata", "labels", CAPI.deploymentNameLabel],
        ["metadata", "labels", CAPI.poolNameLabel],
        ["metadata", "annotations", CAPI.clonedFromNameAnnotation],
        ["metadata", "annotations", CAPI.clonedFromGroupKindAnnotation],
    ]

    /// `patchObject`: a patched template's `spec.template` back onto an object made from it.
    static let objectFields: [Mapping] = [
        (["spec", "template", "spec"], ["spec"]),
        (["spec", "template", "metadata", "labels"], ["metadata", "labels"]),
        (["spec", "template", "metadata", "annotations"], ["metadata", "annotations"]),
    ]

    /// `patchTemplate`: a patched template back onto a template clone.
    static let templateFields: [Mapping] = [
        (["metadata", "labels"], ["metadata", "labels"]),
        (["metadata", "annotations"], ["metadata", "annotations"]),
        (["spec", "template", "spec"], ["spec", "template", "spec"]),
        (["spec", "template", "metadata", "labels"], ["spec", "template", "metadata", "labels"]),
        (["spec", "template", "metadata", "annotations"], ["spec", "template", "metadata", "annotations"]),
    ]

    /// After each JSON patch document: only these parts of the patched snapshot are kept.
    static let patchedSnapshotFields: [Mapping] = [
        (["spec"], ["spec"]), (["metadata", "labels"], ["metadata", "labels"]), (["metadata", "annotations"], ["metadata", "annotations"]),
    ]
}
