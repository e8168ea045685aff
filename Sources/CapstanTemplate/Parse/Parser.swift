import CapstanModel
/// A parse failure, already formatted as Go formats it (`template: tpl:1: ...`).
struct ParseFailure: Error {
    var message: String
}

/// The set of templates one parse produces: the named root plus `define`/`block` definitions.
final class TreeSet {
    var trees: [String: [TreeNode]] = [:]
}

/// A recursive-descent parser over the lexer's tokens with Go's three-token lookahead
/// (`text/template/parse` `Tree`), producing the same trees and the same error texts.
final class Parser {
    private var name: String
    private let parseName: String
    private let functions: FunctionTable
    private let lex: Lexer
    private let treeSet: TreeSet
    private var token: [Item] = Array(repeating: Item(kind: .eof, pos: 0, val: "", line: 0), count: 3)
    private var peekCount = 0
    private var vars: [String] = ["$"]
    private var actionLine = 0
    private var rangeDepth = 0
    private var stackDepth = 0
    /// Go allows 10000 nested parentheses; Capstan's recursive parser stops earlier to stay within a
    /// thread's stack, and also bounds nested control structures.
    private static let maxStackDepth = 500
    private var controlDepth = 0

    init(name: String, parseName: String, functions: FunctionTable, lexer: Lexer, treeSet: TreeSet) {
        self.name = name
        self.parseName = parseName
        self.functions = functions
        self.lex = lexer
        self.treeSet = treeSet
        lexer.breakOK = functions["break"] == nil
        lexer.continueOK = functions["continue"] == nil
    }

    /// Parses `text` as the template `name`; definitions land in the returned set.
    static func parse(_ text: String, name: String, functions: FunctionTable) throws(ParseFailure) -> [String: [TreeNode]] {
        let set = TreeSet()
        let parser = Parser(name: name, parseName: name, functions: functions, lexer: Lexer(Array(text.utf8)), treeSet: set)
        let root = try parser.parseTop()
        try parser.add(root)
        return set.trees
    }

    // MARK: Tokens

    private func next() -> Item {
        if peekCount > 0 {
            peekCount -= 1
        } else {
            token[0] = lex.nextItem()
        }
        return token[peekCount]
    }

    private func backup() { peekCount += 1 }

    private func backup2(_ t1: Item) {
        token[1] = t1
        peekCount = 2
    }

    private func backup3(_ t2: Item, _ t1: Item) {
        token[1] = t1
        token[2] = t2
        peekCount = 3
    }

    private func peek() -> Item {
        if peekCount > 0 { return token[peekCount - 1] }
        peekCount = 1
        token[0] = lex.nextItem()
        return token[0]
    }

    private func nextNonSpace() -> Item {
        var t: Item
        repeat { t = next() } while t.kind == .space
        return t
    }

    private func peekNonSpace() -> Item {
        let t = nextNonSpace()
        backup()
        return t
    }

    // MARK: Errors

    private func error(_ message: String) -> ParseFailure {
        ParseFailure(message: "template: \(parseName):\(token[0].line): \(message)")
    }

    private func expect(_ kind: Item.Kind, _ context: String) throws(ParseFailure) -> Item {
        let t = nextNonSpace()
        if t.kind != kind { throw unexpected(t, context) }
        return t
    }

    private func expectOneOf(_ k1: Item.Kind, _ k2: Item.Kind, _ context: String) throws(ParseFailure) -> Item {
        let t = nextNonSpace()
        if t.kind != k1 && t.kind != k2 { throw unexpected(t, context) }
        return t
    }

    private func unexpected(_ t: Item, _ context: String) -> ParseFailure {
        if t.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != t.line {
                extra = " in action started at \(parseName):\(actionLine)"
                if t.val.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return error("\(t.val)\(extra)")
        }
        return error("unexpected \(t.description) in \(context)")
    }

    // MARK: Structure

    private func add(_ root: [TreeNode]) throws(ParseFailure) {
        if let existing = treeSet.trees[name], !existing.allSatisfy(\.isEmpty) {
            if !root.allSatisfy(\.isEmpty) { throw error("template: multiple definition of template \(GoQuote.quote(name))") }
            return
        }
        treeSet.trees[name] = root
    }

