/// Bounds on one template execution, so a template from a fleet repository cannot hang the process or
/// exhaust its memory. Go's `text/template` has none of these (only a 100000-deep `template` recursion
/// guard); exceeding one is an execution error that names the limit. The defaults are far above what a
/// ClusterClass patch needs (docs/templates.md lists them).
public struct TemplateLimits: Sendable, Equatable {
    /// Evaluation steps: one per node walked, per function call and per range iteration, plus one per
    /// 64 bytes of string and per 16 list or map elements a function returns (so building data costs in
    /// proportion to its size).
    public var maxSteps: Int
    /// Bytes of output the template may write.
    public var maxOutputBytes: Int
    /// `range` iterations over the whole execution (over lists, maps and integers alike).
    public var maxRangeIterations: Int
    /// Nesting of `{{template}}` calls.
    public var maxTemplateDepth: Int
    /// The size of one value a function builds or prints: bytes of a string, or the size a list or map
    /// would have when printed (each string's bytes plus one per element), counted before building it.
    public var maxValueBytes: Int

    /// 1,000,000 steps, 1 MiB of output, 100,000 range iterations, `template` depth 1,000, 16 MiB values.
    public static let `default` = TemplateLimits(
        maxSteps: 1_000_000, maxOutputBytes: 1 << 20, maxRangeIterations: 100_000, maxTemplateDepth: 1000,
        maxValueBytes: 16 << 20)

    /// Limits with the given values; omitted ones keep their defaults. `maxValueBytes` is capped at the
    /// 16 MiB that sprig's string builders (`repeat`, `indent`, ...) check before allocating.
    public init(
        maxSteps: Int = 1_000_000, maxOutputBytes: Int = 1 << 20, maxRangeIterations: Int = 100_000,
        maxTemplateDepth: Int = 1000, maxValueBytes: Int = 16 << 20
    ) {
        self.maxSteps = maxSteps
        self.maxOutputBytes = maxOutputBytes
        self.maxRangeIterations = maxRangeIterations
        self.maxTemplateDepth = maxTemplateDepth
        self.maxValueBytes = min(maxValueBytes, Sprig.maxValueBytes)
    }
}

/// How a function's cost is charged before it runs (after it runs, every result is charged by size).
enum FunctionCost: Sendable {
    /// Constant work per call, or work bounded by the size of its result.
    case constant
    /// Prints, encodes, copies or compares whole values: the arguments' printed size is checked against
    /// `maxValueBytes` and charged before the call (an exponentially shared structure fails fast).
    case wholeValue
    /// Compares every element with every other (`uniq`, `without`): charged by the square of the length.
    case quadratic

    static func of(_ name: String) -> FunctionCost {
        if quadraticNames.contains(name) { return .quadratic }
        return wholeValueNames.contains(name) ? .wholeValue : .constant
    }

    private static let quadraticNames: Set<String> = ["uniq", "mustUniq", "without", "mustWithout"]
    private static let wholeValueNames: Set<String> = [
        "print", "printf", "println", "html", "js", "urlquery", "toString", "toStrings", "cat", "join", "quote",
        "squote", "sortAlpha", "toJson", "mustToJson", "toPrettyJson", "mustToPrettyJson", "toRawJson",
        "mustToRawJson", "deepCopy", "mustDeepCopy", "deepEqual", "has", "mustHas", "typeIsLike",
    ]
}

extension TemplateValue {
    /// Roughly the bytes this value prints as (strings' bytes, one per scalar or element), counted only up
    /// to `limit`: the walk stops once the size exceeds it, so a list that shares one big string a million
    /// times, or a map that contains itself, is measured in bounded time.
    func printedSize(upTo limit: Int) -> Int {
        var total = 0
        var stack: [TemplateValue] = [self]
        while let v = stack.popLast() {
            switch v {
            case .string(let s): total += s.utf8.count + 1
            case .list(let l):
                total += 2 + l.items.count
                if total <= limit { stack.append(contentsOf: l.items) }
            case .map(let m):
                total += 2 + m.entries.count
                if total <= limit {
                    for (k, e) in m.entries {
                        total += k.utf8.count
                        stack.append(e)
                    }
                }
            default: total += 1
            }
            if total > limit { return total }
        }
        return total
    }
}
