import CapstanModel

/// A template parsed once per ClusterClass, or the parse failure to report when it is used.
enum ParsedTemplate: Sendable {
    case ok(any CompiledTextTemplate)
    case failed(String)

    /// Parses a patch template as the inline generator does (`template.New("tpl").Funcs(sprig)`).
    init(patchTemplate text: String) {
        do {
            self = .ok(try TemplateEngine.parse(text, name: "tpl", functions: .sprigHermetic, missingKeyError: false))
        } catch {
            self = .failed(error.message)
        }
    }
}

/// One ClusterClass patch with its templates parsed (cached per ClusterClass).
struct CompiledPatch: Sendable {
    let patch: ClassPatch
    let enabledIf: ParsedTemplate?
    /// Per definition, per jsonPatches index: the parsed `valueFrom.template`.
    let templates: [[Int: ParsedTemplate]]
    /// Per definition, per jsonPatches index: the parsed `path` (or the parse error text).
    let pointers: [[Result<JSONPointer, TopologyError>]]

    init(_ patch: ClassPatch) {
        self.patch = patch
        enabledIf = patch.enabledIf.isEmpty ? nil : ParsedTemplate(patchTemplate: patch.enabledIf)
        templates = (patch.definitions ?? []).map { def in
            var m: [Int: ParsedTemplate] = [:]
            for e in def.jsonPatches where !e.valueFromTemplate.isEmpty { m[e.index] = ParsedTemplate(patchTemplate: e.valueFromTemplate) }
            return m
        }
        pointers = (patch.definitions ?? []).map { def in
            def.jsonPatches.map { e in
                Result { () throws(JSONPointer.ParseError) in try JSONPointer(e.path) }
                    .mapError { TopologyError("invalid path \(GoQuote.quote(e.path)): \($0)") }
            }
        }
    }
}
