import CapstanModel
import CapstanTemplate

/// A parsed Go `text/template`, ready to execute many times (parsed once per ClusterClass).
protocol CompiledTextTemplate: Sendable {
    /// Executes with `data` prepared once per variable set.
    func execute(_ data: TemplateData) throws(TemplateFailure) -> String
}

/// Template input prepared once and reused by every template executed with the same variables: JSON where
/// every number is a float64, as Go's `json.Unmarshal` into `interface{}` makes them.
struct TemplateData: Sendable {
    let json: Value

    init(json: Value) { self.json = json }
}

/// A template parse or execution failure, carrying Go's message text (`template: tpl:1: ...`).
struct TemplateFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Which functions a template may call.
enum TemplateFunctions: Sendable {
    /// Go's builtins only (`printf`, `len`, ...): naming templates (internal/topology/names).
    case builtins
    /// Builtins plus sprig's hermetic set: patch `enabledIf` and `valueFrom.template`.
    case sprigHermetic
}

/// The one place the renderer parses Go templates, so the template implementation can be swapped.
enum TemplateEngine {
    /// Parses `text` under template name `name`; `missingKeyError` is `Option("missingkey=error")`.
    static func parse(_ text: String, name: String, functions: TemplateFunctions, missingKeyError: Bool) throws(TemplateFailure) -> any CompiledTextTemplate {
        do {
            return GoTemplateAdapter(template: try GoTemplate(
                text, name: name, functions: functions == .builtins ? .goBuiltins : .sprigHermetic, missingKey: missingKeyError ? .error : .default))
        } catch {
            throw TemplateFailure(message: error.message)
        }
    }
}

/// CapstanTemplate's Go `text/template` behind the renderer's template protocol.
struct GoTemplateAdapter: CompiledTextTemplate {
    let template: GoTemplate

    /// Each execution converts the data afresh: templates may mutate maps (`set`, `unset`, `merge`), and
    /// upstream renders every template from a fresh decode of the variables.
    func execute(_ data: TemplateData) throws(TemplateFailure) -> String {
        do {
            return try template.execute(json: data.json)
        } catch {
            throw TemplateFailure(message: error.message)
        }
    }
}
