import CapstanRegex
/// Turns a parsed expression into a tree of evaluation nodes: resolves names (comprehension variables,
/// declared variables with container prefixes, type names), binds functions by name and arity, and
/// picks specialised nodes for operators and macro loops.
struct Compiler {
    let parsed: ParsedExpression
    let environment: CELEnvironment
    let functions: FunctionTable
    var scopes: [(name: String, slot: Int)] = []
    var globalSlots: [String: Int] = [:]
    var globalNames: [String] = []
    var localCount = 0

    init(parsed: ParsedExpression, environment: CELEnvironment) {
        self.parsed = parsed
        self.environment = environment
        self.functions = environment.functionTable
    }

    func error(_ kind: CELError.Kind, _ message: String, _ e: Expr) -> CELError {
        parsed.source.error(kind, message, at: parsed.offsets[Int(e.id)])
    }

    // MARK: - Names

    /// Candidate spellings of `name` inside the container (`a.b` in `x.y`: `x.y.a.b`, `x.a.b`, `a.b`).
    func candidates(_ name: String) -> [String] {
        if name.hasPrefix(".") { return [String(name.dropFirst())] }
        var out: [String] = []
        var container = environment.container
        while !container.isEmpty {
            out.append(container + "." + name)
            if let dot = container.lastIndex(of: ".") { container = String(container[..<dot]) } else { container = "" }
        }
        out.append(name)
        return out
    }

    func local(_ name: String) -> Int? {
        if name.hasPrefix(".") { return nil }
        for s in scopes.reversed() where s.name == name { return s.slot }
        return nil
    }

    mutating func globalSlot(_ name: String) -> Int {
        if let s = globalSlots[name] { return s }
        let s = globalNames.count
        globalSlots[name] = s
        globalNames.append(name)
        return s
    }

    /// Resolves a (possibly dotted) name to a variable or type value, or nil.
    mutating func resolve(_ name: String, id: Int32) -> Node? {
        for c in candidates(name) {
            if let declared = environment.variables {
                if declared.contains(c) { return GlobalNode(id: id, slot: globalSlot(c)) }
            }
            if let t = environment.typeNames[c] { return ConstNode(id: id, .type(t)) }
        }
        if environment.variables == nil, !name.contains(".") || name.hasPrefix(".") {
            let plain = name.hasPrefix(".") ? String(name.dropFirst()) : name
            if !plain.contains(".") { return GlobalNode(id: id, slot: globalSlot(plain)) }
        }
        return nil
    }

    // MARK: - Expressions

    mutating func compile(_ e: Expr) throws(CELError) -> Node {
        switch e.kind {
        case .literal(let v):
            return ConstNode(id: e.id, v)
        case .ident(let name):
            if let slot = local(name) { return LocalNode(id: e.id, slot: slot) }
            if let n = resolve(name, id: e.id) { return n }
            if environment.deferUnknownNames {
                return ErrorNode(id: e.id, "no such attribute(s): \(name)")
            }
            throw error(.declaration, "undeclared reference to '\(name)' (in container '\(environment.container)')", e)
        case .select(let operand, let field, let testOnly):
            if testOnly { return HasNode(id: e.id, try compile(operand), field) }
            if let n = try resolveQualified(e) { return n }
            return SelectNode(id: e.id, try compile(operand), field)
        case .call(let function, let target, let args):
            return try compileCall(e, function, target, args)
        case .list(let elements, let optional):
            var nodes: [Node] = []
            for el in elements { nodes.append(try compile(el)) }
            return ListNode(id: e.id, nodes, optional: optional)
        case .map(let entries):
            var keys: [Node] = [], values: [Node] = []
            for en in entries {
                keys.append(try compile(en.key))
                values.append(try compile(en.value))
            }
            return MapNode(id: e.id, keys: keys, values: values, optional: entries.map(\.optional))
        case .message(let type, _):
            throw error(.declaration, "unknown type: \(type) (protobuf messages are not supported)", e)
        case .comprehension(let c):
            return try compileComprehension(e, c)
        }
    }