    private func parseTop() throws(ParseFailure) -> [TreeNode] {
        var root: [TreeNode] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delim = next()
                if nextNonSpace().kind == .define {
                    let sub = Parser(name: "definition", parseName: parseName, functions: functions, lexer: lex, treeSet: treeSet)
                    try sub.parseDefinition()
                    continue
                }
                backup2(delim)
            }
            let n = try textOrAction()
            switch n {
            case .end(let node), .elseNode(let node): throw error("unexpected \(node)")
            case .node(let node): root.append(node)
            }
        }
        return root
    }

    private func parseDefinition() throws(ParseFailure) {
        let context = "define clause"
        let nameItem = try expectOneOf(.string, .rawString, context)
        do { name = try GoQuote.unquote(nameItem.val) } catch { throw self.error(error.message) }
        _ = try expect(.rightDelim, context)
        let (list, end) = try itemList()
        if case .elseNode(let text) = end { throw error("unexpected \(text) in \(context)") }
        try add(list)
    }

    /// A parsed element: a node, or the `{{end}}`/`{{else}}` that terminates a list.
    private enum Element {
        case node(TreeNode)
        case end(String)
        case elseNode(String)
    }

    private func itemList() throws(ParseFailure) -> ([TreeNode], Element) {
        var list: [TreeNode] = []
        while peekNonSpace().kind != .eof {
            let n = try textOrAction()
            switch n {
            case .end, .elseNode: return (list, n)
            case .node(let node): list.append(node)
            }
        }
        throw error("unexpected EOF")
    }

    private func textOrAction() throws(ParseFailure) -> Element {
        let t = nextNonSpace()
        switch t.kind {
        case .text: return .node(.text(pos: t.pos, text: t.val))
        case .leftDelim:
            actionLine = t.line
            defer { actionLine = 0 }
            return try action()
        case .comment: return .node(.comment(pos: t.pos))
        default: throw unexpected(t, "input")
        }
    }

    private func action() throws(ParseFailure) -> Element {
        let t = nextNonSpace()
        switch t.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword: return .node(try breakControl(pos: t.pos, isBreak: true))
        case .continueKeyword: return .node(try breakControl(pos: t.pos, isBreak: false))
        case .elseKeyword: return try elseControl()
        case .end:
            _ = try expect(.rightDelim, "end")
            return .end("{{end}}")
        case .ifKeyword: return .node(.ifNode(try parseControl("if")))
        case .range: return .node(.rangeNode(try parseControl("range")))
        case .template: return .node(try templateControl())
        case .with: return .node(.withNode(try parseControl("with")))
        default: break
        }
        backup()
        let first = peek()
        return .node(.action(pos: first.pos, pipe: try pipeline("command", end: .rightDelim)))
    }

    private func breakControl(pos: Int, isBreak: Bool) throws(ParseFailure) -> TreeNode {
        let word = isBreak ? "{{break}}" : "{{continue}}"
        let t = nextNonSpace()
        if t.kind != .rightDelim { throw unexpected(t, word) }
        if rangeDepth == 0 { throw error("\(word) outside {{range}}") }
        return isBreak ? .breakNode(pos: pos) : .continueNode(pos: pos)
    }

    private func elseControl() throws(ParseFailure) -> Element {
        let p = peekNonSpace()
        if p.kind == .ifKeyword || p.kind == .with { return .elseNode("{{else}}") }
        _ = try expect(.rightDelim, "else")
        return .elseNode("{{else}}")
    }

    private func parseControl(_ context: String) throws(ParseFailure) -> BranchNode {
        if controlDepth >= Self.maxStackDepth { throw error("max nesting depth of \(Self.maxStackDepth) control structures exceeded (Capstan limit)") }
        controlDepth += 1
        defer { controlDepth -= 1 }
        let mark = vars.count
        defer { vars.removeSubrange(mark...) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        var (list, next) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [TreeNode]?
        if case .elseNode = next {
            if context == "if" && peek().kind == .ifKeyword {
                _ = self.next()
                elseList = [.ifNode(try parseControl("if"))]
            } else if context == "with" && peek().kind == .with {
                _ = self.next()
                elseList = [.withNode(try parseControl("with"))]
            } else {
                let (l, n) = try itemList()
                elseList = l
                next = n
                if case .elseNode(let text) = next { throw error("expected end; found \(text)") }
            }
        }
        return BranchNode(pos: pipe.pos, pipe: pipe, list: list, elseList: elseList)
    }

    private func blockControl() throws(ParseFailure) -> TreeNode {
        let context = "block clause"
        let t = nextNonSpace()
        let blockName = try parseTemplateName(t, context)
        let pipe = try pipeline(context, end: .rightDelim)
        let sub = Parser(name: blockName, parseName: parseName, functions: functions, lexer: lex, treeSet: treeSet)
        let (list, end) = try sub.itemList()
        if case .elseNode(let text) = end { throw error("unexpected \(text) in \(context)") }
        try sub.add(list)
        return .template(pos: t.pos, name: blockName, pipe: pipe)
    }

    private func templateControl() throws(ParseFailure) -> TreeNode {
        let context = "template clause"
        let t = nextNonSpace()
        let templateName = try parseTemplateName(t, context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(pos: t.pos, name: templateName, pipe: pipe)
    }

    private func parseTemplateName(_ t: Item, _ context: String) throws(ParseFailure) -> String {
        switch t.kind {
        case .string, .rawString:
            do { return try GoQuote.unquote(t.val) } catch { throw self.error(error.message) }
        default:
            throw unexpected(t, context)
        }
    }

    // MARK: Pipelines

    private func pipeline(_ context: String, end: Item.Kind) throws(ParseFailure) -> PipeNode {
        let first = peekNonSpace()
        var decl: [String] = []
        var declPositions: [Int] = []
        var isAssign = false
        var cmds: [CommandNode] = []
        decls: while true {
            let v = peekNonSpace()
            guard v.kind == .variable else { break }
            _ = next()
            let tokenAfterVariable = peek()
            let nxt = peekNonSpace()
            if nxt.kind == .assign || nxt.kind == .declare {
                isAssign = nxt.kind == .assign
                _ = nextNonSpace()
                decl.append(v.val)
                declPositions.append(v.pos)
                vars.append(v.val)
            } else if nxt.kind == .char && nxt.val == "," {
                _ = nextNonSpace()
                decl.append(v.val)
                declPositions.append(v.pos)
                vars.append(v.val)
                if context == "range" && decl.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue decls
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            } else if tokenAfterVariable.kind == .space {
                backup3(v, tokenAfterVariable)
            } else {
                backup2(v)
            }
            break
        }
        while true {
            let t = nextNonSpace()
            switch t.kind {
            case end:
                if cmds.isEmpty { throw error("missing value for \(context)") }
                for (i, c) in cmds.enumerated().dropFirst() where c.args[0].isNonExecutable {
                    throw error("non executable command in pipeline stage \(i + 1)")
                }
                return PipeNode(pos: first.pos, line: first.line, isAssign: isAssign, decl: decl, declPositions: declPositions, cmds: cmds)
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword, .rawString, .string,
                .variable, .leftParen:
                backup()
                cmds.append(try command())
            default:
                throw unexpected(t, context)
            }
        }
    }

    private func command() throws(ParseFailure) -> CommandNode {
        let pos = peekNonSpace().pos
        var args: [ArgNode] = []
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { args.append(operand) }
            let t = next()
            switch t.kind {
            case .space: continue loop
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(t, "operand")
            }
            break
        }
        if args.isEmpty { throw error("empty command") }
        return CommandNode(pos: pos, args: args)
    }

    private func operand() throws(ParseFailure) -> ArgNode? {
        guard let node = try term() else { return nil }
        if peek().kind == .field {
            let chainPos = peek().pos
            var fields: [String] = []
            while peek().kind == .field { fields.append(String(next().val.dropFirst())) }
            switch node {
            case .field(_, let idents): return .field(pos: chainPos, idents: idents + fields)
            case .variable(_, let idents): return .variable(pos: chainPos, idents: idents + fields)
            case .bool, .string, .number, .nilLiteral, .dot:
                throw error("unexpected . after term \(GoQuote.quote(node.description))")
            default: return .chain(pos: chainPos, node: node, fields: fields)
            }
        }
        return node
    }

    private func term() throws(ParseFailure) -> ArgNode? {
        let t = nextNonSpace()
        switch t.kind {
        case .identifier:
            guard let f = functions[t.val] else { throw error("function \(GoQuote.quote(t.val)) not defined") }
            return .identifier(pos: t.pos, function: f)
        case .dot: return .dot(pos: t.pos)
        case .nilKeyword: return .nilLiteral(pos: t.pos)
        case .variable:
            let idents = t.val.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if !vars.contains(idents[0]) { throw error("undefined variable \(GoQuote.quote(idents[0]))") }
            return .variable(pos: t.pos, idents: idents)
        case .field:
            return .field(pos: t.pos, idents: t.val.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init))
        case .bool: return .bool(pos: t.pos, value: t.val == "true")
        case .charConstant, .complex, .number: return .number(try number(t))
        case .leftParen:
            if stackDepth >= Self.maxStackDepth { throw error("max expression depth exceeded") }
            stackDepth += 1
            defer { stackDepth -= 1 }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            do {
                return .string(pos: t.pos, quoted: t.val, text: try GoQuote.unquote(t.val))
            } catch {
                throw self.error(error.message)
            }
        default:
            backup()
            return nil
        }
    }

    /// Go's `newNumber`: every interpretation of the literal that fits.
    private func number(_ t: Item) throws(ParseFailure) -> NumberLiteral {
        var n = NumberLiteral(pos: t.pos, text: t.val)
        let text = t.val
        if t.kind == .charConstant {
            let bytes = Array(text.utf8)
            let decoded: [UInt8]
            let tail: ArraySlice<UInt8>
            do {
                (decoded, tail) = try GoQuote.unquoteChar(bytes[1...], quote: UInt8(ascii: "'"))
            } catch {
                throw self.error(error.message)
            }
            guard tail.elementsEqual([UInt8(ascii: "'")]) else { throw error("malformed character constant: \(text)") }
            let r: UInt32 = decoded.count == 1
                ? UInt32(decoded[0]) : (String(decoding: decoded, as: UTF8.self).unicodeScalars.first?.value ?? 0xFFFD)
            n.isInt = true
            n.isUint = true
            n.isFloat = true
            n.int64 = Int64(r)
            n.uint64 = UInt64(r)
            n.float64 = Double(r)
            return n
        }
        if t.kind == .complex || text.hasSuffix("i") {
            throw error("complex constant \(text) is not supported by Capstan")
        }
        if case .success(let u) = GoNumberParsing.parseUint(text, base: 0) {
            n.isUint = true
            n.uint64 = u
        }
        if case .success(let i) = GoNumberParsing.parseInt(text, base: 0) {
            n.isInt = true
            n.int64 = i
            if i == 0 { n.isUint = true }
        }
        if n.isInt {
            n.isFloat = true
            n.float64 = Double(n.int64)
        } else if n.isUint {
            n.isFloat = true
            n.float64 = Double(n.uint64)
        } else if case .success(let f) = GoNumberParsing.parseFloat(text) {
            if !text.contains(where: { ".eEpP".contains($0) }) { throw error("integer overflow: \(GoQuote.quote(text))") }
            n.isFloat = true
            n.float64 = f
            if !n.isInt && Double(f.goInt64) == f {
                n.isInt = true
                n.int64 = f.goInt64
            }
            if !n.isUint && f >= 0 && Double(f.goUInt64) == f {
                n.isUint = true
                n.uint64 = f.goUInt64
            }
        }
        if !n.isInt && !n.isUint && !n.isFloat { throw error("illegal number syntax: \(GoQuote.quote(text))") }
        return n
    }
}
