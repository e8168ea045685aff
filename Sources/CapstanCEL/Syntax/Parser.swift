/// What the parser accepts.
struct ParserOptions: Sendable {
    /// Macro sets expanded at parse time; an unlisted macro is an ordinary call.
    var macros: MacroSet = .all
    /// `.?f`, `[?i]`, `{?k: v}`, `[?e]`.
    var optionalSyntax = true
    /// The deepest expression tree accepted (cel-go's default recursion limit).
    var maxDepth = 250
    /// The longest expression accepted, in code points (cel-go's default).
    var maxCodePoints = 100_000
}

/// Which macro families the parser expands.
struct MacroSet: OptionSet, Sendable {
    let rawValue: Int
    /// has, all, exists, exists_one, map, filter.
    static let standard = MacroSet(rawValue: 1)
    /// Two-variable all/exists/existsOne, transformList/transformMap/transformMapEntry.
    static let twoVariable = MacroSet(rawValue: 2)
    /// cel.bind.
    static let bind = MacroSet(rawValue: 4)
    /// optMap, optFlatMap.
    static let optional = MacroSet(rawValue: 8)
    static let all: MacroSet = [.standard, .twoVariable, .bind, .optional]
}

/// Recursive-descent parser for the CEL grammar (google/cel-spec `doc/langdef.md`), producing an AST with
/// macros expanded into comprehensions and `&&`/`||` chains balanced.
struct Parser {
    let source: CELSource
    let options: ParserOptions
    var tokens: [Token] = []
    var pos = 0
    var offsets: [Int] = [0]
    var depth = 0

