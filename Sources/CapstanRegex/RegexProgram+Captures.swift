/// A subject string as the VM reads it: code points, and each one's UTF-8 offset (one extra at the end),
/// so matches map back to `String.Index` values and Go's byte offsets.
struct RegexInput {
    let subject: String
    let scalars: [UInt32]
    let utf8Offsets: [Int]

    init(_ s: String) {
        subject = s
        var scalars: [UInt32] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(s.utf8.count)
        offsets.reserveCapacity(s.utf8.count + 1)
        var off = 0
        for u in s.unicodeScalars {
            scalars.append(u.value)
            offsets.append(off)
            off += UTF8.width(u)
        }
        offsets.append(off)
        self.scalars = scalars
        utf8Offsets = offsets
    }

    /// The string index of code point position `i` (always on a Unicode scalar boundary).
    func index(_ i: Int) -> String.Index {
        subject.utf8.index(subject.utf8.startIndex, offsetBy: utf8Offsets[i])
    }

    /// The text between two code point positions; never rounded to a Character boundary.
    func text(_ a: Int, _ b: Int) -> String {
        String(subject.unicodeScalars[index(a)..<index(b)])
    }
}

/// One match with its submatches (Go's `FindStringSubmatch` and `FindStringSubmatchIndex` in one value).
/// Group 0 is the whole match; a group that did not take part is nil (Go: "" text, -1 offsets).
public struct RegexMatch: Sendable, Equatable {
    /// Group texts by index.
    public let groups: [String?]
    /// Group ranges in the searched string, on Unicode scalar boundaries: slice with `unicodeScalars` or
    /// `utf8`, because `String`'s own subscript rounds to Character boundaries (a match may split one).
    public let ranges: [Range<String.Index>?]
    /// Group ranges as UTF-8 byte offsets, as Go reports them.
    public let utf8Ranges: [Range<Int>?]
    /// Group names by index (the program's `captureNames`).
    public let names: [String]
    /// Group ranges as code point positions, for the expansion and iteration code.
    let scalarRanges: [Range<Int>?]

    /// The whole match.
    public var text: String { groups[0]! }
    /// The whole match's range in the searched string.
    public var range: Range<String.Index> { ranges[0]! }

    /// The text of the leftmost participating group called `name` (Go's `Expand` rule), or nil.
    public func group(named name: String) -> String? {
        for (i, n) in names.enumerated() where n == name && !name.isEmpty {
            if let g = groups[i] { return g }
        }
        return nil
    }

    init(_ slots: [Int], _ input: RegexInput, names: [String]) {
        var groups: [String?] = []
        var ranges: [Range<String.Index>?] = []
        var utf8: [Range<Int>?] = []
        var scalar: [Range<Int>?] = []
        for k in 0..<(slots.count / 2) {
            let a = slots[2 * k], b = slots[2 * k + 1]
            if a >= 0, b >= a {
                groups.append(input.text(a, b))
                ranges.append(input.index(a)..<input.index(b))
                utf8.append(input.utf8Offsets[a]..<input.utf8Offsets[b])
                scalar.append(a..<b)
            } else {
                groups.append(nil)
                ranges.append(nil)
                utf8.append(nil)
                scalar.append(nil)
            }
        }
        self.groups = groups
        self.ranges = ranges
        utf8Ranges = utf8
        scalarRanges = scalar
        self.names = names
    }

    public static func == (l: RegexMatch, r: RegexMatch) -> Bool {
        l.groups == r.groups && l.utf8Ranges == r.utf8Ranges && l.names == r.names
    }
}

extension RegexProgram {
    /// The leftmost-first match with its groups, or nil (Go's `FindStringSubmatch`).
    public func submatch(in s: String) -> RegexMatch? {
        let input = RegexInput(s)
        guard let slots = searchCaptures(input.scalars, from: 0) else { return nil }
        return RegexMatch(slots, input, names: captureNames)
    }

    /// Successive non-overlapping matches with their groups, at most `limit` (negative: all), as Go's
    /// `FindAllStringSubmatch`: an empty match directly after the previous match is skipped.
    public func allSubmatches(in s: String, limit: Int = -1) -> [RegexMatch] {
        let input = RegexInput(s)
        var out: [RegexMatch] = []
        forEachMatch(input.scalars, limit: limit, captures: true) { slots in
            out.append(RegexMatch(slots, input, names: captureNames))
        }
        return out
    }

