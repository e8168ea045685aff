/// Macro expansion: macros are rewritten at parse time into comprehensions (or a presence test),
/// following the expansions of the CEL specification and cel-go (parser/macro.go, ext/comprehensions.go,
/// ext/bindings.go, the optional library's optMap/optFlatMap).
extension Parser {
    /// A global call, or the expansion of `has(e.f)`.
    mutating func globalCallOrMacro(_ name: String, args: [Expr], at offset: Int) throws(Failure) -> Expr {
        if name == "has", args.count == 1, options.macros.contains(.standard) {
            guard case .select(let operand, let field, false) = args[0].kind else {
                throw Failure(message: "invalid argument to has() macro", offset: offsets[Int(args[0].id)])
            }
            return node(.select(operand: operand, field: field, testOnly: true), at: offset)
        }
        return node(.call(function: name, target: nil, args: args), at: offset)
    }

    /// A receiver call `target.name(args)`, or the expansion of a receiver-style macro.
    mutating func receiverCallOrMacro(_ name: String, target: Expr, args: [Expr], at offset: Int) throws(Failure) -> Expr {
        let m = options.macros
        switch (name, args.count) {
        case ("all", 2) where m.contains(.standard),
            ("exists", 2) where m.contains(.standard),
            ("exists_one", 2) where m.contains(.standard):
            let v = try iterVar(args[0])
            return quantifier(name, target: target, v1: v, v2: nil, predicate: args[1], at: offset)
        case ("all", 3) where m.contains(.twoVariable),
            ("exists", 3) where m.contains(.twoVariable),
            ("existsOne", 3) where m.contains(.twoVariable),
            ("exists_one", 3) where m.contains(.twoVariable):
            let (v1, v2) = try iterVars(args[0], args[1])
            return quantifier(name, target: target, v1: v1, v2: v2, predicate: args[2], at: offset)
        case ("map", 2) where m.contains(.standard), ("map", 3) where m.contains(.standard):
            let v = try iterVar(args[0], message: "argument is not an identifier")
            let filter = args.count == 3 ? args[1] : nil
            return listBuild(target: target, v1: v, v2: nil, filter: filter, transform: args.last!,
                             macro: filter == nil ? .map : .mapFilter, at: offset)
        case ("filter", 2) where m.contains(.standard):
            let v = try iterVar(args[0], message: "argument is not an identifier")
            return listBuild(target: target, v1: v, v2: nil, filter: args[1], transform: node(.ident(v), at: offset),
                             macro: .filter, at: offset)
        case ("transformList", 3) where m.contains(.twoVariable), ("transformList", 4) where m.contains(.twoVariable):
            let (v1, v2) = try iterVars(args[0], args[1])
            let filter = args.count == 4 ? args[2] : nil
            return listBuild(target: target, v1: v1, v2: v2, filter: filter, transform: args.last!,
                             macro: filter == nil ? .transformList : .transformListFilter, at: offset)
        case ("transformMap", 3) where m.contains(.twoVariable), ("transformMap", 4) where m.contains(.twoVariable),
            ("transformMapEntry", 3) where m.contains(.twoVariable),
            ("transformMapEntry", 4) where m.contains(.twoVariable):
            let (v1, v2) = try iterVars(args[0], args[1])
            let filter = args.count == 4 ? args[2] : nil
            return mapBuild(name, target: target, v1: v1, v2: v2, filter: filter, transform: args.last!, at: offset)
        case ("bind", 3) where m.contains(.bind) && target.qualifiedName == "cel":
            guard case .ident(let v) = args[0].kind else {
                throw Failure(message: "cel.bind() variable names must be simple identifiers",
                              offset: offsets[Int(args[0].id)])
            }
            let c = Expr.Comprehension(
                iterRange: node(.list(elements: [], optional: []), at: offset), iterVar: "#unused", iterVar2: nil,
                accuVar: v, accuInit: args[1], loopCondition: node(.literal(.bool(false)), at: offset),
                loopStep: node(.ident(v), at: offset), result: args[2], macro: .bind)
            return node(.comprehension(c), at: offset)
        case ("optMap", 2) where m.contains(.optional), ("optFlatMap", 2) where m.contains(.optional):
            guard case .ident(let v) = args[0].kind else {
                throw Failure(message: "\(name)() variable name must be a simple identifier",
                              offset: offsets[Int(args[0].id)])
            }
            let hasValue = node(.call(function: "hasValue", target: target, args: []), at: offset)
            let value = node(.call(function: "value", target: target, args: []), at: offset)
            let c = Expr.Comprehension(
                iterRange: node(.list(elements: [], optional: []), at: offset), iterVar: "#unused", iterVar2: nil,
                accuVar: v, accuInit: value, loopCondition: node(.literal(.bool(false)), at: offset),
                loopStep: node(.ident(v), at: offset), result: args[1], macro: name == "optMap" ? .optMap : .optFlatMap)
            var present = node(.comprehension(c), at: offset)
            if name == "optMap" {
                present = node(.call(function: "optional.of", target: nil, args: [present]), at: offset)
            }
            let none = node(.call(function: "optional.none", target: nil, args: []), at: offset)
            return node(.call(function: "_?_:_", target: nil, args: [hasValue, present, none]), at: offset)
        default:
            return node(.call(function: name, target: target, args: args), at: offset)
        }
    }