    /// A select chain that spells a declared dotted variable or a type name (`google.protobuf.Timestamp`);
    /// the longest resolvable prefix wins and the rest are field selections.
    mutating func resolveQualified(_ e: Expr) throws(CELError) -> Node? {
        var selects: [(id: Int32, field: String)] = []
        var cur = e
        while case .select(let operand, let field, false) = cur.kind {
            selects.append((cur.id, field))
            cur = operand
        }
        guard case .ident(let rootName) = cur.kind else { return nil }
        if local(rootName) != nil { return nil }
        selects.reverse()
        let segments = [rootName] + selects.map(\.field)
        for n in stride(from: segments.count, through: 2, by: -1) {
            let name = segments[0..<n].joined(separator: ".")
            if let base = resolveDotted(name, id: selects[n - 2].id) {
                var node = base
                for s in selects[(n - 1)...] { node = SelectNode(id: s.id, node, s.field) }
                return node
            }
        }
        return nil
    }

    /// Resolves a dotted name only to declared variables or type names (never a lenient global).
    mutating func resolveDotted(_ name: String, id: Int32) -> Node? {
        for c in candidates(name) {
            if let declared = environment.variables, declared.contains(c) { return GlobalNode(id: id, slot: globalSlot(c)) }
            if let t = environment.typeNames[c] { return ConstNode(id: id, .type(t)) }
        }
        return nil
    }

    // MARK: - Calls

    mutating func compileCall(_ e: Expr, _ function: String, _ target: Expr?, _ args: [Expr]) throws(CELError) -> Node {
        if target == nil, let n = try compileOperator(e, function, args) { return n }
        if let n = try compileConstantRegex(e, function, target, args) { return n }
        if let target {
            // `ns.f(args)` where `ns` is not a variable names the global function `ns.f`.
            if let q = target.qualifiedName, !isVariable(q) {
                for c in candidates(q + "." + function) {
                    if let o = functions.lookup(c, member: false, arity: args.count) {
                        return CallNode(id: e.id, name: c, args: try compileAll(args), overload: o)
                    }
                }
            }
            if (function == "or" || function == "orValue"), args.count == 1, environment.libraries.contains(.optionals) {
                return OptionalOrNode(id: e.id, try compile(target), try compile(args[0]), orValue: function == "orValue")
            }
            if let o = functions.lookup(function, member: true, arity: args.count + 1) {
                return CallNode(id: e.id, name: function, args: try compileAll([target] + args), overload: o)
            }
            return try unknownFunction(e, function, arity: args.count, member: true)
        }
        for c in candidates(function) {
            if let o = functions.lookup(c, member: false, arity: args.count) {
                return CallNode(id: e.id, name: c, args: try compileAll(args), overload: o)
            }
        }
        return try unknownFunction(e, function, arity: args.count, member: false)
    }

    /// `matches`/`find`/`findAll` with a literal pattern: compiled now, and an invalid pattern is a compile error.
    mutating func compileConstantRegex(_ e: Expr, _ function: String, _ target: Expr?, _ args: [Expr]) throws(CELError) -> Node? {
        let kind: ConstantRegexNode.Kind
        switch function {
        case "matches": kind = .matches
        case "find" where environment.libraries.contains(.regex): kind = .find
        case "findAll" where environment.libraries.contains(.regex): kind = .findAll
        default: return nil
        }
        let subjectExpr: Expr, patternExpr: Expr
        if let target, args.count == 1 {
            subjectExpr = target
            patternExpr = args[0]
        } else if target == nil, kind == .matches, args.count == 2 {
            subjectExpr = args[0]
            patternExpr = args[1]
        } else {
            return nil
        }
        guard case .literal(.string(let pattern)) = patternExpr.kind else { return nil }
        switch RegexCache.shared.compile(pattern) {
        case .success(let re):
            return ConstantRegexNode(id: e.id, try compile(subjectExpr), re, pattern: pattern, kind: kind)
        case .failure(let err):
            throw error(.declaration, err.message, patternExpr)
        }
    }

