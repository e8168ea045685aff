import CapstanModel
/// An execution failure, formatted as Go formats `ExecError`.
struct ExecFailure: Error {
    var message: String
}

/// A value with whether Go would see it through an `interface{}` (a map or slice element), which changes
/// the type named in "can't evaluate field X in type interface {}".
struct Dot {
    var value: TemplateValue
    var boxed: Bool

    static var none: Dot { Dot(value: .invalid, boxed: false) }
}

/// How a walk ended: normally, or by `{{break}}`/`{{continue}}` travelling up to the enclosing `range`.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
}

/// The state of one execution (Go's `state`): output, variable stack, current node for error context.
/// The walk and eval methods mirror `text/template/exec.go`, including where the error context moves.
struct Executor {
    let program: Program
    var out = ""
    var node: ContextNode = .none
    var vars: [(name: String, dot: Dot)] = []
    var depth = 0
    var templateName: String
    let limits: TemplateLimits
    var steps = 0
    var rangeIterations = 0

    init(program: Program, limits: TemplateLimits = .default) {
        self.program = program
        self.templateName = program.name
        self.limits = limits
    }

    // MARK: Limits

    /// Counts `n` evaluation steps against `limits.maxSteps`.
    mutating func charge(_ n: Int = 1) throws(ExecFailure) {
        steps &+= n
        if steps > limits.maxSteps {
            throw fail("template evaluation exceeded \(limits.maxSteps) steps (Capstan's step limit; a loop or recursion runs too long)")
        }
    }

    /// Writes template output, within `limits.maxOutputBytes`.
    mutating func write(_ text: String) throws(ExecFailure) {
        out.append(text)
        if out.utf8.count > limits.maxOutputBytes {
            throw fail("template output exceeded \(limits.maxOutputBytes) bytes (Capstan's output limit)")
        }
    }

    /// Checks before formatting that a list or map prints within the output still allowed, so a value that
    /// shares one big string many times fails without being formatted.
    mutating func checkPrintable(_ value: TemplateValue) throws(ExecFailure) {
        switch value {
        case .list, .map:
            let room = limits.maxOutputBytes - out.utf8.count
            let size = value.printedSize(upTo: room)
            if size > room { throw fail("template output exceeded \(limits.maxOutputBytes) bytes (Capstan's output limit)") }
            try charge(size >> 6)
        default:
            return
        }
    }

    // MARK: Errors

    func fail(_ message: String) -> ExecFailure {
        let name = templateName
        guard let pos = node.pos else { return ExecFailure(message: "template: \(name): \(message)") }
        let (line, column) = program.location(of: pos)
        return ExecFailure(message: "template: \(program.name):\(line):\(column): executing \(GoQuote.quote(name)) at <\(node.description)>: \(message)")
    }

    mutating func at(_ n: ContextNode) { node = n }

    // MARK: Variables

    mutating func push(_ name: String, _ dot: Dot) { vars.append((name, dot)) }
    var mark: Int { vars.count }
    mutating func pop(_ mark: Int) { vars.removeSubrange(mark...) }

