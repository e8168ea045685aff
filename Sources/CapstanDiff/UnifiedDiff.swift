/// Line diffs in the unified format (`@@ -a,b +c,d @@`, ` `/`-`/`+` lines), as `git diff` prints them.
/// Myers' O((N+M)·D) algorithm on the lines between the common prefix and suffix; beyond `maxEdits`
/// differing lines the middle is shown as removed then added (still correct, less minimal).
public enum UnifiedDiff {
    /// One line of a hunk.
    public enum Line: Sendable, Hashable {
        case context(String)
        case removed(String)
        case added(String)

        /// The line as printed (prefix character and text).
        public var text: String {
            switch self {
            case .context(let s): " " + s
            case .removed(let s): "-" + s
            case .added(let s): "+" + s
            }
        }
    }

    /// A group of changed lines with their context.
    public struct Hunk: Sendable, Hashable {
        public var oldStart: Int
        public var oldCount: Int
        public var newStart: Int
        public var newCount: Int
        public var lines: [Line]

        /// `@@ -3,7 +3,8 @@`.
        public var header: String {
            func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }
            return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
        }
    }

    /// How many differing lines the exact algorithm handles before falling back.
    public static let maxEdits = 4_000

    /// The hunks turning `old` into `new`, with `context` unchanged lines around each change.
    public static func hunks(old: [String], new: [String], context: Int = 3) -> [Hunk] {
        let ops = operations(old, new)
        guard ops.contains(where: { $0 != .equal }) else { return [] }
        // Positions of every op in both files.
        var hunks: [Hunk] = []
        var oldLine = 0, newLine = 0
        var positions: [(Int, Int)] = []
        for op in ops {
            positions.append((oldLine, newLine))
            switch op {
            case .equal: oldLine += 1; newLine += 1
            case .delete: oldLine += 1
            case .insert: newLine += 1
            }
        }
        var i = 0
        while i < ops.count {
            guard ops[i] != .equal else { i += 1; continue }
            let start = max(0, i - context)
            var end = i
            // Extend while the next change is within 2·context equal lines.
            while true {
                while end < ops.count && ops[end] != .equal { end += 1 }
                var gap = 0
                var j = end
                while j < ops.count && ops[j] == .equal && gap <= 2 * context { j += 1; gap += 1 }
                if j < ops.count && ops[j] != .equal && gap <= 2 * context { end = j; continue }
                break
            }
            let stop = min(ops.count, end + context)
            var lines: [Line] = []
            var oc = 0, nc = 0
            for k in start..<stop {
                let (o, n) = positions[k]
                switch ops[k] {
                case .equal: lines.append(.context(old[o])); oc += 1; nc += 1
                case .delete: lines.append(.removed(old[o])); oc += 1
                case .insert: lines.append(.added(new[n])); nc += 1
                }
            }
            let (o0, n0) = positions[start]
            hunks.append(Hunk(oldStart: oc == 0 ? o0 : o0 + 1, oldCount: oc, newStart: nc == 0 ? n0 : n0 + 1, newCount: nc, lines: lines))
            i = stop
        }
        return hunks
    }

    /// The unified diff of two texts (split on newlines), hunks only (no `---`/`+++` header); "" when equal.
    public static func render(old: String, new: String, context: Int = 3) -> String {
        let h = hunks(old: lines(old), new: lines(new), context: context)
        return h.map { hunk in ([hunk.header] + hunk.lines.map(\.text)).joined(separator: "\n") + "\n" }.joined()
    }

    /// Lines of a text without the final newline's empty line.
    public static func lines(_ text: String) -> [String] {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if l.last == "" { l.removeLast() }
        return l
    }

    enum Op: Equatable { case equal, delete, insert }

    /// Edit script from `a` to `b`.
    static func operations(_ a: [String], _ b: [String]) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let x = Array(a[prefix..<(a.count - suffix)]), y = Array(b[prefix..<(b.count - suffix)])
        let middle = myers(x, y) ?? (Array(repeating: Op.delete, count: x.count) + Array(repeating: Op.insert, count: y.count))
        return Array(repeating: .equal, count: prefix) + middle + Array(repeating: .equal, count: suffix)
    }

    /// Myers' shortest edit script, or nil past `maxEdits`.
    static func myers(_ a: [String], _ b: [String]) -> [Op]? {
        let n = a.count, m = b.count
        if n == 0 { return Array(repeating: .insert, count: m) }
        if m == 0 { return Array(repeating: .delete, count: n) }
        let maxD = min(n + m, maxEdits)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maxD {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { x = v[offset + k + 1] } else { x = v[offset + k - 1] + 1 }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break outer }
            }
        }
        guard found else { return nil }
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
            let prevX = v[offset + prevK], prevY = prevX - prevK
            while x > prevX && y > prevY { ops.append(.equal); x -= 1; y -= 1 }
            if d > 0 {
                if x == prevX { ops.append(.insert); y -= 1 } else { ops.append(.delete); x -= 1 }
            }
        }
        return ops.reversed()
    }
}