    private func iterVar(_ e: Expr, message: String = "argument must be a simple name") throws(Failure) -> String {
        guard case .ident(let v) = e.kind, !v.hasPrefix(".") else {
            throw Failure(message: message, offset: offsets[Int(e.id)])
        }
        if v == accumulatorName || v == "__result__" {
            throw Failure(message: "iteration variable overwrites accumulator variable", offset: offsets[Int(e.id)])
        }
        return v
    }

    private func iterVars(_ a: Expr, _ b: Expr) throws(Failure) -> (String, String) {
        let v1 = try iterVar(a)
        let v2 = try iterVar(b)
        if v1 == v2 { throw Failure(message: "duplicate variable name: \(v1)", offset: offsets[Int(b.id)]) }
        return (v1, v2)
    }

    private mutating func accu(_ offset: Int) -> Expr { node(.ident(accumulatorName), at: offset) }

    private mutating func quantifier(_ name: String, target: Expr, v1: String, v2: String?, predicate: Expr,
                                     at offset: Int) -> Expr
    {
        let c: Expr.Comprehension
        switch name {
        case "all":
            c = Expr.Comprehension(
                iterRange: target, iterVar: v1, iterVar2: v2, accuVar: accumulatorName,
                accuInit: node(.literal(.bool(true)), at: offset),
                loopCondition: node(.call(function: "@not_strictly_false", target: nil, args: [accu(offset)]), at: offset),
                loopStep: node(.call(function: "_&&_", target: nil, args: [accu(offset), predicate]), at: offset),
                result: accu(offset), macro: .all)
        case "exists":
            let not = node(.call(function: "!_", target: nil, args: [accu(offset)]), at: offset)
            c = Expr.Comprehension(
                iterRange: target, iterVar: v1, iterVar2: v2, accuVar: accumulatorName,
                accuInit: node(.literal(.bool(false)), at: offset),
                loopCondition: node(.call(function: "@not_strictly_false", target: nil, args: [not]), at: offset),
                loopStep: node(.call(function: "_||_", target: nil, args: [accu(offset), predicate]), at: offset),
                result: accu(offset), macro: .exists)
        default:  // exists_one / existsOne
            let plus = node(.call(function: "_+_", target: nil, args: [accu(offset), node(.literal(.int(1)), at: offset)]),
                            at: offset)
            c = Expr.Comprehension(
                iterRange: target, iterVar: v1, iterVar2: v2, accuVar: accumulatorName,
                accuInit: node(.literal(.int(0)), at: offset),
                loopCondition: node(.literal(.bool(true)), at: offset),
                loopStep: node(.call(function: "_?_:_", target: nil, args: [predicate, plus, accu(offset)]), at: offset),
                result: node(.call(function: "_==_", target: nil, args: [accu(offset), node(.literal(.int(1)), at: offset)]),
                             at: offset),
                macro: .existsOne)
        }
        return node(.comprehension(c), at: offset)
    }

    private mutating func listBuild(target: Expr, v1: String, v2: String?, filter: Expr?, transform: Expr,
                                    macro: Expr.Macro, at offset: Int) -> Expr
    {
        let element = node(.list(elements: [transform], optional: [false]), at: offset)
        var step = node(.call(function: "_+_", target: nil, args: [accu(offset), element]), at: offset)
        if let filter {
            step = node(.call(function: "_?_:_", target: nil, args: [filter, step, accu(offset)]), at: offset)
        }
        let c = Expr.Comprehension(
            iterRange: target, iterVar: v1, iterVar2: v2, accuVar: accumulatorName,
            accuInit: node(.list(elements: [], optional: []), at: offset),
            loopCondition: node(.literal(.bool(true)), at: offset),
            loopStep: step, result: accu(offset), macro: macro)
        return node(.comprehension(c), at: offset)
    }

    private mutating func mapBuild(_ name: String, target: Expr, v1: String, v2: String, filter: Expr?,
                                   transform: Expr, at offset: Int) -> Expr
    {
        let entry = name == "transformMapEntry"
        var step: Expr
        if entry {
            step = node(.call(function: "cel.@mapInsert", target: nil, args: [accu(offset), transform]), at: offset)
        } else {
            step = node(.call(function: "cel.@mapInsert", target: nil,
                              args: [accu(offset), node(.ident(v1), at: offset), transform]), at: offset)
        }
        if let filter {
            step = node(.call(function: "_?_:_", target: nil, args: [filter, step, accu(offset)]), at: offset)
        }
        let macro: Expr.Macro = entry
            ? (filter == nil ? .transformMapEntry : .transformMapEntryFilter)
            : (filter == nil ? .transformMap : .transformMapFilter)
        let c = Expr.Comprehension(
            iterRange: target, iterVar: v1, iterVar2: v2, accuVar: accumulatorName,
            accuInit: node(.map(entries: []), at: offset),
            loopCondition: node(.literal(.bool(true)), at: offset),
            loopStep: step, result: accu(offset), macro: macro)
        return node(.comprehension(c), at: offset)
    }
}
