/// A regular expression in RE2 syntax (what Go's `regexp` and therefore cel-go and Kubernetes accept),
/// parsed into a tree. Matching is done by `RegexProgram` in time linear in the input, so a hostile
/// pattern cannot stall an evaluation (Swift's `Regex` backtracks and would).
///
/// Supported: literals, `.`, classes `[...]` with ranges, negation, POSIX `[:alpha:]` classes, Perl
/// classes `\d \s \w` (and negations), Unicode general categories `\pL`, `\p{Lu}`, `\PN`, `\p{^L}`,
/// anchors `^ $ \A \z \b \B`, groups `(...)`, `(?:...)`, `(?P<n>...)`, `(?<n>...)`, flags `(?imsU)` and
/// `(?i:...)`, repetition `* + ? {n} {n,} {n,m}` (greedy and lazy), alternation, escapes `\a \f \t \n
/// \r \v \x7F \x{10FFFF} \123 \Q...\E`. Not supported (compile error): Unicode scripts (`\p{Greek}`),
/// which Swift's standard library does not expose.
indirect enum RegexNode: Sendable {
    case empty
    case char(UInt32, fold: Bool)
    case anyChar(dotNL: Bool)
    case charClass(CharClass)
    case beginLine, endLine, beginText, endText, wordBoundary, notWordBoundary
    case concat([RegexNode])
    case alternate([RegexNode])
    case repeatNode(RegexNode, min: Int, max: Int?, greedy: Bool)
    /// A non-capturing group `(?:...)` / `(?i:...)`.
    case group(RegexNode)
    /// A capturing group; `index` counts opening parentheses from 1, as Go numbers submatches.
    case capture(RegexNode, index: Int)
}

/// A set of code points: ranges and Unicode categories, possibly negated, optionally case-folded.
struct CharClass: Sendable {
    enum Item: Sendable {
        case range(UInt32, UInt32)
        case category(Set<Unicode.GeneralCategory>, negated: Bool)
    }
    var items: [Item] = []
    var negated = false
    var fold = false

    func contains(_ c: UInt32) -> Bool {
        var hit = containsExact(c)
        if !hit, fold {
            for f in CaseFold.variants(c) where f != c && containsExact(f) {
                hit = true
                break
            }
        }
        return hit != negated
    }

    private func containsExact(_ c: UInt32) -> Bool {
        for item in items {
            switch item {
            case .range(let lo, let hi): if c >= lo && c <= hi { return true }
            case .category(let cats, let neg):
                guard let s = Unicode.Scalar(c) else { continue }
                if cats.contains(s.properties.generalCategory) != neg { return true }
            }
        }
        return false
    }
}

/// Simple case folding: the code point and its single-scalar lower- and upper-case mappings.
enum CaseFold {
    static func variants(_ c: UInt32) -> [UInt32] {
        if c < 128 {
            if c >= 65 && c <= 90 { return [c, c + 32] }
            if c >= 97 && c <= 122 { return [c, c - 32] }
            return [c]
        }
        guard let s = Unicode.Scalar(c) else { return [c] }
        var out = [c]
        for m in [s.properties.lowercaseMapping, s.properties.uppercaseMapping, s.properties.titlecaseMapping] {
            let scalars = Array(m.unicodeScalars)
            if scalars.count == 1, !out.contains(scalars[0].value) { out.append(scalars[0].value) }
        }
        // Go folds K/k with KELVIN SIGN and s/S with LONG S; include those orbits.
        switch c {
        case 0x212A: out += [0x6B, 0x4B]
        case 0x17F: out += [0x73, 0x53]
        default: break
        }
        return out
    }

    static func equal(_ a: UInt32, _ b: UInt32) -> Bool {
        a == b || variants(a).contains(b)
    }
}

/// A regular expression syntax error, worded like Go's `regexp` ("error parsing regexp: ...").
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Parses RE2 syntax.
struct RegexParser {
    let chars: [UInt32]
    var pos = 0
    var foldCase = false
    var multiLine = false
    var dotNL = false
    var nonGreedy = false
    var depth = 0
    /// Capture group names by index; index 0 (the whole match) and unnamed groups are "" (Go's `SubexpNames`).
    var captureNames: [String] = [""]

    init(_ pattern: String) { chars = pattern.unicodeScalars.map(\.value) }

