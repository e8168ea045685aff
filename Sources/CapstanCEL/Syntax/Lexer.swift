/// A CEL token with its UTF-8 byte range in the source.
struct Token {
    enum Kind: Equatable {
        case ident(String)
        /// A backquoted field name: `` `a.b-c` ``.
        case quotedIdent(String)
        /// An integer literal's magnitude (the sign is an operator; `-9223372036854775808` is folded by the parser).
        case int(UInt64, overflow: Bool)
        case uint(UInt64, overflow: Bool)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case trueKeyword, falseKeyword, nullKeyword, inKeyword
        case punct(Punct)
        case eof
    }

    enum Punct: String {
        case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
        case dot = ".", comma = ",", colon = ":", question = "?"
        case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
        case not = "!", less = "<", lessEq = "<=", greater = ">", greaterEq = ">=", eq = "==", notEq = "!="
        case and = "&&", or = "||"
    }

    var kind: Kind
    var start: Int
    var end: Int
}

/// Splits CEL source text into tokens (grammar of google/cel-spec `doc/langdef.md`).
struct Lexer {
    let bytes: [UInt8]
    var pos = 0

    struct Failure: Error {
        var message: String
        var offset: Int
    }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Every token up to and including `.eof`.
    static func tokenize(_ bytes: [UInt8]) throws(Failure) -> [Token] {
        var lexer = Lexer(bytes)
        var out: [Token] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8 { pos + k < bytes.count ? bytes[pos + k] : 0 }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 97 && c | 0x20 <= 102) }
    static func isIdentStart(_ c: UInt8) -> Bool { (c | 0x20 >= 97 && c | 0x20 <= 122) || c == 95 }
    static func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }

    mutating func skipTrivia() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 12 {
                pos += 1
            } else if c == 47, peek(1) == 47 {
                while pos < bytes.count, bytes[pos] != 10 { pos += 1 }
            } else {
                return
            }
        }
    }

    mutating func next() throws(Failure) -> Token {
        skipTrivia()
        let start = pos
        guard pos < bytes.count else { return Token(kind: .eof, start: pos, end: pos) }
        let c = bytes[pos]

        // Strings and bytes, with optional r/b prefixes in either order.
        if c == 34 || c == 39 { return try string(start: start, raw: false, isBytes: false) }
        if Self.isIdentStart(c) {
            let c0 = c | 0x20, c1 = peek(1) | 0x20, q1 = peek(1), q2 = peek(2)
            if c0 == 114, q1 == 34 || q1 == 39 { pos += 1; return try string(start: start, raw: true, isBytes: false) }
            if c0 == 98, q1 == 34 || q1 == 39 { pos += 1; return try string(start: start, raw: false, isBytes: true) }
            if (c0 == 98 && c1 == 114) || (c0 == 114 && c1 == 98), q2 == 34 || q2 == 39 {
                pos += 2
                return try string(start: start, raw: true, isBytes: true)
            }
            while pos < bytes.count, Self.isIdentChar(bytes[pos]) { pos += 1 }
            let word = String(decoding: bytes[start..<pos], as: UTF8.self)
            let kind: Token.Kind
            switch word {
            case "true": kind = .trueKeyword
            case "false": kind = .falseKeyword
            case "null": kind = .nullKeyword
            case "in": kind = .inKeyword
            default: kind = .ident(word)
            }
            return Token(kind: kind, start: start, end: pos)
        }
        if Self.isDigit(c) || (c == 46 && Self.isDigit(peek(1))) { return try number(start: start) }
        if c == 96 { return try quotedIdent(start: start) }

        let two: Token.Punct?
        switch (c, peek(1)) {
        case (60, 61): two = .lessEq
        case (62, 61): two = .greaterEq
        case (61, 61): two = .eq
        case (33, 61): two = .notEq
        case (38, 38): two = .and
        case (124, 124): two = .or
        default: two = nil
        }
        if let two {
            pos += 2
            return Token(kind: .punct(two), start: start, end: pos)
        }
        let one: Token.Punct
        switch c {
        case 40: one = .lparen
        case 41: one = .rparen
        case 91: one = .lbracket
        case 93: one = .rbracket
        case 123: one = .lbrace
        case 125: one = .rbrace
        case 46: one = .dot
        case 44: one = .comma
        case 58: one = .colon
        case 63: one = .question
        case 43: one = .plus
        case 45: one = .minus
        case 42: one = .star
        case 47: one = .slash
        case 37: one = .percent
        case 33: one = .not
        case 60: one = .less
        case 62: one = .greater
        default:
            var end = pos + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let text = String(decoding: bytes[pos..<end], as: UTF8.self)
            throw Failure(message: "Syntax error: token recognition error at: '\(text)'", offset: pos)
        }
        pos += 1
        return Token(kind: .punct(one), start: start, end: pos)
    }

    private mutating func number(start: Int) throws(Failure) -> Token {
        // Hexadecimal integers.
        if bytes[pos] == 48, peek(1) | 0x20 == 120, Self.isHex(peek(2)) {
            pos += 2
            var v: UInt64 = 0
            var overflow = false
            while pos < bytes.count, Self.isHex(bytes[pos]) {
                let c = bytes[pos]
                let d = UInt64(Self.isDigit(c) ? c - 48 : (c | 0x20) - 87)
                let (m, o1) = v.multipliedReportingOverflow(by: 16)
                let (a, o2) = m.addingReportingOverflow(d)
                overflow = overflow || o1 || o2
                v = a
                pos += 1
            }
            if peek() | 0x20 == 117 {
                pos += 1
                return Token(kind: .uint(v, overflow: overflow), start: start, end: pos)
            }
            return Token(kind: .int(v, overflow: overflow), start: start, end: pos)
        }
        var isFloat = false
        while Self.isDigit(peek()) { pos += 1 }
        if peek() == 46, Self.isDigit(peek(1)) {
            isFloat = true
            pos += 1
            while Self.isDigit(peek()) { pos += 1 }
        }
        if peek() | 0x20 == 101 {
            var k = 1
            if peek(k) == 43 || peek(k) == 45 { k += 1 }
            if Self.isDigit(peek(k)) {
                isFloat = true
                pos += k
                while Self.isDigit(peek()) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if isFloat {
            guard let d = Double(text) else {
                throw Failure(message: "Syntax error: invalid double literal", offset: start)
            }
            return Token(kind: .double(d), start: start, end: pos)
        }
        var v: UInt64 = 0
        var overflow = false
        for ch in text.utf8 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(ch - 48))
            overflow = overflow || o1 || o2
            v = a
        }
        if peek() | 0x20 == 117 {
            pos += 1
            return Token(kind: .uint(v, overflow: overflow), start: start, end: pos)
        }
        return Token(kind: .int(v, overflow: overflow), start: start, end: pos)
    }

    private mutating func quotedIdent(start: Int) throws(Failure) -> Token {
        pos += 1
        let s = pos
        while pos < bytes.count, bytes[pos] != 96 {
            let c = bytes[pos]
            guard Self.isIdentChar(c) || c == 46 || c == 45 || c == 47 || c == 32 else {
                throw Failure(message: "Syntax error: token recognition error at: '`'", offset: start)
            }
            pos += 1
        }
        guard pos < bytes.count, pos > s else {
            throw Failure(message: "Syntax error: token recognition error at: '`'", offset: start)
        }
        let name = String(decoding: bytes[s..<pos], as: UTF8.self)
        pos += 1
        return Token(kind: .quotedIdent(name), start: start, end: pos)
    }

    /// Lexes a string or bytes literal; `pos` is at the opening quote.
    private mutating func string(start: Int, raw: Bool, isBytes: Bool) throws(Failure) -> Token {
        let quote = bytes[pos]
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        let contentStart = pos
        var contentEnd = -1
        while pos < bytes.count {
            let c = bytes[pos]
            if c == quote {
                if !triple {
                    contentEnd = pos
                    pos += 1
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    contentEnd = pos
                    pos += 3
                    break
                }
            }
            if !triple && (c == 10 || c == 13) { break }
            if c == 92 && !raw {
                pos += 2
                continue
            }
            pos += 1
        }
        guard contentEnd >= 0 else {
            throw Failure(message: "Syntax error: unterminated string literal", offset: start)
        }
        let content = Array(bytes[contentStart..<contentEnd])
        let unescaped: [UInt8]
        do {
            unescaped = try Unescape.literal(content, raw: raw, isBytes: isBytes)
        } catch {
            throw Failure(message: "Syntax error: \(error.message)", offset: start)
        }
        if isBytes { return Token(kind: .bytes(unescaped), start: start, end: pos) }
        return Token(kind: .string(String(decoding: unescaped, as: UTF8.self)), start: start, end: pos)
    }
}