    func isVariable(_ q: String) -> Bool {
        let root = String(q.split(separator: ".", maxSplits: 1).first ?? "")
        if local(root) != nil { return true }
        guard let declared = environment.variables else {
            // Without declarations any simple name may be a variable; dotted namespaces are functions.
            return false
        }
        for c in candidates(q) where declared.contains(c) { return true }
        for c in candidates(root) where declared.contains(c) { return true }
        return false
    }

    mutating func compileAll(_ args: [Expr]) throws(CELError) -> [Node] {
        var out: [Node] = []
        out.reserveCapacity(args.count)
        for a in args { out.append(try compile(a)) }
        return out
    }

    func unknownFunction(_ e: Expr, _ name: String, arity: Int, member: Bool) throws(CELError) -> Node {
        let known = functions.has(name)
        if environment.deferUnknownNames {
            return ErrorNode(id: e.id, known ? "no such overload" : "unbound function: \(name)")
        }
        if known {
            let style = member ? "receiver-style " : ""
            throw error(.declaration, "found no matching overload for \(style)'\(name)' with \(arity) argument(s)", e)
        }
        throw error(.declaration, "undeclared reference to '\(name)' (in container '\(environment.container)')", e)
    }

    /// Operators and internal functions with dedicated nodes.
    mutating func compileOperator(_ e: Expr, _ function: String, _ args: [Expr]) throws(CELError) -> Node? {
        switch (function, args.count) {
        case ("_&&_", 2): return AndNode(id: e.id, try compile(args[0]), try compile(args[1]))
        case ("_||_", 2): return OrNode(id: e.id, try compile(args[0]), try compile(args[1]))
        case ("!_", 1): return NotNode(id: e.id, try compile(args[0]))
        case ("-_", 1): return NegateNode(id: e.id, try compile(args[0]))
        case ("_?_:_", 3):
            return ConditionalNode(id: e.id, try compile(args[0]), try compile(args[1]), try compile(args[2]))
        case ("_==_", 2): return EqualsNode(id: e.id, try compile(args[0]), try compile(args[1]), negate: false)
        case ("_!=_", 2): return EqualsNode(id: e.id, try compile(args[0]), try compile(args[1]), negate: true)
        case ("_<_", 2): return CompareNode(id: e.id, try compile(args[0]), try compile(args[1]), .less)
        case ("_<=_", 2): return CompareNode(id: e.id, try compile(args[0]), try compile(args[1]), .lessEq)
        case ("_>_", 2): return CompareNode(id: e.id, try compile(args[0]), try compile(args[1]), .greater)
        case ("_>=_", 2): return CompareNode(id: e.id, try compile(args[0]), try compile(args[1]), .greaterEq)
        case ("@in", 2): return InNode(id: e.id, try compile(args[0]), try compile(args[1]))
        case ("_+_", 2): return ArithmeticNode(id: e.id, try compile(args[0]), try compile(args[1]), .add)
        case ("_-_", 2): return ArithmeticNode(id: e.id, try compile(args[0]), try compile(args[1]), .subtract)
        case ("_*_", 2): return ArithmeticNode(id: e.id, try compile(args[0]), try compile(args[1]), .multiply)
        case ("_/_", 2): return ArithmeticNode(id: e.id, try compile(args[0]), try compile(args[1]), .divide)
        case ("_%_", 2): return ArithmeticNode(id: e.id, try compile(args[0]), try compile(args[1]), .modulo)
        case ("_[_]", 2): return IndexNode(id: e.id, try compile(args[0]), try compile(args[1]), optional: false)
        case ("_[?_]", 2): return IndexNode(id: e.id, try compile(args[0]), try compile(args[1]), optional: true)
        case ("_?._", 2):
            guard case .literal(.string(let field)) = args[1].kind else { return nil }
            return OptionalSelectNode(id: e.id, try compile(args[0]), field)
        case ("@not_strictly_false", 1): return NotStrictlyFalseNode(id: e.id, try compile(args[0]))
        default: return nil
        }
    }

