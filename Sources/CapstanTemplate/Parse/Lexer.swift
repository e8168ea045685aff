import CapstanModel
/// A token of the template language, with its byte offset and line (`text/template/parse` `item`).
struct Item {
    enum Kind: Int, Comparable {
        case error, bool, char, charConstant, comment, complex, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text, variable
        // Keywords come after `keyword`.
        case keyword, block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword, nilKeyword
        case range, template, with

        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    var kind: Kind
    var pos: Int
    var val: String
    var line: Int

    /// Go's `item.String()`, used in "unexpected ..." parse errors.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return val
        default:
            if kind > .keyword { return "<\(val)>" }
            let scalars = val.unicodeScalars
            if scalars.count > 10 {
                return GoQuote.quote(String(String.UnicodeScalarView(scalars.prefix(10)))) + "..."
            }
            return GoQuote.quote(val)
        }
    }

    static let keywords: [String: Kind] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword, "define": .define,
        "else": .elseKeyword, "end": .end, "if": .ifKeyword, "range": .range, "nil": .nilKeyword,
        "template": .template, "with": .with,
    ]
}

/// The template scanner: a state machine over UTF-8 bytes producing one `Item` per call, like Go's lexer
/// (trim markers `{{- ` / ` -}}`, comments, and the action grammar's tokens).
final class Lexer {
    private let input: [UInt8]
    private var pos = 0
    private var start = 0
    private var atEOF = false
    private var parenDepth = 0
    private var line = 1
    private var startLine = 1
    private var item = Item(kind: .eof, pos: 0, val: "EOF", line: 1)
    private var insideAction = false
    var breakOK = true
    var continueOK = true

    private static let left: [UInt8] = Array("{{".utf8)
    private static let right: [UInt8] = Array("}}".utf8)
    private static let eof: UInt32 = 0xFFFF_FFFF

    private enum State { case text, leftDelim, comment, rightDelim, insideAction, space, identifier, field, variable, char, number, quote, rawQuote }

    init(_ input: [UInt8]) { self.input = input }

    // MARK: Scanning primitives

    private func next() -> UInt32 {
        if pos >= input.count {
            atEOF = true
            return Self.eof
        }
        let (r, w) = decode(at: pos)
        pos += w
        if r == 0x0A { line += 1 }
        return r
    }

    private func decode(at i: Int) -> (UInt32, Int) {
        let b0 = input[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        var n = 0
        var v: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { n = 2; v = UInt32(b0 & 0x1F) } else if b0 & 0xF0 == 0xE0 { n = 3; v = UInt32(b0 & 0x0F) } else if b0 & 0xF8 == 0xF0 { n = 4; v = UInt32(b0 & 0x07) } else { return (0xFFFD, 1) }
        guard i + n <= input.count else { return (0xFFFD, 1) }
        for k in 1..<n {
            let b = input[i + k]
            guard b & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            v = v << 6 | UInt32(b & 0x3F)
        }
        return (v, n)
    }

    private func peek() -> UInt32 {
        let r = next()
        backup()
        return r
    }

    private func backup() {
        guard !atEOF, pos > 0 else { return }
        var p = pos - 1
        while p > 0 && input[p] & 0xC0 == 0x80 && pos - p < 4 { p -= 1 }
        if input[p] == 0x0A { line -= 1 }
        pos = p
    }

    private func text(_ from: Int, _ to: Int) -> String { String(decoding: input[from..<to], as: UTF8.self) }

    private func thisItem(_ kind: Item.Kind) -> Item {
        let i = Item(kind: kind, pos: start, val: text(start, pos), line: startLine)
        start = pos
        startLine = line
        return i
    }

    private func emit(_ kind: Item.Kind) -> State? {
        item = thisItem(kind)
        return nil
    }

    private func ignore() {
        line += countNewlines(start, pos)
        start = pos
        startLine = line
    }

    private func countNewlines(_ from: Int, _ to: Int) -> Int {
        var n = 0
        if from < to { for b in input[from..<to] where b == 0x0A { n += 1 } }
        return n
    }

    private func accept(_ valid: String) -> Bool {
        let r = next()
        if r != Self.eof, let s = Unicode.Scalar(r), valid.unicodeScalars.contains(s) { return true }
        backup()
        return false
    }

    private func acceptRun(_ valid: String) {
        while true {
            let r = next()
            if r != Self.eof, let s = Unicode.Scalar(r), valid.unicodeScalars.contains(s) { continue }
            break
        }
        backup()
    }

    private func errorf(_ message: String) -> State? {
        item = Item(kind: .error, pos: start, val: message, line: startLine)
        start = 0
        pos = 0
        // Go truncates the input; an empty remainder makes every later call return EOF.
        exhausted = true
        return nil
    }

    private var exhausted = false

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + p.count <= input.count else { return false }
        for k in 0..<p.count where input[i + k] != p[k] { return false }
        return true
    }

