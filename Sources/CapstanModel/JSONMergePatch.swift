/// RFC 7386 JSON Merge Patch: apply a patch, or compute the patch that turns one value into another.
public enum JSONMergePatch {
    /// Applies `patch` to `target` (RFC 7386 §2): maps merge recursively, `null` removes a key,
    /// anything else replaces the target wholesale.
    public static func apply(_ patch: Value, to target: Value) -> Value {
        guard case .map(let p) = patch else { return patch }
        var result: ObjectMap
        if case .map(let t) = target { result = t } else { result = ObjectMap() }
        for entry in p {
            if entry.value.isNull {
                result.removeValue(forKey: entry.key)
            } else {
                let current = result[entry.key] ?? .null
                result[entry.key] = apply(entry.value, to: current)
            }
        }
        return .map(result)
    }

    /// The merge patch that turns `source` into `target`, or nil when they are equal.
    /// Lists are replaced wholesale, as merge patches require. A `null` inside `target` cannot be
    /// expressed by a merge patch (it means "remove"), which is RFC 7386's own limitation.
    public static func diff(from source: Value, to target: Value) -> Value? {
        guard case .map(let s) = source, case .map(let t) = target else {
            return source == target ? nil : target
        }
        var patch = ObjectMap()
        for entry in s where !t.contains(entry.key) {
            patch[entry.key] = .null
        }
        for entry in t {
            if let old = s[entry.key] {
                if let sub = diff(from: old, to: entry.value) { patch[entry.key] = sub }
            } else {
                patch[entry.key] = entry.value
            }
        }
        return patch.isEmpty ? nil : .map(patch)
    }
}
