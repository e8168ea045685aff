import Synchronization

/// A compiled regular expression, matched by a Pike VM: every input position is visited once per
/// program instruction at most, so matching time is O(input × pattern) whatever the pattern.
/// Semantics are Go's `regexp` (leftmost-first, like Perl): a match may start anywhere unless anchored.
public final class RegexProgram: Sendable {
    enum Assertion: Sendable { case beginLine, endLine, beginText, endText, wordBoundary, notWordBoundary }

    enum Inst: Sendable {
        case char(UInt32)
        case charFold([UInt32])
        case any
        case anyNotNL
        case charClass(CharClass)
        case split(Int, Int)
        case jump(Int)
        case assert(Assertion)
        /// Records the current position in capture slot n (2k: group k starts, 2k+1: it ends).
        case save(Int)
        case match
    }

    let insts: [Inst]
    /// True when every match must start at the beginning of the text (`^...` without multi-line).
    let anchoredStart: Bool
    /// The source text, as Go's `Regexp.String()`.
    public let pattern: String
    /// Group names by index, `""` for the whole match (index 0) and unnamed groups (Go's `SubexpNames`).
    public let captureNames: [String]

    static let maxInstructions = 20_000

    public init(pattern: String) throws(RegexError) {
        let (tree, names) = try RegexParser.parse(pattern)
        var c = RegexCompiler()
        try c.emit(tree)
        c.insts.append(.match)
        insts = c.insts
        self.pattern = pattern
        captureNames = names
        if case .assert(.beginText) = insts.first { anchoredStart = true } else { anchoredStart = false }
    }

    /// The number of capturing groups (Go's `NumSubexp`).
    public var captureCount: Int { captureNames.count - 1 }

    /// The index of the leftmost group called `name`, or nil (Go's `SubexpIndex`).
    public func captureIndex(named name: String) -> Int? {
        guard !name.isEmpty else { return nil }
        return captureNames.firstIndex(of: name)
    }

    /// True if the pattern matches anywhere in `s` (CEL `matches`).
    public func matches(_ s: String) -> Bool {
        let input = Array(s.unicodeScalars.lazy.map(\.value))
        return search(input, from: 0, firstOnly: true) != nil
    }

    /// The first match as a substring, or nil (Kubernetes `find`).
    public func firstMatch(_ s: String) -> String? {
        let input = Array(s.unicodeScalars.lazy.map(\.value))
        guard let (a, b) = search(input, from: 0, firstOnly: false) else { return nil }
        return Self.text(input, a, b)
    }

    /// Non-overlapping matches left to right, at most `limit` (negative: all), as Go's `FindAllString`.
    public func allMatches(_ s: String, limit: Int) -> [String] {
        let input = Array(s.unicodeScalars.lazy.map(\.value))
        var out: [String] = []
        forEachMatch(input, limit: limit, captures: false) { out.append(Self.text(input, $0[0], $0[1])) }
        return out
    }

    static func text(_ input: [UInt32], _ a: Int, _ b: Int) -> String {
        var s = String.UnicodeScalarView()
        for v in input[a..<b] { s.append(Unicode.Scalar(v)!) }
        return String(s)
    }

    // MARK: - Pike VM

    private struct Thread {
        var pc: Int
        var start: Int
    }

    /// The leftmost-first match starting at or after `from`: (start, end) in code points.
    func search(_ input: [UInt32], from: Int, firstOnly: Bool) -> (Int, Int)? {
        let n = input.count
        var clist: [Thread] = []
        var nlist: [Thread] = []
        clist.reserveCapacity(insts.count)
        nlist.reserveCapacity(insts.count)
        var marks = [Int](repeating: -1, count: insts.count)
        var generation = 0
        var stack: [Thread] = []
        var matched: (Int, Int)?

        func check(_ a: Assertion, _ pos: Int) -> Bool { a.holds(at: pos, in: input) }
        /// Adds a thread and everything reachable from it by empty transitions, in priority order.
        func add(_ list: inout [Thread], _ t: Thread, _ pos: Int) {
            stack.append(t)
            while let cur = stack.popLast() {
                if marks[cur.pc] == generation { continue }
                marks[cur.pc] = generation
                switch insts[cur.pc] {
                case .jump(let x):
                    stack.append(Thread(pc: x, start: cur.start))
                case .save:
                    stack.append(Thread(pc: cur.pc + 1, start: cur.start))
                case .split(let x, let y):
                    stack.append(Thread(pc: y, start: cur.start))
                    stack.append(Thread(pc: x, start: cur.start))
                case .assert(let a):
                    if check(a, pos) { stack.append(Thread(pc: cur.pc + 1, start: cur.start)) }
                default:
                    list.append(cur)
                }
            }
        }

        var pos = from
        while true {
            // Seeds share the generation of the threads carried to this position (they have priority).
            if clist.isEmpty { generation += 1 }
            if matched == nil && (!anchoredStart || pos == 0) {
                add(&clist, Thread(pc: 0, start: pos), pos)
            }
            if clist.isEmpty {
                // Nothing alive: stop once a match is final, the pattern is anchored, or the input ends.
                if matched != nil || anchoredStart || pos >= n { break }
                pos += 1
                continue
            }
            generation += 1
            let c: UInt32 = pos < n ? input[pos] : 0xFFFF_FFFF
            var i = 0
            while i < clist.count {
                let t = clist[i]
                i += 1
                var ok = false
                switch insts[t.pc] {
                case .char(let x): ok = pos < n && c == x
                case .charFold(let xs): ok = pos < n && xs.contains(c)
                case .any: ok = pos < n
                case .anyNotNL: ok = pos < n && c != 10
                case .charClass(let cls): ok = pos < n && cls.contains(c)
                case .match:
                    matched = (t.start, pos)
                    if firstOnly { return matched }
                    i = clist.count  // cut lower-priority threads
                default: break
                }
                if ok { add(&nlist, Thread(pc: t.pc + 1, start: t.start), pos + 1) }
            }
            swap(&clist, &nlist)
            nlist.removeAll(keepingCapacity: true)
            if pos >= n { break }
            pos += 1
        }
        return matched
    }
}