    private static func isSpace(_ r: UInt32) -> Bool { r == 0x20 || r == 0x09 || r == 0x0D || r == 0x0A }

    private static func isAlphaNumeric(_ r: UInt32) -> Bool {
        if r == 0x5F { return true }
        guard r != eof, let s = Unicode.Scalar(r) else { return false }
        return GoQuote.isLetter(s) || GoQuote.isDigit(s)
    }

    private func hasLeftTrimMarker(at i: Int) -> Bool {
        i + 1 < input.count && input[i] == UInt8(ascii: "-") && Self.isSpace(UInt32(input[i + 1]))
    }

    private func hasRightTrimMarker(at i: Int) -> Bool {
        i >= 0 && i + 1 < input.count && Self.isSpace(UInt32(input[i])) && input[i + 1] == UInt8(ascii: "-")
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(Self.right, at: pos + 2) { return (true, true) }
        if hasPrefix(Self.right, at: pos) { return (true, false) }
        return (false, false)
    }

    private func rightTrimLength(_ from: Int, _ to: Int) -> Int {
        var n = 0
        var i = to - 1
        while i >= from && Self.isSpace(UInt32(input[i])) {
            n += 1
            i -= 1
        }
        return n
    }

    private func leftTrimLength(_ from: Int) -> Int {
        var i = from
        while i < input.count && Self.isSpace(UInt32(input[i])) { i += 1 }
        return i - from
    }

    // MARK: Items

    /// The next item (Go's `nextItem`).
    func nextItem() -> Item {
        if exhausted { return Item(kind: .eof, pos: pos, val: "EOF", line: startLine) }
        item = Item(kind: .eof, pos: pos, val: "EOF", line: startLine)
        var state: State? = insideAction ? .insideAction : .text
        while let s = state { state = step(s) }
        return item
    }

    private func step(_ state: State) -> State? {
        switch state {
        case .text: return lexText()
        case .leftDelim: return lexLeftDelim()
        case .comment: return lexComment()
        case .rightDelim: return lexRightDelim()
        case .insideAction: return lexInsideAction()
        case .space: return lexSpace()
        case .identifier: return lexIdentifier()
        case .field: return lexFieldOrVariable(.field)
        case .variable:
            if atTerminator() { return emit(.variable) }
            return lexFieldOrVariable(.variable)
        case .char: return lexChar()
        case .number: return lexNumber()
        case .quote: return lexQuote()
        case .rawQuote: return lexRawQuote()
        }
    }

    private func findLeftDelim(from: Int) -> Int? {
        var i = from
        while i + 1 < input.count {
            if input[i] == UInt8(ascii: "{") && input[i + 1] == UInt8(ascii: "{") { return i }
            i += 1
        }
        return nil
    }

    private func lexText() -> State? {
        if let x = findLeftDelim(from: pos) {
            if x > pos {
                pos = x
                var trim = 0
                if hasLeftTrimMarker(at: pos + 2) { trim = rightTrimLength(start, pos) }
                pos -= trim
                line += countNewlines(start, pos)
                let i = thisItem(.text)
                pos += trim
                ignore()
                if !i.val.isEmpty {
                    item = i
                    return nil
                }
            }
            return .leftDelim
        }
        pos = input.count
        if pos > start {
            line += countNewlines(start, pos)
            return emit(.text)
        }
        return emit(.eof)
    }

    private func lexLeftDelim() -> State? {
        pos += 2
        let trim = hasLeftTrimMarker(at: pos)
        let after = trim ? 2 : 0
        if hasPrefix(Array("/*".utf8), at: pos + after) {
            pos += after
            ignore()
            return .comment
        }
        let i = thisItem(.leftDelim)
        insideAction = true
        pos += after
        ignore()
        parenDepth = 0
        item = i
        return nil
    }

    private func lexComment() -> State? {
        pos += 2
        var x: Int?
        var i = pos
        while i + 1 < input.count {
            if input[i] == UInt8(ascii: "*") && input[i + 1] == UInt8(ascii: "/") { x = i; break }
            i += 1
        }
        guard let end = x else { return errorf("unclosed comment") }
        pos = end + 2
        let (delim, trim) = atRightDelim()
        if !delim { return errorf("comment ends before closing delimiter") }
        line += countNewlines(start, pos)
        _ = thisItem(.comment)
        if trim { pos += 2 }
        pos += 2
        if trim { pos += leftTrimLength(pos) }
        ignore()
        return .text
    }

    private func lexRightDelim() -> State? {
        let (_, trim) = atRightDelim()
        if trim {
            pos += 2
            ignore()
        }
        pos += 2
        let i = thisItem(.rightDelim)
        if trim {
            pos += leftTrimLength(pos)
            ignore()
        }
        insideAction = false
        item = i
        return nil
    }

