public import CapstanModel

/// A parsed Go `text/template`, executable many times and safe to share between threads.
///
/// ```swift
/// let t = try GoTemplate("HTTPS_PROXY={{ .proxy.url }}")
/// let text = try t.execute(json: variables)
/// ```
/// Output and error texts are byte-for-byte what Go's `text/template` (with sprig's hermetic function
/// map, as Cluster API uses it) produces; see `docs/templates.md` for the few documented deviations.
public struct GoTemplate: Sendable {
    /// What a missing map key yields (`Option("missingkey=...")`).
    public enum MissingKey: Sendable {
        /// `<no value>` when printed, nil when passed on.
        case `default`
        /// An execution error (`map has no entry for key "x"`), as CAPI's naming templates use.
        case error
    }

    /// The function set a template is parsed against.
    public enum Functions: Sendable {
        /// Go's builtins only (CAPI naming templates).
        case goBuiltins
        /// Go's builtins plus sprig's `HermeticTxtFuncMap` (ClusterClass patches).
        case sprigHermetic

        var table: FunctionTable {
            switch self {
            case .goBuiltins: return .goBuiltins
            case .sprigHermetic: return .sprigHermetic
            }
        }
    }

    let program: Program

    /// Parses `text` as the template `name`. Throws a `.parse` error with Go's text on bad syntax or an
    /// unknown function (`template: tpl:1: function "now" not defined`).
    public init(_ text: String, name: String = "tpl", functions: Functions = .sprigHermetic, missingKey: MissingKey = .default) throws(TemplateError) {
        do {
            let trees = try Parser.parse(text, name: name, functions: functions.table)
            program = Program(name: name, text: Array(text.utf8), trees: trees, missingKeyError: missingKey == .error)
        } catch {
            throw TemplateError(kind: .parse, message: error.message)
        }
    }

    /// Executes with `data` as dot within `limits` (exceeding one is an `.execute` error naming it).
    /// Maps in `data` may be mutated by `set`/`unset`/`merge`, as in Go.
    public func execute(_ data: TemplateValue, limits: TemplateLimits = .default) throws(TemplateError) -> String {
        var executor = Executor(program: program, limits: limits)
        do throws(ExecFailure) {
            guard let root = program.trees[program.name] else {
                throw ExecFailure(message: "template: \(program.name): \(GoQuote.quote(program.name)) is an incomplete or empty template")
            }
            try executor.run(root, data: data)
        } catch {
            throw TemplateError(kind: .execute, message: error.message)
        }
        return executor.out
    }

    /// Executes with JSON data converted as CAPI converts variables (every number a `float64`).
    public func execute(json data: Value, limits: TemplateLimits = .default) throws(TemplateError) -> String {
        try execute(TemplateValue(json: data), limits: limits)
    }
}

/// A template parse or execution error carrying Go's exact message.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which phase failed.
    public enum Kind: Sendable, Equatable {
        case parse
        case execute
    }

    public var kind: Kind
    /// Go's error text, e.g. `template: tpl:1:3: executing "tpl" at <.x>: range can't iterate over 3`.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The immutable result of parsing: every named tree, the source text for error locations, options.
final class Program: Sendable {
    let name: String
    let text: [UInt8]
    let trees: [String: [TreeNode]]
    let missingKeyError: Bool

    init(name: String, text: [UInt8], trees: [String: [TreeNode]], missingKeyError: Bool) {
        self.name = name
        self.text = text
        self.trees = trees
        self.missingKeyError = missingKeyError
    }

    /// Go's `ErrorContext` location: 1-based line and the byte offset within that line.
    func location(of pos: Int) -> (line: Int, column: Int) {
        var line = 1
        var lastNewline = -1
        let end = min(pos, text.count)
        var i = 0
        while i < end {
            if text[i] == 0x0A {
                line += 1
                lastNewline = i
            }
            i += 1
        }
        return (line, lastNewline < 0 ? pos : pos - (lastNewline + 1))
    }
}
