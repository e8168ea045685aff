/// A parsed CEL expression node. Every node has an id; `ParsedExpression.offsets[id]` is its source offset.
struct Expr: Sendable {
    var id: Int32
    var kind: Kind

    indirect enum Kind: Sendable {
        case literal(CELValue)
        /// A name; a leading `.` (root scope) is kept in the name.
        case ident(String)
        /// `operand.field`, or `has(operand.field)` when `testOnly`.
        case select(operand: Expr, field: String, testOnly: Bool)
        /// A global call (`target == nil`) or a receiver call `target.function(args)`.
        case call(function: String, target: Expr?, args: [Expr])
        /// `[a, ?b]`: `optional[i]` marks `?`-prefixed elements.
        case list(elements: [Expr], optional: [Bool])
        case map(entries: [MapEntry])
        /// `Type{field: value}` (protobuf message construction; parsed but not supported at runtime).
        case message(type: String, fields: [FieldEntry])
        case comprehension(Comprehension)
    }

    struct MapEntry: Sendable {
        var id: Int32
        var key: Expr
        var value: Expr
        var optional: Bool
    }

    struct FieldEntry: Sendable {
        var id: Int32
        var field: String
        var value: Expr
        var optional: Bool
    }

    /// The general fold every macro expands into.
    struct Comprehension: Sendable {
        var iterRange: Expr
        var iterVar: String
        /// The second variable of two-variable comprehensions (value; `iterVar` is the index or key).
        var iterVar2: String?
        var accuVar: String
        var accuInit: Expr
        var loopCondition: Expr
        var loopStep: Expr
        var result: Expr
        /// Which macro produced it; lets the compiler use a specialised loop with identical semantics.
        var macro: Macro?
    }

    /// The macros that expand into comprehensions.
    enum Macro: Sendable {
        case all, exists, existsOne, map, mapFilter, filter
        case transformList, transformListFilter, transformMap, transformMapFilter
        case transformMapEntry, transformMapEntryFilter
        case bind, optMap, optFlatMap
    }
}

/// The accumulator variable name used by macro expansions (not writable in CEL source).
let accumulatorName = "@result"

/// A parsed expression: its tree, its source, and each node's source offset (indexed by node id).
struct ParsedExpression: Sendable {
    var root: Expr
    var source: CELSource
    var offsets: [Int]

    func location(of id: Int32) -> CELSourceLocation? {
        guard id > 0, Int(id) < offsets.count else { return nil }
        return source.location(offsets[Int(id)])
    }
}

extension Expr {
    /// The dotted name this expression spells if it is an identifier or a chain of field selections
    /// on one (`a.b.c`), else nil.
    var qualifiedName: String? {
        switch kind {
        case .ident(let n): return n
        case .select(let operand, let field, let testOnly) where !testOnly:
            return operand.qualifiedName.map { $0 + "." + field }
        default: return nil
        }
    }
}