    private func lexInsideAction() -> State? {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return errorf("unclosed left paren")
        }
        let r = next()
        switch r {
        case Self.eof: return errorf("unclosed action")
        case 0x20, 0x09, 0x0D, 0x0A:
            backup()
            return .space
        case UInt32(UInt8(ascii: "=")): return emit(.assign)
        case UInt32(UInt8(ascii: ":")):
            if next() != UInt32(UInt8(ascii: "=")) { return errorf("expected :=") }
            return emit(.declare)
        case UInt32(UInt8(ascii: "|")): return emit(.pipe)
        case UInt32(UInt8(ascii: "\"")): return .quote
        case UInt32(UInt8(ascii: "`")): return .rawQuote
        case UInt32(UInt8(ascii: "$")): return .variable
        case UInt32(UInt8(ascii: "'")): return .char
        case UInt32(UInt8(ascii: ".")):
            if pos < input.count {
                let c = input[pos]
                if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { return .field }
            }
            backup()
            return .number
        case UInt32(UInt8(ascii: "+")), UInt32(UInt8(ascii: "-")), 0x30...0x39:
            backup()
            return .number
        case UInt32(UInt8(ascii: "(")):
            parenDepth += 1
            return emit(.leftParen)
        case UInt32(UInt8(ascii: ")")):
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right paren") }
            return emit(.rightParen)
        default:
            if Self.isAlphaNumeric(r) {
                backup()
                return .identifier
            }
            if r < 0x80, let s = Unicode.Scalar(r), GoQuote.isPrint(s) { return emit(.char) }
            return errorf("unrecognized character in action: \(GoQuote.formatSharpU(Unicode.Scalar(r) ?? "\u{FFFD}"))")
        }
    }

    private func lexSpace() -> State? {
        var numSpaces = 0
        while Self.isSpace(peek()) {
            _ = next()
            numSpaces += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(Self.right, at: pos - 1 + 2) {
            backup()
            if numSpaces == 1 { return .rightDelim }
        }
        return emit(.space)
    }

    private func lexIdentifier() -> State? {
        while true {
            let r = next()
            if Self.isAlphaNumeric(r) { continue }
            backup()
            let word = text(start, pos)
            if !atTerminator() { return errorf("bad character \(GoQuote.formatSharpU(Unicode.Scalar(r) ?? "\u{FFFD}"))") }
            if let k = Item.keywords[word], k > .keyword {
                if (k == .breakKeyword && !breakOK) || (k == .continueKeyword && !continueOK) { return emit(.identifier) }
                return emit(k)
            }
            if word.utf8.first == UInt8(ascii: ".") { return emit(.field) }
            if word == "true" || word == "false" { return emit(.bool) }
            return emit(.identifier)
        }
    }

    private func lexFieldOrVariable(_ kind: Item.Kind) -> State? {
        if atTerminator() { return emit(kind == .variable ? .variable : .dot) }
        var r: UInt32
        repeat { r = next() } while Self.isAlphaNumeric(r)
        backup()
        if !atTerminator() { return errorf("bad character \(GoQuote.formatSharpU(Unicode.Scalar(r) ?? "\u{FFFD}"))") }
        return emit(kind)
    }

    private func atTerminator() -> Bool {
        let r = peek()
        if Self.isSpace(r) { return true }
        switch r {
        case Self.eof, 0x2E, 0x2C, 0x7C, 0x3A, 0x29, 0x28: return true
        default: return hasPrefix(Self.right, at: pos)
        }
    }

    private func lexChar() -> State? {
        while true {
            let r = next()
            if r == UInt32(UInt8(ascii: "\\")) {
                let n = next()
                if n != Self.eof && n != 0x0A { continue }
                return errorf("unterminated character constant")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated character constant") }
            if r == UInt32(UInt8(ascii: "'")) { break }
        }
        return emit(.charConstant)
    }

    private func lexNumber() -> State? {
        if !scanNumber() { return errorf("bad number syntax: \(GoQuote.quote(text(start, pos)))") }
        let sign = peek()
        if sign == UInt32(UInt8(ascii: "+")) || sign == UInt32(UInt8(ascii: "-")) {
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return errorf("bad number syntax: \(GoQuote.quote(text(start, pos)))")
            }
            return emit(.complex)
        }
        return emit(.number)
    }

    private func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if Self.isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }

    private func lexQuote() -> State? {
        while true {
            let r = next()
            if r == UInt32(UInt8(ascii: "\\")) {
                let n = next()
                if n != Self.eof && n != 0x0A { continue }
                return errorf("unterminated quoted string")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated quoted string") }
            if r == UInt32(UInt8(ascii: "\"")) { break }
        }
        return emit(.string)
    }

    private func lexRawQuote() -> State? {
        while true {
            let r = next()
            if r == Self.eof { return errorf("unterminated raw quoted string") }
            if r == UInt32(UInt8(ascii: "`")) { break }
        }
        return emit(.rawString)
    }
}