    // MARK: - Comprehensions

    mutating func newLocal(_ name: String) -> Int {
        let slot = localCount
        localCount += 1
        scopes.append((name, slot))
        return slot
    }

    mutating func popLocals(_ n: Int) { scopes.removeLast(n) }

    mutating func compileComprehension(_ e: Expr, _ c: Expr.Comprehension) throws(CELError) -> Node {
        let range = try compile(c.iterRange)
        switch c.macro {
        case .all?, .exists?, .existsOne?, .map?, .mapFilter?, .filter?, .transformList?, .transformListFilter?,
            .transformMap?, .transformMapFilter?, .transformMapEntry?, .transformMapEntryFilter?:
            let s1 = newLocal(c.iterVar)
            let slot2 = c.iterVar2.map { newLocal($0) } ?? -1
            defer { popLocals(c.iterVar2 == nil ? 1 : 2) }
            switch c.macro! {
            case .all, .exists:
                guard case .call(_, _, let stepArgs) = c.loopStep.kind else { break }
                return QuantifierNode(id: e.id, range: range, slot1: s1, slot2: slot2,
                                      predicate: try compile(stepArgs[1]), isAll: c.macro == .all)
            case .existsOne:
                guard case .call(_, _, let stepArgs) = c.loopStep.kind else { break }
                return ExistsOneNode(id: e.id, range: range, slot1: s1, slot2: slot2, predicate: try compile(stepArgs[0]))
            case .map, .transformList, .mapFilter, .filter, .transformListFilter:
                var filter: Node?
                var append = c.loopStep
                if case .call("_?_:_", _, let condArgs) = c.loopStep.kind {
                    filter = try compile(condArgs[0])
                    append = condArgs[1]
                }
                guard case .call("_+_", _, let addArgs) = append.kind, case .list(let el, _) = addArgs[1].kind else { break }
                return ListBuildNode(id: e.id, range: range, slot1: s1, slot2: slot2, filter: filter,
                                     transform: try compile(el[0]))
            case .transformMap, .transformMapFilter, .transformMapEntry, .transformMapEntryFilter:
                var filter: Node?
                var insert = c.loopStep
                if case .call("_?_:_", _, let condArgs) = c.loopStep.kind {
                    filter = try compile(condArgs[0])
                    insert = condArgs[1]
                }
                guard case .call("cel.@mapInsert", _, let insArgs) = insert.kind else { break }
                return MapBuildNode(id: e.id, range: range, slot1: s1, slot2: slot2, filter: filter,
                                    transform: try compile(insArgs.last!), entries: insArgs.count == 2)
            default: break
            }
            throw error(.syntax, "internal error: malformed macro expansion", e)
        case .bind?, .optMap?, .optFlatMap?:
            let initial = try compile(c.accuInit)
            let slot = newLocal(c.accuVar)
            defer { popLocals(1) }
            return BindNode(id: e.id, slot: slot, initial: initial, result: try compile(c.result))
        case nil:
            let initial = try compile(c.accuInit)
            let accu = newLocal(c.accuVar)
            let s1 = newLocal(c.iterVar)
            let s2 = c.iterVar2.map { newLocal($0) } ?? -1
            let condition = try compile(c.loopCondition)
            let step = try compile(c.loopStep)
            popLocals(c.iterVar2 == nil ? 2 : 3)
            scopes.append((c.accuVar, accu))
            defer { popLocals(1) }
            let result = try compile(c.result)
            return FoldNode(id: e.id, range: range, slot1: s1, slot2: s2, accuSlot: accu, initial: initial,
                            condition: condition, step: step, result: result)
        }
    }
}
