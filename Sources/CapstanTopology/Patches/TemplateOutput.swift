import CapstanModel
import CapstanYAML

/// Reads a rendered patch template back as JSON, as `sigs.k8s.io/yaml.Unmarshal` does: YAML 1.1 typing
/// (go-yaml v2), first document only, duplicate keys last-wins, empty output is null.
enum TemplateOutput {
    static func parse(_ text: String) throws(TopologyError) -> Value {
        do {
            return GoJSONNormalization.normalize(try YAML.parseFirst(text, file: "<template output>", options: .templateOutput), integersViaFloat: false)
        } catch {
            throw TopologyError("failed to unmarshal rendered template: \(GoQuote.quote(text)): error converting YAML to JSON: \(goMessage(error))")
        }
    }

    /// The text sigs.k8s.io/yaml gives: go-yaml's `yaml: line N: <problem>`, or for an infinity/NaN scalar
    /// (which go-yaml accepts) encoding/json's `json: unsupported value: +Inf`.
    static func goMessage(_ e: YAMLError) -> String {
        if e.message.contains("is not a number JSON can carry") {
            let scalar = e.message.prefix { $0 != " " }.lowercased()
            let value = scalar.contains("nan") ? "NaN" : (scalar.hasPrefix("-") ? "-Inf" : "+Inf")
            return "json: unsupported value: \(value)"
        }
        return "yaml: line \(e.location.line): \(e.message)"
    }
}
