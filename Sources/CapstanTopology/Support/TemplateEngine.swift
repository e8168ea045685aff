import CapstanModel
import CapstanTemplate

/// A parsed Go `text/template`, ready to execute many times (parsed once per ClusterClass).
protocol CompiledTextTemplate: Sendable {
    /// Executes with `data` prepared once per variable set.
    func execute(_ data: TemplateData) throws(TemplateFailure) -> String
}

/// Template input prepared once and reused by every template executed with the same variables: JSON where
/// every number is a float64, as Go's `json.Unmarshal` into `interface{}` makes them.
final class TemplateData: @unchecked Sendable {
    // Confined to the render that created it (one thread); `converted` is a cache filled on first use.
    let json: Value
    var converted: TemplateValue?

    init(json: Value) { self.json = json }

    /// The data as template values, converted once.
    var templateValue: TemplateValue {
        if let converted { return converted }
        let v = TemplateValue(json: json)
        converted = v
        return v
    }
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
                text, name: name, functions: functions == .builtins ? .goBuiltins : .sprigHermetic, missingKey: missingKeyError ? .error : .default),
                text: text)
        } catch {
            throw TemplateFailure(message: error.message)
        }
    }
}

/// CapstanTemplate's Go `text/template` behind the renderer's template protocol.
struct GoTemplateAdapter: CompiledTextTemplate {
    let template: GoTemplate
    /// Whether the text calls a sprig function that mutates a map in place (`set`, `unset`, `merge*`).
    let mutatesData: Bool

    init(template: GoTemplate, text: String) {
        self.template = template
        let mutating: Set<Substring> = ["set", "unset", "merge", "mergeOverwrite", "mustMerge", "mustMergeOverwrite"]
        mutatesData = text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).contains { mutating.contains($0) }
    }

    /// Upstream renders every template from a fresh decode of the variables; templates that cannot mutate
    /// their data share one conversion, the others get a fresh one.
    func execute(_ data: TemplateData) throws(TemplateFailure) -> String {
        do {
            return try template.execute(mutatesData ? TemplateValue(json: data.json) : data.templateValue)
        } catch {
            throw TemplateFailure(message: error.message)
        }
    }
}