    mutating func setVar(_ name: String, _ dot: Dot) throws(ExecFailure) {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            vars[i].dot = dot
            return
        }
        throw fail("undefined variable: \(name)")
    }

    mutating func setTopVar(_ n: Int, _ dot: Dot) { vars[vars.count - n].dot = dot }

    func varValue(_ name: String) throws(ExecFailure) -> Dot {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name { return vars[i].dot }
        throw fail("undefined variable: \(name)")
    }

    // MARK: Walk

    mutating func run(_ root: [TreeNode], data: TemplateValue) throws(ExecFailure) {
        let dot = Dot(value: data, boxed: false)
        vars = [("$", dot)]
        _ = try walk(dot, root)
    }

    mutating func walk(_ dot: Dot, _ nodes: [TreeNode]) throws(ExecFailure) -> Flow {
        for n in nodes {
            let flow = try walk(dot, n)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    mutating func walk(_ dot: Dot, _ n: TreeNode) throws(ExecFailure) -> Flow {
        try charge()
        switch n {
        case .text(_, let text):
            try write(text)
        case .action(_, let pipe):
            at(.tree(n))
            let value = try evalPipeline(dot, pipe)
            if pipe.decl.isEmpty {
                at(.tree(n))
                try checkPrintable(value)
                try write(GoFormatter.templateText(value))
            }
        case .comment:
            break
        case .ifNode(let b):
            at(.tree(n))
            return try walkIfOrWith(isWith: false, dot, b)
        case .withNode(let b):
            at(.tree(n))
            return try walkIfOrWith(isWith: true, dot, b)
        case .rangeNode(let b):
            at(.tree(n))
            return try walkRange(dot, n, b)
        case .template(_, let name, let pipe):
            at(.tree(n))
            try walkTemplate(dot, name: name, pipe: pipe)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    private mutating func walkIfOrWith(isWith: Bool, _ dot: Dot, _ b: BranchNode) throws(ExecFailure) -> Flow {
        let m = mark
        defer { pop(m) }
        let value = try evalPipeline(dot, b.pipe)
        if Self.isTrue(value) {
            return try walk(isWith ? Dot(value: value, boxed: false) : dot, b.list)
        } else if let e = b.elseList {
            return try walk(dot, e)
        }
        return .normal
    }

    /// Go's `isTrue`: false, 0, nil and empty strings, slices and maps are false.
    static func isTrue(_ v: TemplateValue) -> Bool {
        switch v {
        case .invalid, .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .int(let i): return i != 0
        case .int64(let i): return i != 0
        case .uint64(let u): return u != 0
        case .uint8(let u): return u != 0
        case .float64(let d): return d != 0
        case .list(let l): return !l.items.isEmpty
        case .map(let m): return !m.entries.isEmpty
        case .semver: return true
        }
    }

    private mutating func walkRange(_ dot: Dot, _ n: TreeNode, _ r: BranchNode) throws(ExecFailure) -> Flow {
        let outer = mark
        defer { pop(outer) }
        let value = try evalPipeline(dot, r.pipe)
        let m = mark
        let decl = r.pipe.decl

        func iteration(_ ex: inout Executor, index: Dot, elem: Dot) throws(ExecFailure) -> Flow {
            if !decl.isEmpty {
                if r.pipe.isAssign {
                    try ex.setVar(decl[0], decl.count > 1 ? index : elem)
                } else {
                    ex.setTopVar(1, elem)
                }
            }
            if decl.count > 1 {
                if r.pipe.isAssign {
                    try ex.setVar(decl[1], elem)
                } else {
                    ex.setTopVar(2, index)
                }
            }
            defer { ex.pop(m) }
            ex.rangeIterations += 1
            if ex.rangeIterations > ex.limits.maxRangeIterations {
                ex.at(.tree(n))
                throw ex.fail("range exceeded \(ex.limits.maxRangeIterations) iterations (Capstan's iteration limit)")
            }
            try ex.charge()
            return try ex.walk(elem, r.list)
        }

        switch value {
        case .list(let l) where !l.items.isEmpty:
            let boxed = l.element == .any
            for (i, item) in l.items.enumerated() {
                if case .breakLoop = try iteration(&self, index: Dot(value: .int(i), boxed: false), elem: Dot(value: item, boxed: boxed)) { break }
            }
            return .normal
        case .map(let mp) where !mp.entries.isEmpty:
            let boxed = mp.element == .any
            for key in mp.sortedKeys {
                let elem = Dot(value: mp.entries[key] ?? .null, boxed: boxed)
                if case .breakLoop = try iteration(&self, index: Dot(value: .string(key), boxed: false), elem: elem) { break }
            }
            return .normal
        case .int, .int64, .uint64, .uint8:
            if decl.count > 1 { throw fail("can't use \(GoFormatter.formatV(value)) to iterate over more than one variable") }
            let count: Int64
            switch value {
            case .int(let i): count = Int64(i)
            case .int64(let i): count = i
            case .uint64(let u): count = u > UInt64(Int64.max) ? Int64.max : Int64(u)
            case .uint8(let u): count = Int64(u)
            default: count = 0
            }
            if count > 0 {
                for i in 0..<count {
                    let v: TemplateValue
                    switch value {
                    case .int: v = .int(Int(i))
                    case .int64: v = .int64(i)
                    case .uint64: v = .uint64(UInt64(i))
                    default: v = .uint8(UInt8(i))
                    }
                    if case .breakLoop = try iteration(&self, index: .none, elem: Dot(value: v, boxed: false)) { break }
                }
                return .normal
            }
        case .invalid, .list, .map:
            break
        default:
            throw fail("range can't iterate over \(GoFormatter.formatV(value))")
        }
        if let e = r.elseList { return try walk(dot, e) }
        return .normal
    }

    private mutating func walkTemplate(_ dot: Dot, name: String, pipe: PipeNode?) throws(ExecFailure) {
        guard let tree = program.trees[name] else { throw fail("template \(GoQuote.quote(name)) not defined") }
        if depth >= limits.maxTemplateDepth { throw fail("exceeded maximum template depth (\(limits.maxTemplateDepth))") }
        let value = try evalPipeline(dot, pipe)
        let newDot = Dot(value: value, boxed: false)
        let savedVars = vars
        let savedName = templateName
        vars = [("$", newDot)]
        templateName = name
        depth += 1
        defer {
            depth -= 1
            vars = savedVars
            templateName = savedName
        }
        _ = try walk(newDot, tree)
    }
}
