import CapstanModel
import Crypto

/// Names for objects that do not exist yet, made deterministic.
///
/// Upstream draws 5 random characters from `bcdfghjklmnpqrstvwxz2456789` (apimachinery util/rand) for every
/// generated name (internal/topology/names/names.go). We derive them from a SHA-256 of stable inputs
/// (namespace, Cluster name, object role, topology name, and for rotations the new template spec), so a
/// render without live state already shows the names the daemon will create. Live names always win.
struct NameGenerator: Sendable {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)
    static let maxNameLength = 63
    static let randomLength = 5
    static let maxGeneratedNameLength = maxNameLength - randomLength

    let namespace: String
    let clusterName: String

    /// Five alphabet characters derived from the Cluster identity and `parts`.
    func suffix(_ parts: [String]) -> String {
        var input = Array("capstan/names/v1\u{0}\(namespace)\u{0}\(clusterName)".utf8)
        for p in parts {
            input.append(0)
            input.append(contentsOf: p.utf8)
        }
        let digest = Array(SHA256.hash(data: input))
        var out: [UInt8] = []
        for i in 0..<Self.randomLength { out.append(Self.alphabet[Int(digest[i]) % Self.alphabet.count]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `SimpleNameGenerator(prefix)`: the prefix cut to 58 bytes, then the suffix.
    func simpleName(prefix: String, _ parts: [String]) -> String {
        truncated(prefix, to: Self.maxGeneratedNameLength) + suffix(parts)
    }

    /// The template generator: `.cluster.name`, `.random` and the topology data; a result longer than
    /// 63 bytes becomes its first 58 bytes plus a second suffix (as upstream draws a new random string).
    func templateName(_ template: any CompiledTextTemplate, extra: ObjectMap, _ parts: [String]) throws(TemplateFailure) -> String {
        var data = extra
        data["cluster"] = .map(["name": .string(clusterName)])
        data["random"] = .string(suffix(parts))
        let name = try template.execute(TemplateData(json: .map(data)))
        if name.utf8.count > Self.maxNameLength {
            return truncated(name, to: Self.maxGeneratedNameLength) + suffix(parts + ["truncated"])
        }
        return name
    }

    func truncated(_ s: String, to n: Int) -> String {
        s.utf8.count <= n ? s : String(decoding: s.utf8.prefix(n), as: UTF8.self)
    }

    static let defaultInfrastructureTemplate = "{{ .cluster.name }}-{{ .random }}"
    static let defaultControlPlaneTemplate = "{{ .cluster.name }}-{{ .random }}"
    static let defaultMachineDeploymentTemplate = "{{ .cluster.name }}-{{ .machineDeployment.topologyName }}-{{ .random }}"
    static let defaultMachinePoolTemplate = "{{ .cluster.name }}-{{ .machinePool.topologyName }}-{{ .random }}"

    /// Parses a naming template as upstream does (`missingkey=error`, Go builtins only).
    static func parseNamingTemplate(_ text: String) throws(TemplateFailure) -> any CompiledTextTemplate {
        do {
            return try TemplateEngine.parse(text, name: "template name generator", functions: .builtins, missingKeyError: true)
        } catch {
            throw TemplateFailure(message: "parsing template \(GoQuote.quote(text)): \(error.message)")
        }
    }
}
