import CapstanModel
import CapstanYAML

/// Reads a rendered patch template back as JSON, as `sigs.k8s.io/yaml.Unmarshal` does: YAML 1.1 typing
/// (go-yaml v2), first document only, duplicate keys last-wins, empty output is null.
enum TemplateOutput {
    static func parse(_ text: String) throws(TopologyError) -> Value {
        do {
            return GoJSONNormalization.normalize(try YAML.parseFirst(text, file: "<template output>", options: .templateOutput), integersViaFloat: false)
        } catch {
            // go-yaml prints "yaml: line N: <problem>".
            throw TopologyError("failed to unmarshal rendered template: \(GoQuote.quote(text)): error converting YAML to JSON: yaml: line \(error.location.line): \(error.message)")
        }
    }
}
