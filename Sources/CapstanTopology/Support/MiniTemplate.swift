import CapstanModel

/// Stop-gap until CapstanTemplate lands: text plus `{{ .a.b }}` field actions (with `{{-`/`-}}` trims).
/// Anything else is reported as unsupported rather than guessed. Replaced by CapstanTemplate in
/// `TemplateEngine.parse`.
struct MiniTemplate: CompiledTextTemplate {
    enum Piece: Sendable {
        case text(String)
        case field([String])
    }

    let pieces: [Piece]
    let name: String
    let missingKeyError: Bool

    init(_ text: String, name: String, missingKeyError: Bool) throws(TemplateFailure) {
        self.name = name
        self.missingKeyError = missingKeyError
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            var before = String(rest[..<open.lowerBound])
            var inner = rest[open.upperBound...]
            guard let close = inner.range(of: "}}") else {
                throw TemplateFailure(message: "template: \(name):1: unclosed action")
            }
            var action = String(inner[..<close.lowerBound])
            inner = inner[close.upperBound...]
            if action.hasPrefix("-") {
                action.removeFirst()
                while before.last?.isWhitespace == true { before.removeLast() }
            }
            var trimAfter = false
            if action.hasSuffix("-") {
                action.removeLast()
                trimAfter = true
            }
            if !before.isEmpty { pieces.append(.text(before)) }
            let trimmed = action.trimmingWhitespace
            guard trimmed.hasPrefix("."), !trimmed.contains(" ") else {
                throw TemplateFailure(message: "template: \(name):1: action \(GoQuote.quote(trimmed)) needs CapstanTemplate (not available in this build)")
            }
            pieces.append(.field(trimmed.dropFirst().split(separator: ".").map(String.init)))
            rest = trimAfter ? inner.drop { $0.isWhitespace } : inner
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    func execute(_ input: TemplateData) throws(TemplateFailure) -> String {
        let data = input.json
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .field(let path):
                var cur: Value? = data
                for key in path {
                    guard let c = cur, case .map = c else {
                        if missingKeyError { throw TemplateFailure(message: "template: \(name):1: map has no entry for key \(GoQuote.quote(key))") }
                        cur = nil
                        break
                    }
                    cur = c[key]
                    if cur == nil && missingKeyError {
                        throw TemplateFailure(message: "template: \(name):1:\(path.count): executing \(GoQuote.quote(name)) at <.\(path.joined(separator: "."))>: map has no entry for key \(GoQuote.quote(key))")
                    }
                }
                switch cur {
                case nil, .null?: out += "<no value>"
                case .string(let s)?: out += s
                case .int(let i)?: out += String(i)
                case .double(let d)?: out += GoFloat.formatG(d)
                case .bool(let b)?: out += b ? "true" : "false"
                case let v?: out += JSON.serialize(v)
                }
            }
        }
        return out
    }
}