    static func parse(_ pattern: String) throws(RegexError) -> (RegexNode, captureNames: [String]) {
        var p = RegexParser(pattern)
        let node = try p.parseAlternation()
        if p.pos < p.chars.count {
            throw p.fail("unexpected )", p.pos)
        }
        return (node, p.captureNames)
    }

    func fail(_ what: String, _ from: Int, to end: Int? = nil) -> RegexError {
        let lo = min(from, chars.count)
        let fragment = String(String.UnicodeScalarView(chars[lo..<max(lo, min(end ?? chars.count, chars.count))].compactMap(Unicode.Scalar.init)))
        return RegexError(message: "error parsing regexp: \(what): `\(fragment)`")
    }

    var atEnd: Bool { pos >= chars.count }
    func peek(_ k: Int = 0) -> UInt32? { pos + k < chars.count ? chars[pos + k] : nil }
    func isChar(_ c: Character, _ k: Int = 0) -> Bool { peek(k) == c.unicodeScalars.first!.value }

    mutating func parseAlternation() throws(RegexError) -> RegexNode {
        depth += 1
        // Flags set by `(?i)` last until the end of the enclosing group, across alternatives.
        let saved = (foldCase, multiLine, dotNL, nonGreedy)
        defer {
            depth -= 1
            (foldCase, multiLine, dotNL, nonGreedy) = saved
        }
        if depth > 1000 { throw RegexError(message: "error parsing regexp: expression nests too deeply") }
        var branches = [try parseConcat()]
        while isChar("|") {
            pos += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != 124 /* | */, c != 41 /* ) */ {
            let start = pos
            guard var atom = try parseAtom() else { continue }
            // Repetition operators.
            var repeated = false
            while let q = peek() {
                var minCount = 0, maxCount: Int? = nil
                let opStart = pos
                if q == 42 { pos += 1; minCount = 0; maxCount = nil }  // *
                else if q == 43 { pos += 1; minCount = 1; maxCount = nil }  // +
                else if q == 63 { pos += 1; minCount = 0; maxCount = 1 }  // ?
                else if q == 123, let (lo, hi, len) = parseBraces() {  // {n,m}
                    pos += len
                    minCount = lo
                    maxCount = hi
                    if lo > 1000 || (hi ?? 0) > 1000 || (hi != nil && hi! < lo) {
                        throw fail("invalid repeat count", opStart)
                    }
                } else { break }
                if repeated { throw fail("invalid nested repetition operator", start) }
                if case .empty = atom { throw fail("missing argument to repetition operator", opStart) }
                var greedy = true
                if isChar("?") {
                    pos += 1
                    greedy = false
                }
                if nonGreedy { greedy.toggle() }
                atom = .repeatNode(atom, min: minCount, max: maxCount, greedy: greedy)
                repeated = true
            }
            items.append(atom)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    /// `{n}`, `{n,}`, `{n,m}` at `pos`: bounds and length; nil if the brace is a literal.
    func parseBraces() -> (Int, Int?, Int)? {
        var i = pos + 1
        func number() -> Int? {
            var v = 0, n = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                v = min(v * 10 + Int(chars[i] - 48), 100_000)
                i += 1
                n += 1
            }
            return n > 0 ? v : nil
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if i < chars.count, chars[i] == 44 {
            i += 1
            hi = number()
        }
        guard i < chars.count, chars[i] == 125 else { return nil }
        return (lo, hi, i + 1 - pos)
    }

    /// One atom; nil for a flag group `(?i)` that only changes flags.
    mutating func parseAtom() throws(RegexError) -> RegexNode? {
        let start = pos
        let c = chars[pos]
        switch c {
        case 40:  // (
            pos += 1
            if isChar("?") {
                // Named group (?P<name>...) or (?<name>...).
                if isChar("P", 1) && isChar("<", 2) || isChar("<", 1) {
                    pos += isChar("P", 1) ? 3 : 2
                    let nameStart = pos
                    while let ch = peek(), ch != 62 { pos += 1 }
                    guard isChar(">") else { throw fail("invalid named capture", start) }
                    let name = chars[nameStart..<pos]
                    pos += 1
                    // Go: a name is one or more word characters; the same name may appear twice.
                    guard !name.isEmpty, name.allSatisfy(Self.isWordChar) else {
                        throw fail("invalid named capture", start, to: pos)
                    }
                    let text = String(String.UnicodeScalarView(name.compactMap(Unicode.Scalar.init)))
                    return try groupBody(start, name: text)
                }
                // Flags.
                pos += 1
                var negate = false
                var sawFlag = false
                let saved = (foldCase, multiLine, dotNL, nonGreedy)
                while let ch = peek() {
                    switch ch {
                    case 105: foldCase = !negate; sawFlag = true  // i
                    case 109: multiLine = !negate; sawFlag = true  // m
                    case 115: dotNL = !negate; sawFlag = true  // s
                    case 85: nonGreedy = !negate; sawFlag = true  // U
                    case 45:  // -
                        if negate { throw fail("missing argument to repetition operator", start) }
                        negate = true
                    case 41:  // ) — flags apply to the rest of the enclosing group
                        pos += 1
                        guard sawFlag || !negate else { throw fail("invalid or unsupported Perl syntax", start) }
                        return nil
                    case 58:  // :
                        pos += 1
                        let node = try groupBody(start, name: nil)
                        (foldCase, multiLine, dotNL, nonGreedy) = saved
                        return node
                    default:
                        throw fail("invalid or unsupported Perl syntax", start)
                    }
                    pos += 1
                }
                throw fail("missing closing )", start)
            }
            return try groupBody(start, name: "")
        case 41:
            throw fail("unexpected )", pos)
        case 91:  // [
            return .charClass(try parseClass())
        case 46:  // .
            pos += 1
            return .anyChar(dotNL: dotNL)
        case 94:  // ^
            pos += 1
            return multiLine ? .beginLine : .beginText
        case 36:  // $
            pos += 1
            return multiLine ? .endLine : .endText
        case 92:  // \
            return try parseEscape()
        case 42, 43, 63:
            throw fail("missing argument to repetition operator", pos)
        default:
            pos += 1
            return .char(c, fold: foldCase)
        }
    }

    /// The rest of a group after its opening syntax; `name` nil for a non-capturing group, "" for an
    /// unnamed capture. The capture index is taken before the body, so groups number by opening parenthesis.
    mutating func groupBody(_ start: Int, name: String?) throws(RegexError) -> RegexNode {
        var index = 0
        if let name {
            index = captureNames.count
            captureNames.append(name)
        }
        let inner = try parseAlternation()
        guard isChar(")") else { throw fail("missing closing )", start) }
        pos += 1
        return name == nil ? .group(inner) : .capture(inner, index: index)
    }

    static func isWordChar(_ c: UInt32) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }

    mutating func parseEscape() throws(RegexError) -> RegexNode {
        let start = pos
        pos += 1
        guard let e = peek() else { throw fail("trailing backslash at end of expression", start) }
        switch e {
        case 65: pos += 1; return .beginText  // \A
        case 122: pos += 1; return .endText  // \z
        case 98: pos += 1; return .wordBoundary  // \b
        case 66: pos += 1; return .notWordBoundary  // \B
        case 81:  // \Q...\E
            pos += 1
            var lits: [RegexNode] = []
            while let ch = peek() {
                if ch == 92, isChar("E", 1) {
                    pos += 2
                    break
                }
                lits.append(.char(ch, fold: foldCase))
                pos += 1
            }
            return lits.isEmpty ? .empty : .concat(lits)
        default:
            if let cls = try parseClassEscape(start) {
                return .charClass(cls)
            }
            let c = try parseLiteralEscape(start)
            return .char(c, fold: foldCase)
        }
    }

    /// `\d \D \s \S \w \W \pX \p{..} \PX` at `pos` (just after the backslash); nil if not a class escape.
    mutating func parseClassEscape(_ start: Int) throws(RegexError) -> CharClass? {
        guard let e = peek() else { return nil }
        var cls = CharClass()
        switch e {
        case 100, 68:  // d D
            cls.items = [.range(48, 57)]
            cls.negated = e == 68
        case 115, 83:  // s S: Go's \s is [\t\n\f\r ]
            cls.items = [.range(9, 10), .range(12, 13), .range(32, 32)]
            cls.negated = e == 83
        case 119, 87:  // w W
            cls.items = [.range(48, 57), .range(65, 90), .range(97, 122), .range(95, 95)]
            cls.negated = e == 87
        case 112, 80:  // p P
            pos += 1
            var name = ""
            if isChar("{") {
                pos += 1
                while let ch = peek(), ch != 125 {
                    name.unicodeScalars.append(Unicode.Scalar(ch)!)
                    pos += 1
                }
                guard isChar("}") else { throw fail("invalid character class range", start) }
                pos += 1
            } else if let ch = peek() {
                name = String(Unicode.Scalar(ch)!)
                pos += 1
            }
            var negated = e == 80
            if name.hasPrefix("^") {
                negated.toggle()
                name.removeFirst()
            }
            guard let cats = UnicodeCategories.named(name) else { throw fail("invalid character class range", start) }
            cls.items = [.category(cats, negated: false)]
            cls.negated = negated
            cls.fold = foldCase
            return cls
        default:
            return nil
        }
        pos += 1
        return cls
    }

    /// A literal escape (`\n`, `\x41`, `\x{263a}`, `\101`, `\.`) at `pos` (just after the backslash).
    mutating func parseLiteralEscape(_ start: Int) throws(RegexError) -> UInt32 {
        guard let e = peek() else { throw fail("trailing backslash at end of expression", start) }
        pos += 1
        switch e {
        case 97: return 7  // a
        case 102: return 12  // f
        case 116: return 9  // t
        case 110: return 10  // n
        case 114: return 13  // r
        case 118: return 11  // v
        case 120:  // x
            if isChar("{") {
                pos += 1
                var v: UInt32 = 0
                var n = 0
                while let ch = peek(), let d = hexValue(ch) {
                    v = v &* 16 &+ d
                    n += 1
                    pos += 1
                }
                guard n > 0, isChar("}"), v <= 0x10FFFF else { throw fail("invalid escape sequence", start) }
                pos += 1
                return v
            }
            guard let a = peek().flatMap(hexValue), let b = peek(1).flatMap(hexValue) else {
                throw fail("invalid escape sequence", start)
            }
            pos += 2
            return a * 16 + b
        case 48...55:  // octal \1 .. \777 (Go accepts up to three digits; \1-\9 alone are backreferences: error)
            var v = e - 48
            var n = 1
            while n < 3, let ch = peek(), ch >= 48, ch <= 55 {
                v = v * 8 + (ch - 48)
                pos += 1
                n += 1
            }
            if n == 1 && e != 48 { throw fail("invalid escape sequence", start) }
            return v
        default:
            // Escaped punctuation stands for itself; escaped letters and digits are errors.
            if e < 128, !(e >= 48 && e <= 57), !(e >= 65 && e <= 90), !(e >= 97 && e <= 122), e != 95 {
                return e
            }
            throw fail("invalid escape sequence", start)
        }
    }

    func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    mutating func parseClass() throws(RegexError) -> CharClass {
        let start = pos
        pos += 1
        var cls = CharClass()
        cls.fold = foldCase
        if isChar("^") {
            cls.negated = true
            pos += 1
        }
        var first = true
        while true {
            guard let c = peek() else { throw fail("missing closing ]", start) }
            if c == 93, !first { pos += 1; break }  // ]
            first = false
            // POSIX class [:alpha:] / [:^alpha:]
            if c == 91, isChar(":", 1) {
                var j = pos + 2
                var name = ""
                while j < chars.count, chars[j] != 58 {
                    name.unicodeScalars.append(Unicode.Scalar(chars[j])!)
                    j += 1
                }
                if j + 1 < chars.count, chars[j + 1] == 93 {
                    var neg = false
                    if name.hasPrefix("^") {
                        neg = true
                        name.removeFirst()
                    }
                    guard let ranges = Self.posix[name] else { throw fail("invalid character class range", pos) }
                    pos = j + 2
                    if neg {
                        cls.items += Self.complement(ranges).map { .range($0.0, $0.1) }
                    } else {
                        cls.items += ranges.map { .range($0.0, $0.1) }
                    }
                    continue
                }
            }
            if c == 92 {  // escape inside class
                let escStart = pos
                pos += 1
                if let sub = try parseClassEscape(escStart) {
                    if sub.negated {
                        // A negated sub-class inside a class: add its complement.
                        var ranges: [(UInt32, UInt32)] = []
                        var cats: [CharClass.Item] = []
                        for item in sub.items {
                            switch item {
                            case .range(let lo, let hi): ranges.append((lo, hi))
                            case .category(let set, let n): cats.append(.category(set, negated: !n))
                            }
                        }
                        cls.items += Self.complement(ranges).map { .range($0.0, $0.1) }
                        cls.items += cats
                    } else {
                        cls.items += sub.items
                    }
                    continue
                }
                let lo = try parseLiteralEscape(escStart)
                cls.items.append(.range(lo, try rangeEnd(lo, start)))
                continue
            }
            pos += 1
            cls.items.append(.range(c, try rangeEnd(c, start)))
        }
        return cls
    }

    /// The end of a range `lo-hi` inside a class, or `lo` when there is no range.
    mutating func rangeEnd(_ lo: UInt32, _ start: Int) throws(RegexError) -> UInt32 {
        guard isChar("-"), let next = peek(1), next != 93 else { return lo }
        pos += 1
        var hi: UInt32
        if next == 92 {
            let escStart = pos
            pos += 1
            hi = try parseLiteralEscape(escStart)
        } else {
            hi = next
            pos += 1
        }
        if hi < lo { throw fail("invalid character class range", start) }
        return hi
    }

    static func complement(_ ranges: [(UInt32, UInt32)]) -> [(UInt32, UInt32)] {
        let sorted = ranges.sorted { $0.0 < $1.0 }
        var out: [(UInt32, UInt32)] = []
        var next: UInt32 = 0
        for (lo, hi) in sorted {
            if lo > next { out.append((next, lo - 1)) }
            next = max(next, hi &+ 1)
        }
        if next <= 0x10FFFF { out.append((next, 0x10FFFF)) }
        return out
    }

    static let posix: [String: [(UInt32, UInt32)]] = [
        "alnum": [(48, 57), (65, 90), (97, 122)],
        "alpha": [(65, 90), (97, 122)],
        "ascii": [(0, 127)],
        "blank": [(9, 9), (32, 32)],
        "cntrl": [(0, 31), (127, 127)],
        "digit": [(48, 57)],
        "graph": [(33, 126)],
        "lower": [(97, 122)],
        "print": [(32, 126)],
        "punct": [(33, 47), (58, 64), (91, 96), (123, 126)],
        "space": [(9, 13), (32, 32)],
        "upper": [(65, 90)],
        "word": [(48, 57), (65, 90), (97, 122), (95, 95)],
        "xdigit": [(48, 57), (65, 70), (97, 102)],
    ]
}

/// Unicode general category names as RE2 spells them (`L`, `Lu`, `Nd`, ...).
enum UnicodeCategories {
    static func named(_ name: String) -> Set<Unicode.GeneralCategory>? {
        switch name {
        case "Any": return Set(all)
        case "L": return [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        case "Lu": return [.uppercaseLetter]
        case "Ll": return [.lowercaseLetter]
        case "Lt": return [.titlecaseLetter]
        case "Lm": return [.modifierLetter]
        case "Lo": return [.otherLetter]
        case "M": return [.nonspacingMark, .spacingMark, .enclosingMark]
        case "Mn": return [.nonspacingMark]
        case "Mc": return [.spacingMark]
        case "Me": return [.enclosingMark]
        case "N": return [.decimalNumber, .letterNumber, .otherNumber]
        case "Nd": return [.decimalNumber]
        case "Nl": return [.letterNumber]
        case "No": return [.otherNumber]
        case "P": return [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                          .initialPunctuation, .finalPunctuation, .otherPunctuation]
        case "Pc": return [.connectorPunctuation]
        case "Pd": return [.dashPunctuation]
        case "Ps": return [.openPunctuation]
        case "Pe": return [.closePunctuation]
        case "Pi": return [.initialPunctuation]
        case "Pf": return [.finalPunctuation]
        case "Po": return [.otherPunctuation]
        case "S": return [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        case "Sm": return [.mathSymbol]
        case "Sc": return [.currencySymbol]
        case "Sk": return [.modifierSymbol]
        case "So": return [.otherSymbol]
        case "Z": return [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        case "Zs": return [.spaceSeparator]
        case "Zl": return [.lineSeparator]
        case "Zp": return [.paragraphSeparator]
        case "C": return [.control, .format, .surrogate, .privateUse, .unassigned]
        case "Cc": return [.control]
        case "Cf": return [.format]
        case "Cs": return [.surrogate]
        case "Co": return [.privateUse]
        default: return nil
        }
    }

    static let all: [Unicode.GeneralCategory] = [
        .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
        .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation,
        .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
        .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .spaceSeparator,
        .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse, .unassigned,
    ]
}