    struct Failure: Error {
        var message: String
        var offset: Int
    }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ]

    init(source: CELSource, options: ParserOptions) {
        self.source = source
        self.options = options
    }

    /// Parses `text` into an expression tree.
    static func parse(_ text: String, options: ParserOptions = ParserOptions()) throws(CELError) -> ParsedExpression {
        let source = CELSource(text)
        var count = 0
        for _ in text.unicodeScalars { count += 1 }
        if count > options.maxCodePoints {
            throw CELError(.syntax, "expression code point size exceeds limit: size: \(count), limit \(options.maxCodePoints)")
        }
        var parser = Parser(source: source, options: options)
        do {
            parser.tokens = try Lexer.tokenize(source.bytes)
        } catch {
            throw source.error(.syntax, error.message, at: error.offset)
        }
        let root: Expr
        do throws(Failure) {
            root = try parser.parseExpr()
            if case .eof = parser.current.kind {} else {
                throw parser.mismatched("<EOF>")
            }
            try parser.checkDepth(root)
        } catch {
            throw source.error(.syntax, error.message, at: error.offset)
        }
        return ParsedExpression(root: root, source: source, offsets: parser.offsets)
    }

    // MARK: - Tokens

    var current: Token { tokens[pos] }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func isPunct(_ p: Token.Punct) -> Bool {
        if case .punct(let q) = current.kind { return p == q }
        return false
    }

    func isPunct(_ p: Token.Punct, at k: Int) -> Bool {
        guard pos + k < tokens.count, case .punct(let q) = tokens[pos + k].kind else { return false }
        return p == q
    }

    mutating func accept(_ p: Token.Punct) -> Bool {
        if isPunct(p) {
            pos += 1
            return true
        }
        return false
    }

    mutating func expect(_ p: Token.Punct) throws(Failure) -> Token {
        guard isPunct(p) else { throw mismatched("'\(p.rawValue)'") }
        return advance()
    }

    func tokenText(_ t: Token) -> String {
        if case .eof = t.kind { return "<EOF>" }
        return String(decoding: source.bytes[t.start..<t.end], as: UTF8.self)
    }

    func mismatched(_ expecting: String) -> Failure {
        let t = current
        if case .eof = t.kind {
            return Failure(message: "Syntax error: mismatched input '<EOF>' expecting \(expecting)", offset: t.start)
        }
        return Failure(message: "Syntax error: mismatched input '\(tokenText(t))' expecting \(expecting)", offset: t.start)
    }

    mutating func newID(_ offset: Int) -> Int32 {
        offsets.append(offset)
        return Int32(offsets.count - 1)
    }

    mutating func node(_ kind: Expr.Kind, at offset: Int) -> Expr {
        Expr(id: newID(offset), kind: kind)
    }

    // MARK: - Expressions

    mutating func parseExpr() throws(Failure) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > options.maxDepth {
            throw Failure(message: "expression recursion limit exceeded: \(options.maxDepth)", offset: current.start)
        }
        let cond = try parseOr()
        guard isPunct(.question) else { return cond }
        let q = advance()
        let a = try parseOr()
        _ = try expect(.colon)
        let b = try parseExpr()
        return node(.call(function: "_?_:_", target: nil, args: [cond, a, b]), at: q.start)
    }

    mutating func parseOr() throws(Failure) -> Expr {
        var terms = [try parseAnd()]
        var ops: [Int] = []
        while isPunct(.or) {
            ops.append(advance().start)
            terms.append(try parseAnd())
        }
        return balance("_||_", terms, ops)
    }

    mutating func parseAnd() throws(Failure) -> Expr {
        var terms = [try parseRelation()]
        var ops: [Int] = []
        while isPunct(.and) {
            ops.append(advance().start)
            terms.append(try parseRelation())
        }
        return balance("_&&_", terms, ops)
    }

    /// Builds a balanced tree for a chain of `&&` or `||` (as cel-go does), keeping depth logarithmic.
    mutating func balance(_ fn: String, _ terms: [Expr], _ ops: [Int]) -> Expr {
        if terms.count == 1 { return terms[0] }
        return balanceRange(fn, terms, ops, 0, terms.count - 1)
    }

    mutating func balanceRange(_ fn: String, _ terms: [Expr], _ ops: [Int], _ lo: Int, _ hi: Int) -> Expr {
        if lo == hi { return terms[lo] }
        let mid = (lo + hi + 1) / 2
        let left = balanceRange(fn, terms, ops, lo, mid - 1)
        let right = balanceRange(fn, terms, ops, mid, hi)
        return node(.call(function: fn, target: nil, args: [left, right]), at: ops[mid - 1])
    }

    mutating func parseRelation() throws(Failure) -> Expr {
        var lhs = try parseAdditive()
        while true {
            let fn: String
            switch current.kind {
            case .punct(.less): fn = "_<_"
            case .punct(.lessEq): fn = "_<=_"
            case .punct(.greater): fn = "_>_"
            case .punct(.greaterEq): fn = "_>=_"
            case .punct(.eq): fn = "_==_"
            case .punct(.notEq): fn = "_!=_"
            case .inKeyword: fn = "@in"
            default: return lhs
            }
            let op = advance()
            let rhs = try parseAdditive()
            lhs = node(.call(function: fn, target: nil, args: [lhs, rhs]), at: op.start)
        }
    }

    mutating func parseAdditive() throws(Failure) -> Expr {
        var lhs = try parseMultiplicative()
        while true {
            let fn: String
            switch current.kind {
            case .punct(.plus): fn = "_+_"
            case .punct(.minus): fn = "_-_"
            default: return lhs
            }
            let op = advance()
            let rhs = try parseMultiplicative()
            lhs = node(.call(function: fn, target: nil, args: [lhs, rhs]), at: op.start)
        }
    }

    mutating func parseMultiplicative() throws(Failure) -> Expr {
        var lhs = try parseUnary()
        while true {
            let fn: String
            switch current.kind {
            case .punct(.star): fn = "_*_"
            case .punct(.slash): fn = "_/_"
            case .punct(.percent): fn = "_%_"
            default: return lhs
            }
            let op = advance()
            let rhs = try parseUnary()
            lhs = node(.call(function: fn, target: nil, args: [lhs, rhs]), at: op.start)
        }
    }

    mutating func parseUnary() throws(Failure) -> Expr {
        if isPunct(.not) {
            let first = current.start
            var count = 0
            while accept(.not) { count += 1 }
            let operand = try parseMember()
            // cel-go drops an even number of `!` (and of `-`) entirely.
            if count % 2 == 0 { return operand }
            return node(.call(function: "!_", target: nil, args: [operand]), at: first)
        }
        if isPunct(.minus) {
            let first = current.start
            var count = 0
            while isPunct(.minus) {
                // `-` directly before a number is part of the literal (`-9223372036854775808` parses).
                if case .int = tokens[pos + 1].kind { break }
                if case .double = tokens[pos + 1].kind { break }
                pos += 1
                count += 1
            }
            let operand = try parseMember()
            if count % 2 == 0 { return operand }
            return node(.call(function: "-_", target: nil, args: [operand]), at: first)
        }
        return try parseMember()
    }

    mutating func parseMember() throws(Failure) -> Expr {
        var e = try parsePrimary()
        while true {
            if isPunct(.dot) {
                let dot = advance()
                let optional = accept(.question)
                let nameTok = current
                let name: String
                switch nameTok.kind {
                case .ident(let n): name = n
                case .quotedIdent(let n): name = n
                default: throw mismatched("IDENTIFIER")
                }
                _ = advance()
                if optional {
                    guard options.optionalSyntax else {
                        throw Failure(message: "unsupported syntax '.?'", offset: dot.start)
                    }
                    let lit = node(.literal(.string(name)), at: nameTok.start)
                    e = node(.call(function: "_?._", target: nil, args: [e, lit]), at: dot.start)
                    continue
                }
                if isPunct(.lparen), case .ident = nameTok.kind {
                    let open = advance()
                    let args = try parseArgs(close: .rparen)
                    e = try receiverCallOrMacro(name, target: e, args: args, at: open.start)
                } else {
                    e = node(.select(operand: e, field: name, testOnly: false), at: dot.start)
                }
            } else if isPunct(.lbracket) {
                let open = advance()
                let optional = accept(.question)
                if optional && !options.optionalSyntax {
                    throw Failure(message: "unsupported syntax '[?'", offset: open.start)
                }
                let index = try parseExpr()
                _ = try expect(.rbracket)
                e = node(.call(function: optional ? "_[?_]" : "_[_]", target: nil, args: [e, index]), at: open.start)
            } else {
                return e
            }
        }
    }

    mutating func parseArgs(close: Token.Punct) throws(Failure) -> [Expr] {
        var args: [Expr] = []
        if accept(close) { return args }
        while true {
            args.append(try parseExpr())
            if accept(close) { return args }
            guard accept(.comma) else { throw mismatched("{',', '\(close.rawValue)'}") }
        }
    }

    mutating func parsePrimary() throws(Failure) -> Expr {
        let t = current
        switch t.kind {
        case .int:
            return try literalNumber(negative: false)
        case .uint(let v, let overflow):
            _ = advance()
            if overflow { throw Failure(message: "invalid uint literal", offset: t.start) }
            return node(.literal(.uint(v)), at: t.start)
        case .double:
            return try literalNumber(negative: false)
        case .string(let s):
            _ = advance()
            return node(.literal(.string(s)), at: t.start)
        case .bytes(let b):
            _ = advance()
            return node(.literal(.bytes(b)), at: t.start)
        case .trueKeyword:
            _ = advance()
            return node(.literal(.bool(true)), at: t.start)
        case .falseKeyword:
            _ = advance()
            return node(.literal(.bool(false)), at: t.start)
        case .nullKeyword:
            _ = advance()
            return node(.literal(.null), at: t.start)
        case .punct(.minus):
            // Only reached for `-` directly before a number literal (see parseUnary).
            _ = advance()
            return try literalNumber(negative: true, start: t.start)
        case .punct(.lparen):
            _ = advance()
            let e = try parseExpr()
            _ = try expect(.rparen)
            return e
        case .punct(.lbracket):
            _ = advance()
            return try parseList(start: t.start)
        case .punct(.lbrace):
            _ = advance()
            return try parseMap(start: t.start)
        case .punct(.dot), .ident:
            return try parseIdentOrCall()
        default:
            throw mismatched("an expression")
        }
    }

    mutating func literalNumber(negative: Bool, start: Int? = nil) throws(Failure) -> Expr {
        let t = advance()
        let offset = start ?? t.start
        switch t.kind {
        case .int(let magnitude, let overflow):
            if overflow { throw Failure(message: "invalid int literal", offset: offset) }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { throw Failure(message: "invalid int literal", offset: offset) }
                let v = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
                return node(.literal(.int(v)), at: offset)
            }
            guard magnitude <= UInt64(Int64.max) else { throw Failure(message: "invalid int literal", offset: offset) }
            return node(.literal(.int(Int64(magnitude))), at: offset)
        case .double(let d):
            return node(.literal(.double(negative ? -d : d)), at: offset)
        default:
            throw Failure(message: "Syntax error: mismatched input '\(tokenText(t))' expecting a number", offset: t.start)
        }
    }

    mutating func parseIdentOrCall() throws(Failure) -> Expr {
        let start = current.start
        let leadingDot = accept(.dot)
        guard case .ident(let name) = current.kind else { throw mismatched("IDENTIFIER") }
        let nameTok = advance()
        if Self.reserved.contains(name) {
            throw Failure(message: "reserved identifier: \(name)", offset: nameTok.start)
        }
        let full = leadingDot ? "." + name : name
        if isPunct(.lparen) {
            let open = advance()
            let args = try parseArgs(close: .rparen)
            return try globalCallOrMacro(full, args: args, at: open.start)
        }
        // Message construction: `a.b.C{...}` is parsed as ident/select chain followed by `{`.
        if isPunct(.lbrace) {
            return try parseMessage(typeName: full, start: start)
        }
        // A dotted name followed by `{` is a message literal; detect it by look-ahead.
        var k = 0
        while isPunct(.dot, at: k), pos + k + 1 < tokens.count, case .ident = tokens[pos + k + 1].kind { k += 2 }
        if k > 0, isPunct(.lbrace, at: k) {
            var typeName = full
            while isPunct(.dot) {
                _ = advance()
                guard case .ident(let n) = advance().kind else { break }
                typeName += "." + n
            }
            return try parseMessage(typeName: typeName, start: start)
        }
        return node(.ident(full), at: start)
    }

    mutating func parseMessage(typeName: String, start: Int) throws(Failure) -> Expr {
        _ = try expect(.lbrace)
        var fields: [Expr.FieldEntry] = []
        if !accept(.rbrace) {
            while true {
                let optional = accept(.question)
                if optional && !options.optionalSyntax {
                    throw Failure(message: "unsupported syntax '?'", offset: current.start)
                }
                let name: String
                switch current.kind {
                case .ident(let n), .quotedIdent(let n): name = n
                default: throw mismatched("IDENTIFIER")
                }
                _ = advance()
                let colon = try expect(.colon)
                let value = try parseExpr()
                fields.append(Expr.FieldEntry(id: newID(colon.start), field: name, value: value, optional: optional))
                if accept(.rbrace) { break }
                guard accept(.comma) else { throw mismatched("{',', '}'}") }
                if accept(.rbrace) { break }
            }
        }
        return node(.message(type: typeName, fields: fields), at: start)
    }

    mutating func parseList(start: Int) throws(Failure) -> Expr {
        var elements: [Expr] = []
        var optional: [Bool] = []
        if !accept(.rbracket) {
            while true {
                let opt = accept(.question)
                if opt && !options.optionalSyntax {
                    throw Failure(message: "unsupported syntax '?'", offset: current.start)
                }
                elements.append(try parseExpr())
                optional.append(opt)
                if accept(.rbracket) { break }
                guard accept(.comma) else { throw mismatched("{',', ']'}") }
                if accept(.rbracket) { break }
            }
        }
        return node(.list(elements: elements, optional: optional), at: start)
    }

    mutating func parseMap(start: Int) throws(Failure) -> Expr {
        var entries: [Expr.MapEntry] = []
        if !accept(.rbrace) {
            while true {
                let opt = accept(.question)
                if opt && !options.optionalSyntax {
                    throw Failure(message: "unsupported syntax '?'", offset: current.start)
                }
                let key = try parseExpr()
                let colon = try expect(.colon)
                let value = try parseExpr()
                entries.append(Expr.MapEntry(id: newID(colon.start), key: key, value: value, optional: opt))
                if accept(.rbrace) { break }
                guard accept(.comma) else { throw mismatched("{',', '}'}") }
                if accept(.rbrace) { break }
            }
        }
        return node(.map(entries: entries), at: start)
    }

    // MARK: - Depth check

    /// Rejects trees deeper than the limit (left-deep `a + a + ...` chains, long member chains),
    /// so that compiling and evaluating never recurse without bound.
    func checkDepth(_ root: Expr) throws(Failure) {
        var stack: [(Expr, Int)] = [(root, 1)]
        while let (e, d) = stack.popLast() {
            if d > options.maxDepth {
                throw Failure(message: "expression recursion limit exceeded: \(options.maxDepth)", offset: offsets[Int(e.id)])
            }
            for child in e.children { stack.append((child, d + 1)) }
        }
    }
}

extension Expr {
    /// Direct sub-expressions.
    var children: [Expr] {
        switch kind {
        case .literal, .ident: return []
        case .select(let operand, _, _): return [operand]
        case .call(_, let target, let args): return (target.map { [$0] } ?? []) + args
        case .list(let elements, _): return elements
        case .map(let entries): return entries.flatMap { [$0.key, $0.value] }
        case .message(_, let fields): return fields.map(\.value)
        case .comprehension(let c): return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]
        }
    }
}