    /// Go's `allMatches` iteration over code point positions; `captures` false fills only slots 0 and 1.
    func forEachMatch(_ input: [UInt32], limit: Int, captures: Bool, _ deliver: ([Int]) -> Void) {
        var pos = 0
        var prevEnd = -1
        var count = 0
        while pos <= input.count, limit < 0 || count < limit {
            let found: [Int]?
            if captures {
                found = searchCaptures(input, from: pos)
            } else {
                found = search(input, from: pos, firstOnly: false).map { [$0.0, $0.1] }
            }
            guard let slots = found else { break }
            let (a, b) = (slots[0], slots[1])
            var accept = true
            if b == pos {
                // An empty match right after the previous match is skipped; advance one code point.
                if a == prevEnd { accept = false }
                pos += 1
            } else {
                pos = b
            }
            prevEnd = b
            if accept {
                deliver(slots)
                count += 1
            }
        }
    }

    // MARK: - Pike VM with capture slots

    private struct CaptureThread {
        var pc: Int
        var slots: [Int]
    }

    /// The leftmost-first match at or after `from` with every group's slots (code point positions; -1 for a
    /// group that did not take part). Same scheduling as `search`, plus a slot array per thread that is
    /// shared until a `save` writes to it, so the cost stays O(input × program × groups).
    func searchCaptures(_ input: [UInt32], from: Int) -> [Int]? {
        let n = input.count
        let slotCount = 2 * captureNames.count
        var clist: [CaptureThread] = []
        var nlist: [CaptureThread] = []
        var marks = [Int](repeating: -1, count: insts.count)
        var generation = 0
        var stack: [CaptureThread] = []
        var matched: [Int]?

        func check(_ a: Assertion, _ pos: Int) -> Bool { a.holds(at: pos, in: input) }
        func add(_ list: inout [CaptureThread], _ t: CaptureThread, _ pos: Int) {
            stack.append(t)
            while var cur = stack.popLast() {
                if marks[cur.pc] == generation { continue }
                marks[cur.pc] = generation
                switch insts[cur.pc] {
                case .jump(let x):
                    cur.pc = x
                    stack.append(cur)
                case .save(let k):
                    cur.pc += 1
                    if k < slotCount { cur.slots[k] = pos }
                    stack.append(cur)
                case .split(let x, let y):
                    stack.append(CaptureThread(pc: y, slots: cur.slots))
                    cur.pc = x
                    stack.append(cur)
                case .assert(let a):
                    if check(a, pos) {
                        cur.pc += 1
                        stack.append(cur)
                    }
                default:
                    list.append(cur)
                }
            }
        }

        var seed = [Int](repeating: -1, count: slotCount)
        var pos = from
        while true {
            if clist.isEmpty { generation += 1 }
            if matched == nil && (!anchoredStart || pos == 0) {
                seed[0] = pos
                add(&clist, CaptureThread(pc: 0, slots: seed), pos)
            }
            if clist.isEmpty {
                if matched != nil || anchoredStart || pos >= n { break }
                pos += 1
                continue
            }
            generation += 1
            let c: UInt32 = pos < n ? input[pos] : 0xFFFF_FFFF
            var i = 0
            while i < clist.count {
                var t = clist[i]
                i += 1
                var ok = false
                switch insts[t.pc] {
                case .char(let x): ok = pos < n && c == x
                case .charFold(let xs): ok = pos < n && xs.contains(c)
                case .any: ok = pos < n
                case .anyNotNL: ok = pos < n && c != 10
                case .charClass(let cls): ok = pos < n && cls.contains(c)
                case .match:
                    t.slots[1] = pos
                    matched = t.slots
                    i = clist.count  // cut lower-priority threads
                default: break
                }
                if ok {
                    t.pc += 1
                    add(&nlist, t, pos + 1)
                }
            }
            swap(&clist, &nlist)
            nlist.removeAll(keepingCapacity: true)
            if pos >= n { break }
            pos += 1
        }
        return matched
    }
}
