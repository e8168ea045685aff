import CapstanModel

/// Checks on incoming objects, with Kubernetes' field paths and wording.
enum ObjectValidation {
    /// apiVersion, kind, name (or generateName) and namespace against the kind's scope.
    static func identity(_ obj: KubeObject, info: KindInfo?, allowGenerateName: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        if obj.body.mapValue == nil { return [FieldError(.invalid, field: "<root>", detail: "an object must be a map")] }
        if obj.apiVersion.isEmpty { errs.append(FieldError(.required, field: "apiVersion", detail: "must not be empty")) }
        if obj.kind.isEmpty { errs.append(FieldError(.required, field: "kind", detail: "must not be empty")) }
        if obj.name.isEmpty {
            if !allowGenerateName || (obj.generateName ?? "").isEmpty {
                errs.append(FieldError(.required, field: "metadata.name", detail: "name or generateName is required"))
            }
        } else {
            let problems = obj.kind == "Namespace" && obj.gvk.group.isEmpty
                ? KubeNames.dns1123LabelErrors(obj.name) : KubeNames.dns1123SubdomainErrors(obj.name)
            for p in problems { errs.append(FieldError(.invalid, field: "metadata.name", value: .string(obj.name), detail: p)) }
        }
        if let info {
            if info.namespaced && obj.namespace.isEmpty {
                errs.append(FieldError(.required, field: "metadata.namespace", detail: "\(info.kind) is namespaced"))
            } else if !info.namespaced && !obj.namespace.isEmpty {
                errs.append(FieldError(.forbidden, field: "metadata.namespace", detail: "not allowed on this type"))
            }
        }
        if !obj.namespace.isEmpty {
            for p in KubeNames.dns1123LabelErrors(obj.namespace) {
                errs.append(FieldError(.invalid, field: "metadata.namespace", value: .string(obj.namespace), detail: p))
            }
        }
        return errs
    }

    /// Labels, annotations, finalizers and owner references of an object about to be stored; fields equal to
    /// the stored version's (`previous`) were checked when it was stored and are skipped.
    static func metadata(_ obj: KubeObject, previous: KubeObject? = nil) -> [FieldError] {
        var errs: [FieldError] = []
        let meta = obj.metadata, old = previous?.metadata
        for field in ["labels", "annotations"] {
            guard let v = meta[field], !v.isNull, old?[field] != v else { continue }
            guard case .map(let m) = v else {
                errs.append(FieldError(.invalid, field: "metadata.\(field)", value: v, detail: "must be a map of strings"))
                continue
            }
            for e in m {
                for p in KubeNames.qualifiedNameErrors(e.key) {
                    errs.append(FieldError(.invalid, field: "metadata.\(field)", value: .string(e.key), detail: p))
                }
                guard let s = e.value.stringValue else {
                    errs.append(FieldError(.invalid, field: "metadata.\(field).\(e.key)", value: e.value, detail: "must be a string"))
                    continue
                }
                if field == "labels" {
                    for p in KubeNames.labelValueErrors(s) {
                        errs.append(FieldError(.invalid, field: "metadata.labels", value: .string(s), detail: p))
                    }
                }
            }
        }
        if let v = meta["finalizers"], !v.isNull, old?["finalizers"] != v {
            if case .list(let items) = v {
                for (i, item) in items.enumerated() {
                    guard let s = item.stringValue else {
                        errs.append(FieldError(.invalid, field: "metadata.finalizers[\(i)]", value: item, detail: "must be a string"))
                        continue
                    }
                    for p in KubeNames.qualifiedNameErrors(s) {
                        errs.append(FieldError(.invalid, field: "metadata.finalizers[\(i)]", value: item, detail: p))
                    }
                }
            } else {
                errs.append(FieldError(.invalid, field: "metadata.finalizers", value: v, detail: "must be a list of strings"))
            }
        }
        if let v = meta["ownerReferences"], !v.isNull, old?["ownerReferences"] != v {
            guard case .list(let items) = v else {
                return errs + [FieldError(.invalid, field: "metadata.ownerReferences", value: v, detail: "must be a list")]
            }
            var controllers = 0
            for (i, item) in items.enumerated() {
                let path = "metadata.ownerReferences[\(i)]"
                for f in ["apiVersion", "kind", "name", "uid"] where (item[f]?.stringValue ?? "").isEmpty {
                    errs.append(FieldError(.required, field: "\(path).\(f)", detail: "\(f) must not be empty"))
                }
                if item["controller"]?.boolValue == true { controllers += 1 }
            }
            if controllers > 1 {
                errs.append(FieldError(.invalid, field: "metadata.ownerReferences", value: v, detail: "Only one reference can have Controller set to true"))
            }
        }
        return errs
    }

    /// Whether anything outside `metadata` and `status` (and the type fields) differs: what bumps `generation`.
    static func specChanged(_ a: KubeObject, _ b: KubeObject) -> Bool {
        let ignored: Set<String> = ["apiVersion", "kind", "metadata", "status"]
        let am = a.body.mapValue ?? [:], bm = b.body.mapValue ?? [:]
        for e in am where !ignored.contains(e.key) { if bm[e.key] != e.value { return true } }
        for e in bm where !ignored.contains(e.key) && am[e.key] == nil { return true }
        return false
    }
}
