import CapstanCluster
import CapstanModel

/// The secrets of a workload cluster that Cluster API keeps in the management cluster: certificate
/// authorities (`<cluster>-ca`, `-etcd`, `-sa`, `-proxy`) and the admin kubeconfig (`<cluster>-kubeconfig`),
/// each of type `cluster.x-k8s.io/secret` and labelled with the cluster name (control-plane contract,
/// "Cluster kubeconfig management" and "Cluster certificate management").
///
/// The key material is simulated: deterministic bytes derived from the cluster's uid in PEM armour, not
/// parseable X.509 (nothing in Capstan dials the workload cluster). Secret values never leave the store.
enum ClusterSecrets {
    static let certificatePurposes = ["ca", "etcd", "sa", "proxy"]

    /// Creates the named certificate secrets that do not exist yet, owned by `owner`.
    static func ensureCertificates(_ purposes: [String], cluster: KubeObject, owner: KubeObject, _ ctx: ReconcileContext) async throws {
        for purpose in purposes {
            let name = "\(cluster.name)-\(purpose)"
            if try await ctx.client.get(CAPI.Kind.secret, namespace: cluster.namespace, name: name) != nil { continue }
            var secret = base(name: name, cluster: cluster, owner: owner)
            let seed = "\(cluster.uid ?? cluster.name)/\(purpose)"
            secret.body["data"] = .map([
                "tls.crt": .string(Base64.encode(Array(SimulatedPKI.pem("CERTIFICATE", seed: seed + "/crt").utf8))),
                "tls.key": .string(Base64.encode(Array(SimulatedPKI.pem("PRIVATE KEY", seed: seed + "/key").utf8))),
            ])
            _ = try await ctx.client.createIfAbsent(secret)
        }
    }

    /// Creates `<cluster>-kubeconfig` (admin access to the endpoint) unless it exists.
    static func ensureKubeconfig(cluster: KubeObject, owner: KubeObject, endpoint: (host: String, port: Int64), _ ctx: ReconcileContext) async throws {
        let name = "\(cluster.name)-kubeconfig"
        if try await ctx.client.get(CAPI.Kind.secret, namespace: cluster.namespace, name: name) != nil { return }
        let seed = "\(cluster.uid ?? cluster.name)"
        let ca = Base64.encode(Array(SimulatedPKI.pem("CERTIFICATE", seed: seed + "/ca/crt").utf8))
        let user = "\(cluster.name)-admin", context = "\(user)@\(cluster.name)"
        let kubeconfig: Value = [
            "apiVersion": "v1", "kind": "Config",
            "clusters": [["name": .string(cluster.name), "cluster": [
                "server": .string("https://\(endpoint.host):\(endpoint.port)"), "certificate-authority-data": .string(ca)]]],
            "contexts": [["name": .string(context), "context": ["cluster": .string(cluster.name), "user": .string(user)]]],
            "current-context": .string(context),
            "users": [["name": .string(user), "user": [
                "client-certificate-data": .string(Base64.encode(Array(SimulatedPKI.pem("CERTIFICATE", seed: seed + "/admin/crt").utf8))),
                "client-key-data": .string(Base64.encode(Array(SimulatedPKI.pem("PRIVATE KEY", seed: seed + "/admin/key").utf8))),
            ]]],
        ]
        var secret = base(name: name, cluster: cluster, owner: owner)
        secret.body["data"] = .map(["value": .string(Base64.encode(Array(JSON.serializePretty(kubeconfig).utf8)))])
        _ = try await ctx.client.createIfAbsent(secret)
    }

    private static func base(name: String, cluster: KubeObject, owner: KubeObject) -> KubeObject {
        var s = KubeObject(apiVersion: "v1", kind: "Secret", namespace: cluster.namespace, name: name)
        s.labels = [CAPI.Label.clusterName: cluster.name]
        s.ownerReferences = [.controller(owner)]
        s.body["type"] = .string(CAPI.secretType)
        return s
    }
}

/// Simulated key material: deterministic pseudo-random bytes in PEM armour.
enum SimulatedPKI {
    static func pem(_ label: String, seed: String, length: Int = 96) -> String {
        var state = Hashing.fnv1a64(seed)
        var bytes: [UInt8] = []
        while bytes.count < length {
            let v = NameGenerator.splitMix(&state)
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        return "-----BEGIN \(label)-----\n" + Base64.encode(Array(bytes.prefix(length))) + "\n-----END \(label)-----\n"
    }

    /// A kubeadm bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`) derived from a seed.
    static func bootstrapToken(seed: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var state = Hashing.fnv1a64(seed)
        var out = ""
        for i in 0..<22 {
            if i == 6 { out.append(".") }
            out.append(alphabet[Int(NameGenerator.splitMix(&state) % UInt64(alphabet.count))])
        }
        return out
    }
}

/// Standard base64 (RFC 4648 with padding), as Secret `data` values are encoded.
enum Base64 {
    private static let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes standard base64 (whitespace ignored); nil when malformed.
    static func decode(_ text: String) -> [UInt8]? {
        var lookup = [UInt8](repeating: 255, count: 256)
        for (i, c) in table.enumerated() { lookup[Int(c)] = UInt8(i) }
        var out: [UInt8] = [], acc: UInt32 = 0, bits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") { break }
            if c == 10 || c == 13 || c == 32 { continue }
            let v = lookup[Int(c)]
            if v == 255 { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