/// Decodes the body of a string or bytes literal (escapes per the CEL language definition).
enum Unescape {
    struct Failure: Error { var message: String }

    static func literal(_ content: [UInt8], raw: Bool, isBytes: Bool) throws(Failure) -> [UInt8] {
        // Newlines are normalised in all literals: CRLF and CR become LF.
        var s: [UInt8] = []
        s.reserveCapacity(content.count)
        var i = 0
        while i < content.count {
            if content[i] == 13 {
                s.append(10)
                i += content.count > i + 1 && content[i + 1] == 10 ? 2 : 1
            } else {
                s.append(content[i])
                i += 1
            }
        }
        if raw || !s.contains(92) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        i = 0
        func appendScalar(_ v: UInt32) throws(Failure) {
            guard let u = Unicode.Scalar(v) else { throw Failure(message: "invalid unicode code point") }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        }
        while i < s.count {
            let c = s[i]
            if c != 92 {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < s.count else { throw Failure(message: "unable to unescape string, found '\\' as last character") }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case 92, 39, 34, 96, 63: out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "u") ? 4 : (e == UInt8(ascii: "U") ? 8 : 2)
                if isBytes && n > 2 { throw Failure(message: "unable to unescape string") }
                guard i + n <= s.count else { throw Failure(message: "unable to unescape string") }
                var v: UInt32 = 0
                for j in 0..<n {
                    let h = s[i + j]
                    let d: UInt32
                    switch h {
                    case 48...57: d = UInt32(h - 48)
                    case 97...102: d = UInt32(h - 87)
                    case 65...70: d = UInt32(h - 55)
                    default: throw Failure(message: "unable to unescape string")
                    }
                    v = v << 4 | d
                }
                i += n
                if isBytes { out.append(UInt8(v)) } else { try appendScalar(v) }
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard i + 2 <= s.count else { throw Failure(message: "unable to unescape octal sequence in string") }
                var v = UInt32(e - 48)
                for j in 0..<2 {
                    let x = s[i + j]
                    guard x >= 48, x <= 55 else { throw Failure(message: "unable to unescape octal sequence in string") }
                    v = v * 8 + UInt32(x - 48)
                }
                i += 2
                if isBytes { out.append(UInt8(v)) } else { try appendScalar(v) }
            default:
                throw Failure(message: "unable to unescape string")
            }
        }
        return out
    }
}
