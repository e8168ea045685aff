import CapstanCluster
import CapstanModel

/// The machine template of a MachineDeployment or MachineSet (`spec.template`) and what identifies it.
///
/// Machine immutability: a change to a field in `identity` (version, bootstrap and infrastructure template
/// references, a bootstrap data secret, the failure domain) means new machines; the in-place fields
/// (`minReadySeconds`, `readinessGates`, `deletion`, `taints`) and the template's labels and annotations
/// propagate to existing machines.
enum MachineTemplate {
    static let inPlaceSpecFields = ["minReadySeconds", "readinessGates", "deletion", "taints"]

    /// The fields whose change replaces machines.
    static func identity(_ spec: Value?) -> Value {
        var m = ObjectMap()
        let spec = spec ?? .map([:])
        if let v = spec["version"] { m["version"] = v }
        if let r = ContractRef(spec[path: ["bootstrap", "configRef"]]) { m["bootstrap"] = .map(["configRef": r.value]) }
        if let s = spec[path: ["bootstrap", "dataSecretName"]] { m["dataSecretName"] = s }
        if let r = ContractRef(spec["infrastructureRef"]) { m["infrastructureRef"] = r.value }
        if let f = spec["failureDomain"] { m["failureDomain"] = f }
        return .map(m)
    }

    /// A short, label-safe hash of a template identity (and a rollout trigger time when one has passed).
    static func hash(_ spec: Value?, rolloutAfter: String? = nil) -> String {
        var text = JSON.serialize(identity(spec), sortKeys: true)
        if let rolloutAfter { text += "|" + rolloutAfter }
        return Hashing.safeEncode(Hashing.fnv1a64(text), length: 10)
    }

    /// A label value for `name` (Kubernetes label values are at most 63 characters): the name itself, or a
    /// hash of it when too long (as Cluster API's `MustFormatValue`).
    static func labelValue(_ name: String) -> String {
        if name.utf8.count <= 63 { return name }
        return "hash_" + Hashing.safeEncode(Hashing.fnv1a64(name), length: 16) + "_z"
    }
}

/// Small deterministic hashes.
enum Hashing {
    /// FNV-1a, 64 bits.
    static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// Kubernetes' `rand.SafeEncodeString` alphabet (no vowels, no look-alike characters).
    static func safeEncode(_ value: UInt64, length: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var v = value, out = ""
        for _ in 0..<length {
            out.append(alphabet[Int(v % UInt64(alphabet.count))])
            v /= UInt64(alphabet.count)
            if v == 0 { v = value &* 0x9E37_79B9_7F4A_7C15 | 1 }
        }
        return out
    }
}
