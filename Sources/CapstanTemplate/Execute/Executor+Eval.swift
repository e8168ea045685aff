import CapstanModel
extension Executor {
    // MARK: Pipelines and commands

    /// Go's `evalPipeline`: each command's result is the next one's final argument; `interface{}` results
    /// are unwrapped; declared variables are pushed or assigned.
    mutating func evalPipeline(_ dot: Dot, _ pipe: PipeNode?) throws(ExecFailure) -> TemplateValue {
        guard let pipe else { return .invalid }
        at(.pipe(pipe))
        var value: TemplateValue? = nil
        for cmd in pipe.cmds {
            value = try evalCommand(dot, cmd, final: value).value.unboxed
        }
        let result = value ?? .invalid
        for (i, name) in pipe.decl.enumerated() {
            if pipe.isAssign {
                try setVar(name, Dot(value: result, boxed: false))
            } else {
                _ = i
                push(name, Dot(value: result, boxed: false))
            }
        }
        return result
    }

    private func notAFunction(_ args: [ArgNode], _ final: TemplateValue?) throws(ExecFailure) {
        if args.count > 1 || final != nil { throw fail("can't give argument to non-function \(args[0].description)") }
    }

    mutating func evalCommand(_ dot: Dot, _ cmd: CommandNode, final: TemplateValue?) throws(ExecFailure) -> Dot {
        let first = cmd.args[0]
        switch first {
        case .field(_, let idents):
            return try evalFieldNode(dot, first, idents, args: cmd.args, final: final)
        case .chain(_, let inner, let fields):
            return try evalChainNode(dot, first, inner, fields, args: cmd.args, final: final)
        case .identifier(_, let function):
            at(.arg(first))
            return Dot(value: try evalCall(dot, function, node: .command(cmd), args: Array(cmd.args.dropFirst()), final: final), boxed: false)
        case .pipe(let pipe):
            try notAFunction(cmd.args, final)
            return Dot(value: try evalPipeline(dot, pipe), boxed: false)
        case .variable(_, let idents):
            return try evalVariableNode(dot, first, idents, args: cmd.args, final: final)
        default:
            break
        }
        at(.arg(first))
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let b): return Dot(value: .bool(b), boxed: false)
        case .dot: return dot
        case .nilLiteral: throw fail("nil is not a command")
        case .number(let n): return Dot(value: try idealConstant(n), boxed: false)
        case .string(_, _, let text): return Dot(value: .string(text), boxed: false)
        default: throw fail("can't evaluate command \(GoQuote.quote(first.description))")
        }
    }

    /// Go's `idealConstant`: the literal's syntax decides between `int` and `float64`.
    mutating func idealConstant(_ n: NumberLiteral) throws(ExecFailure) -> TemplateValue {
        at(.arg(.number(n)))
        let t = n.text
        let isHexInt = t.count > 2 && t.hasPrefix("0") && (t.dropFirst().first == "x" || t.dropFirst().first == "X") && !t.contains(where: { $0 == "p" || $0 == "P" })
        let isRuneInt = t.hasPrefix("'")
        if n.isFloat && !isHexInt && !isRuneInt && t.contains(where: { ".eEpP".contains($0) }) { return .float64(n.float64) }
        if n.isInt { return .int(Int(n.int64)) }
        if n.isUint { throw fail("\(t) overflows int") }
        return .invalid
    }

    // MARK: Fields

    mutating func evalFieldNode(_ dot: Dot, _ node: ArgNode, _ idents: [String], args: [ArgNode], final: TemplateValue?) throws(ExecFailure) -> Dot {
        at(.arg(node))
        return try evalFieldChain(dot, receiver: dot, node, idents[...], args: args, final: final)
    }

    mutating func evalChainNode(_ dot: Dot, _ node: ArgNode, _ inner: ArgNode, _ fields: [String], args: [ArgNode], final: TemplateValue?) throws(ExecFailure) -> Dot {
        at(.arg(node))
        if case .nilLiteral = inner { throw fail("indirection through explicit nil in \(node.description)") }
        let receiver = try evalArg(dot, nil, inner)
        return try evalFieldChain(dot, receiver: Dot(value: receiver, boxed: false), node, fields[...], args: args, final: final)
    }

    mutating func evalVariableNode(_ dot: Dot, _ node: ArgNode, _ idents: [String], args: [ArgNode], final: TemplateValue?) throws(ExecFailure) -> Dot {
        at(.arg(node))
        let value = try varValue(idents[0])
        if idents.count == 1 {
            try notAFunction(args.isEmpty ? [node] : args, final)
            return value
        }
        return try evalFieldChain(dot, receiver: value, node, idents[1...], args: args, final: final)
    }

    private mutating func evalFieldChain(_ dot: Dot, receiver: Dot, _ node: ArgNode, _ idents: ArraySlice<String>, args: [ArgNode], final: TemplateValue?) throws(ExecFailure) -> Dot {
        var receiver = receiver
        for ident in idents.dropLast() {
            receiver = try evalField(dot, ident, node, args: [], final: nil, receiver: receiver)
        }
        return try evalField(dot, idents.last!, node, args: args, final: final, receiver: receiver)
    }

    /// Go's `evalField`: a method of the receiver, or a map key; missing keys follow the `missingkey` option.
    private mutating func evalField(_ dot: Dot, _ name: String, _ node: ArgNode, args: [ArgNode], final: TemplateValue?, receiver: Dot) throws(ExecFailure) -> Dot {
        let typeName = receiver.boxed ? "interface {}" : receiver.value.goTypeName
        switch receiver.value {
        case .invalid:
            if program.missingKeyError { throw fail("nil data; no entry for key \(GoQuote.quote(name))") }
            return .none
        case .null:
            throw fail("nil pointer evaluating \(typeName).\(name)")
        case .semver(let v):
            if let method = SemanticVersion.methods[name] {
                let result = try evalCall(dot, method, node: .arg(node), args: Array(args.dropFirst()), final: final, receiver: .semver(v))
                return Dot(value: result, boxed: false)
            }
        case .map(let m):
            if args.count > 1 || final != nil { throw fail("\(name) is not a method but has arguments") }
            if let v = m.entries[name] { return Dot(value: v, boxed: m.element == .any) }
            if program.missingKeyError { throw fail("map has no entry for key \(GoQuote.quote(name))") }
            return .none
        default:
            break
        }
        throw fail("can't evaluate field \(name) in type \(typeName)")
    }

    // MARK: Calls

    /// Go's `evalCall`: checks the argument count, evaluates and type-checks arguments against the
    /// function's Go parameter types, and turns a returned error into `error calling <name>: ...`.
    mutating func evalCall(_ dot: Dot, _ fn: TemplateFunction, node: ContextNode, args: [ArgNode], final: TemplateValue?, receiver: TemplateValue? = nil) throws(ExecFailure) -> TemplateValue {
        let numIn = args.count + (final == nil ? 0 : 1)
        var numFixed = args.count
        if fn.variadic != nil {
            numFixed = fn.params.count
            if numIn < numFixed { throw fail("wrong number of args for \(fn.name): want at least \(fn.params.count) got \(args.count)") }
        } else if numIn != fn.params.count {
            throw fail("wrong number of args for \(fn.name): want \(fn.params.count) got \(numIn)")
        }
        switch fn.special {
        case .and, .or:
            let isOr = fn.special == .or
            var v: TemplateValue = .invalid
            for arg in args {
                v = try evalArg(dot, .value, arg)
                if Self.isTrue(v) == isOr { return v }
            }
            if let final { v = final }
            return v
        default:
            break
        }
        var argv: [TemplateValue] = []
        argv.reserveCapacity(numIn + 1)
        if let receiver { argv.append(receiver) }
        if fn.special == .call, let first = args.first { argv.append(.string(first.description)) }
        var i = 0
        while i < numFixed && i < args.count {
            argv.append(try evalArg(dot, fn.params[i], args[i]))
            i += 1
        }
        if let variadic = fn.variadic {
            while i < args.count {
                argv.append(try evalArg(dot, variadic, args[i]))
                i += 1
            }
        }
        if let final {
            var t: TemplateFunction.Param
            if let variadic = fn.variadic {
                t = numIn - 1 < numFixed ? fn.params[numIn - 1] : variadic
            } else {
                t = fn.params[fn.params.count - 1]
            }
            argv.append(try validateType(final, t))
        }
        try chargeCall(fn, argv, node: node)
        let result: TemplateValue
        do {
            result = try fn.body(argv)
        } catch {
            at(node)
            throw fail("error calling \(fn.name): \(error.message)")
        }
        switch result {
        case .string(let s):
            if s.utf8.count > limits.maxValueBytes {
                at(node)
                throw fail("error calling \(fn.name): result exceeds \(limits.maxValueBytes) bytes (Capstan's value size limit)")
            }
            try charge(s.utf8.count >> 6)
        case .list(let l):
            try checkElements(l.items.count, fn, node)
            try charge(l.items.count >> 4)
        case .map(let m):
            try checkElements(m.entries.count, fn, node)
            try charge(m.entries.count >> 4)
        default: break
        }
        return result
    }

    private mutating func checkElements(_ count: Int, _ fn: TemplateFunction, _ node: ContextNode) throws(ExecFailure) {
        if count > Sprig.maxElements {
            at(node)
            throw fail("error calling \(fn.name): result has more than \(Sprig.maxElements) elements (Capstan's list size limit)")
        }
    }

    /// Charges a call before it runs: one step, and for functions that walk whole values their size.
    private mutating func chargeCall(_ fn: TemplateFunction, _ argv: [TemplateValue], node: ContextNode) throws(ExecFailure) {
        try charge()
        switch fn.cost {
        case .constant:
            return
        case .wholeValue:
            var budget = limits.maxValueBytes
            for a in argv {
                let size: Int
                switch a {
                case .list, .map: size = a.printedSize(upTo: budget)
                case .string(let s): size = s.utf8.count
                default: size = 1
                }
                budget -= size
                if budget < 0 {
                    at(node)
                    throw fail("error calling \(fn.name): arguments exceed \(limits.maxValueBytes) bytes (Capstan's value size limit)")
                }
            }
            try charge((limits.maxValueBytes - budget) >> 6)
        case .quadratic:
            var n = 0
            for a in argv { if case .list(let l) = a { n += l.items.count } }
            try charge((n &* n) >> 4)
        }
    }

    /// Go's `evalArg`: non-literal operands are evaluated and type-checked; literals must suit the
    /// parameter's type (`expected integer; found 1.5`).
    mutating func evalArg(_ dot: Dot, _ type: TemplateFunction.Param?, _ n: ArgNode) throws(ExecFailure) -> TemplateValue {
        at(.arg(n))
        switch n {
        case .dot:
            return try validateType(dot.value, type)
        case .nilLiteral:
            guard let type, type.canBeNil else { throw fail("cannot assign nil to \(type?.goName ?? "<nil>")") }
            return Self.zero(type)
        case .field(_, let idents):
            return try validateType(evalFieldNode(dot, n, idents, args: [n], final: nil).value, type)
        case .variable(_, let idents):
            return try validateType(evalVariableNode(dot, n, idents, args: [], final: nil).value, type)
        case .pipe(let pipe):
            return try validateType(evalPipeline(dot, pipe), type)
        case .identifier(_, let function):
            at(.arg(n))
            return try validateType(evalCall(dot, function, node: .arg(n), args: [], final: nil), type)
        case .chain(_, let inner, let fields):
            return try validateType(evalChainNode(dot, n, inner, fields, args: [], final: nil).value, type)
        default:
            break
        }
        guard let type else { return try evalEmptyInterface(n) }
        switch type {
        case .bool:
            if case .bool(_, let b) = n { return .bool(b) }
            throw fail("expected bool; found \(n.description)")
        case .float64:
            if case .number(let num) = n, num.isFloat { return .float64(num.float64) }
            throw fail("expected float; found \(n.description)")
        case .int:
            if case .number(let num) = n, num.isInt { return .int(Int(num.int64)) }
            throw fail("expected integer; found \(n.description)")
        case .uint32:
            if case .number(let num) = n, num.isUint { return .uint64(UInt64(UInt32(truncatingIfNeeded: num.uint64))) }
            throw fail("expected unsigned integer; found \(n.description)")
        case .any, .value:
            return try evalEmptyInterface(n)
        case .string:
            if case .string(_, _, let text) = n { return .string(text) }
            throw fail("expected string; found \(n.description)")
        case .stringMap, .anyList, .time, .semver:
            throw fail("can't handle \(n.description) for arg of type \(type.goName)")
        }
    }

    private mutating func evalEmptyInterface(_ n: ArgNode) throws(ExecFailure) -> TemplateValue {
        at(.arg(n))
        switch n {
        case .bool(_, let b): return .bool(b)
        case .number(let num): return try idealConstant(num)
        case .string(_, _, let text): return .string(text)
        default: throw fail("can't handle assignment of \(n.description) to empty interface argument")
        }
    }

    static func zero(_ type: TemplateFunction.Param) -> TemplateValue {
        switch type {
        case .any: return .null
        case .stringMap: return .map(TemplateMap([:], isNil: true))
        case .anyList: return .list(TemplateList([], isNil: true))
        default: return .invalid
        }
    }

    /// Go's `validateType`: whether the value may be passed as the parameter type.
    func validateType(_ value: TemplateValue, _ type: TemplateFunction.Param?) throws(ExecFailure) -> TemplateValue {
        guard let type else { return value }
        if case .invalid = value {
            if type.canBeNil { return Self.zero(type) }
            throw fail("invalid value; expected \(type.goName)")
        }
        switch type {
        case .value, .any: return value
        default: break
        }
        let ok: Bool
        switch (type, value) {
        case (.string, .string), (.int, .int), (.float64, .float64), (.bool, .bool), (.semver, .semver): ok = true
        case (.stringMap, .map(let m)): ok = m.element == .any
        case (.anyList, .list(let l)): ok = l.element == .any
        default: ok = false
        }
        if ok { return value }
        let got: String
        if case .null = value { got = "interface {}" } else { got = value.goTypeName }
        throw fail("wrong type for value; expected \(type.goName); got \(got)")
    }
}