/// Emits VM instructions for a regex tree.
struct RegexCompiler {
    var insts: [RegexProgram.Inst] = []

    mutating func append(_ i: RegexProgram.Inst) throws(RegexError) {
        if insts.count >= RegexProgram.maxInstructions {
            throw RegexError(message: "error parsing regexp: expression too large")
        }
        insts.append(i)
    }

    mutating func emit(_ node: RegexNode) throws(RegexError) {
        switch node {
        case .empty: break
        case .char(let c, let fold):
            let variants = fold ? CaseFold.variants(c) : [c]
            try append(variants.count > 1 ? .charFold(variants) : .char(c))
        case .anyChar(let nl): try append(nl ? .any : .anyNotNL)
        case .charClass(let cls): try append(.charClass(cls))
        case .beginLine: try append(.assert(.beginLine))
        case .endLine: try append(.assert(.endLine))
        case .beginText: try append(.assert(.beginText))
        case .endText: try append(.assert(.endText))
        case .wordBoundary: try append(.assert(.wordBoundary))
        case .notWordBoundary: try append(.assert(.notWordBoundary))
        case .group(let inner): try emit(inner)
        case .capture(let inner, let index):
            try append(.save(2 * index))
            try emit(inner)
            try append(.save(2 * index + 1))
        case .concat(let items): for i in items { try emit(i) }
        case .alternate(let branches):
            var jumps: [Int] = []
            for (k, b) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = insts.count
                    try append(.split(split + 1, -1))
                    try emit(b)
                    jumps.append(insts.count)
                    try append(.jump(-1))
                    insts[split] = .split(split + 1, insts.count)
                } else {
                    try emit(b)
                }
            }
            for j in jumps { insts[j] = .jump(insts.count) }
        case .repeatNode(let inner, let minCount, let maxCount, let greedy):
            for _ in 0..<minCount { try emit(inner) }
            if let maxCount {
                // (x(x(x)?)?)? for the optional copies.
                var splits: [Int] = []
                for _ in minCount..<maxCount {
                    splits.append(insts.count)
                    try append(.split(-1, -1))
                    try emit(inner)
                }
                let end = insts.count
                for s in splits { insts[s] = greedy ? .split(s + 1, end) : .split(end, s + 1) }
            } else {
                let loop = insts.count
                try append(.split(-1, -1))
                try emit(inner)
                try append(.jump(loop))
                let end = insts.count
                insts[loop] = greedy ? .split(loop + 1, end) : .split(end, loop + 1)
            }
        }
    }
}

/// Compiled regular expressions by pattern (bounded), so expressions with a constant pattern compile it once.
public final class RegexCache: Sendable {
    public static let shared = RegexCache()
    private let entries = Mutex<[String: Result<RegexProgram, RegexError>]>([:])

    public func compile(_ pattern: String) -> Result<RegexProgram, RegexError> {
        if let hit = entries.withLock({ $0[pattern] }) { return hit }
        let result: Result<RegexProgram, RegexError>
        do { result = .success(try RegexProgram(pattern: pattern)) } catch { result = .failure(error) }
        entries.withLock {
            if $0.count > 512 { $0.removeAll() }
            $0[pattern] = result
        }
        return result
    }
}

extension RegexProgram.Assertion {
    /// Whether this empty-width assertion holds between `input[pos - 1]` and `input[pos]` (ASCII word
    /// characters and `\n` line ends, as RE2 without the `m`/Unicode-word options). Both VMs use it.
    func holds(at pos: Int, in input: [UInt32]) -> Bool {
        let n = input.count
        func isWord(_ c: UInt32) -> Bool {
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
        }
        switch self {
        case .beginText: return pos == 0
        case .endText: return pos == n
        case .beginLine: return pos == 0 || input[pos - 1] == 10
        case .endLine: return pos == n || input[pos] == 10
        case .wordBoundary, .notWordBoundary:
            let before = pos > 0 && isWord(input[pos - 1])
            let after = pos < n && isWord(input[pos])
            return (before != after) == (self == .wordBoundary)
        }
    }
}
