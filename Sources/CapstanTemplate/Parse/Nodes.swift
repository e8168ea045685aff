import CapstanModel
/// The parse tree (`text/template/parse` nodes). Every node keeps its byte offset for Go-style error
/// locations (`tpl:1:5`) and prints itself as Go's `Node.String()` does for error contexts (`<.a.b>`).

/// A numeric literal with every interpretation Go's parser records (`NumberNode`).
struct NumberLiteral: Sendable {
    var pos: Int
    var text: String
    var isInt = false
    var isUint = false
    var isFloat = false
    var isComplex = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
}

/// An operand of a command.
indirect enum ArgNode: Sendable {
    case field(pos: Int, idents: [String])
    case variable(pos: Int, idents: [String])
    case identifier(pos: Int, function: TemplateFunction)
    case chain(pos: Int, node: ArgNode, fields: [String])
    case pipe(PipeNode)
    case dot(pos: Int)
    case nilLiteral(pos: Int)
    case bool(pos: Int, value: Bool)
    case number(NumberLiteral)
    case string(pos: Int, quoted: String, text: String)

    var pos: Int {
        switch self {
        case .field(let p, _), .variable(let p, _), .identifier(let p, _), .chain(let p, _, _), .dot(let p),
            .nilLiteral(let p), .bool(let p, _), .string(let p, _, _):
            return p
        case .pipe(let pipe): return pipe.pos
        case .number(let n): return n.pos
        }
    }

    var description: String {
        var s = ""
        write(to: &s)
        return s
    }

    func write(to s: inout String) {
        switch self {
        case .field(_, let idents):
            for id in idents {
                s.append(".")
                s.append(id)
            }
        case .variable(_, let idents): s.append(idents.joined(separator: "."))
        case .identifier(_, let f): s.append(f.name)
        case .chain(_, let node, let fields):
            if case .pipe = node {
                s.append("(")
                node.write(to: &s)
                s.append(")")
            } else {
                node.write(to: &s)
            }
            for f in fields {
                s.append(".")
                s.append(f)
            }
        case .pipe(let p): p.write(to: &s)
        case .dot: s.append(".")
        case .nilLiteral: s.append("nil")
        case .bool(_, let b): s.append(b ? "true" : "false")
        case .number(let n): s.append(n.text)
        case .string(_, let quoted, _): s.append(quoted)
        }
    }

    /// The node kinds Go's `checkPipeline` rejects as a later pipeline stage.
    var isNonExecutable: Bool {
        switch self {
        case .bool, .dot, .nilLiteral, .number, .string: return true
        default: return false
        }
    }
}

/// A command: an operand followed by arguments (`CommandNode`).
final class CommandNode: Sendable {
    let pos: Int
    let args: [ArgNode]

    init(pos: Int, args: [ArgNode]) {
        self.pos = pos
        self.args = args
    }

    func write(to s: inout String) {
        for (i, arg) in args.enumerated() {
            if i > 0 { s.append(" ") }
            if case .pipe = arg {
                s.append("(")
                arg.write(to: &s)
                s.append(")")
            } else {
                arg.write(to: &s)
            }
        }
    }
}

/// A pipeline with optional variable declarations (`PipeNode`).
final class PipeNode: Sendable {
    let pos: Int
    let line: Int
    let isAssign: Bool
    let decl: [String]
    let declPositions: [Int]
    let cmds: [CommandNode]

    init(pos: Int, line: Int, isAssign: Bool, decl: [String], declPositions: [Int], cmds: [CommandNode]) {
        self.pos = pos
        self.line = line
        self.isAssign = isAssign
        self.decl = decl
        self.declPositions = declPositions
        self.cmds = cmds
    }

    func write(to s: inout String) {
        if !decl.isEmpty {
            s.append(decl.joined(separator: ", "))
            s.append(" := ")
        }
        for (i, c) in cmds.enumerated() {
            if i > 0 { s.append(" | ") }
            c.write(to: &s)
        }
    }
}

/// `if`, `range` and `with` (`BranchNode`).
final class BranchNode: Sendable {
    let pos: Int
    let pipe: PipeNode
    let list: [TreeNode]
    let elseList: [TreeNode]?

    init(pos: Int, pipe: PipeNode, list: [TreeNode], elseList: [TreeNode]?) {
        self.pos = pos
        self.pipe = pipe
        self.list = list
        self.elseList = elseList
    }

    func write(keyword: String, to s: inout String) {
        s.append("{{")
        s.append(keyword)
        s.append(" ")
        pipe.write(to: &s)
        s.append("}}")
        for n in list { n.write(to: &s) }
        if let e = elseList {
            s.append("{{else}}")
            for n in e { n.write(to: &s) }
        }
        s.append("{{end}}")
    }
}

/// A node of a template body.
indirect enum TreeNode: Sendable {
    case text(pos: Int, text: String)
    case action(pos: Int, pipe: PipeNode)
    case comment(pos: Int)
    case ifNode(BranchNode)
    case rangeNode(BranchNode)
    case withNode(BranchNode)
    case template(pos: Int, name: String, pipe: PipeNode?)
    case breakNode(pos: Int)
    case continueNode(pos: Int)

    var pos: Int {
        switch self {
        case .text(let p, _), .action(let p, _), .comment(let p), .template(let p, _, _), .breakNode(let p),
            .continueNode(let p):
            return p
        case .ifNode(let b), .rangeNode(let b), .withNode(let b): return b.pos
        }
    }

    func write(to s: inout String) {
        switch self {
        case .text(_, let t): s.append(t)
        case .action(_, let pipe):
            s.append("{{")
            pipe.write(to: &s)
            s.append("}}")
        case .comment: s.append("{{/* */}}")
        case .ifNode(let b): b.write(keyword: "if", to: &s)
        case .rangeNode(let b): b.write(keyword: "range", to: &s)
        case .withNode(let b): b.write(keyword: "with", to: &s)
        case .template(_, let name, let pipe):
            s.append("{{template ")
            s.append(GoQuote.quote(name))
            if let p = pipe {
                s.append(" ")
                p.write(to: &s)
            }
            s.append("}}")
        case .breakNode: s.append("{{break}}")
        case .continueNode: s.append("{{continue}}")
        }
    }

    /// Go's `IsEmptyTree` for one node.
    var isEmpty: Bool {
        switch self {
        case .comment: return true
        case .text(_, let t): return t.allSatisfy { $0.isWhitespace }
        default: return false
        }
    }
}

/// The node an execution error is reported at (Go's `state.node`).
enum ContextNode {
    case arg(ArgNode)
    case command(CommandNode)
    case pipe(PipeNode)
    case tree(TreeNode)
    case none

    var pos: Int? {
        switch self {
        case .arg(let a): return a.pos
        case .command(let c): return c.pos
        case .pipe(let p): return p.pos
        case .tree(let t): return t.pos
        case .none: return nil
        }
    }

    var description: String {
        var s = ""
        switch self {
        case .arg(let a): a.write(to: &s)
        case .command(let c): c.write(to: &s)
        case .pipe(let p): p.write(to: &s)
        case .tree(let t): t.write(to: &s)
        case .none: break
        }
        return s
    }
}
