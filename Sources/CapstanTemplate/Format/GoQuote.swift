import CapstanModel

/// Go's `strconv` unquoting (`Unquote`/`UnquoteChar`, used by the template parser for string and
/// character literals) and the rune classes the template functions need; quoting is `CapstanModel.GoQuote`.
extension GoQuote {
    /// Go's `unicode.IsLetter`.
    static func isLetter(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 { return (r.value | 0x20) >= 0x61 && (r.value | 0x20) <= 0x7a }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Go's `unicode.IsDigit`.
    static func isDigit(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 { return r.value >= 0x30 && r.value <= 0x39 }
        return r.properties.generalCategory == .decimalNumber
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0..<0x80: return false
        default: return r.properties.isWhitespace
        }
    }

    /// `fmt`'s `%#U` form: `U+0021 '!'` (the character only when printable).
    static func formatSharpU(_ r: Unicode.Scalar) -> String {
        var hex = String(r.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        if isPrint(r) { return "U+\(hex) '\(Character(r))'" }
        return "U+\(hex)"
    }

    /// The failure `strconv.Unquote` reports.
    struct SyntaxError: Error { var message = "invalid syntax" }

    /// `strconv.Unquote` for the literal forms the template lexer produces: `"..."`, `` `...` `` and `'.'`.
    static func unquote(_ literal: String) throws(SyntaxError) -> String {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2, let first = bytes.first, first == bytes.last else { throw SyntaxError() }
        let body = bytes[1..<(bytes.count - 1)]
        switch first {
        case UInt8(ascii: "`"):
            if body.contains(UInt8(ascii: "`")) { throw SyntaxError() }
            // Go drops carriage returns from raw strings.
            return String(decoding: body.filter { $0 != 0x0D }, as: UTF8.self)
        case UInt8(ascii: "\""):
            if body.contains(UInt8(ascii: "\n")) { throw SyntaxError() }
            if !body.contains(UInt8(ascii: "\\")) && !body.contains(UInt8(ascii: "\"")) {
                return String(decoding: body, as: UTF8.self)
            }
            var out: [UInt8] = []
            var rest = body[...]
            while !rest.isEmpty {
                let (bytes, tail) = try unquoteChar(rest, quote: UInt8(ascii: "\""))
                out.append(contentsOf: bytes)
                rest = tail
            }
            return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "'"):
            let (bytes, tail) = try unquoteChar(body, quote: UInt8(ascii: "'"))
            guard tail.isEmpty else { throw SyntaxError() }
            return String(decoding: bytes, as: UTF8.self)
        default:
            throw SyntaxError()
        }
    }

    /// `strconv.UnquoteChar`: decodes one character or escape; returns its UTF-8 bytes and the rest.
    static func unquoteChar(_ s: ArraySlice<UInt8>, quote: UInt8) throws(SyntaxError) -> ([UInt8], ArraySlice<UInt8>) {
        guard let c = s.first else { throw SyntaxError() }
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { throw SyntaxError() }
        if c >= 0x80 {
            // Copy one UTF-8 sequence.
            var n = 1
            if c >= 0xF0 { n = 4 } else if c >= 0xE0 { n = 3 } else if c >= 0xC0 { n = 2 }
            let end = min(s.startIndex + n, s.endIndex)
            return (Array(s[s.startIndex..<end]), s[end...])
        }
        if c != UInt8(ascii: "\\") { return ([c], s.dropFirst()) }
        var rest = s.dropFirst()
        guard let e = rest.first else { throw SyntaxError() }
        rest = rest.dropFirst()
        func simple(_ b: UInt8) -> ([UInt8], ArraySlice<UInt8>) { ([b], rest) }
        switch e {
        case UInt8(ascii: "a"): return simple(7)
        case UInt8(ascii: "b"): return simple(8)
        case UInt8(ascii: "f"): return simple(12)
        case UInt8(ascii: "n"): return simple(10)
        case UInt8(ascii: "r"): return simple(13)
        case UInt8(ascii: "t"): return simple(9)
        case UInt8(ascii: "v"): return simple(11)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard rest.count >= n else { throw SyntaxError() }
            var v: UInt32 = 0
            for b in rest.prefix(n) {
                guard let d = hexValue(b) else { throw SyntaxError() }
                v = v << 4 | d
            }
            rest = rest.dropFirst(n)
            if e == UInt8(ascii: "x") { return ([UInt8(v)], rest) }
            guard let scalar = Unicode.Scalar(v) else { throw SyntaxError() }
            return (Array(String(Character(scalar)).utf8), rest)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var v = UInt32(e - 48)
            guard rest.count >= 2 else { throw SyntaxError() }
            for b in rest.prefix(2) {
                guard b >= 48 && b <= 55 else { throw SyntaxError() }
                v = v << 3 | UInt32(b - 48)
            }
            guard v <= 255 else { throw SyntaxError() }
            return ([UInt8(v)], rest.dropFirst(2))
        case UInt8(ascii: "\\"): return simple(e)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard e == quote else { throw SyntaxError() }
            return simple(e)
        default:
            throw SyntaxError()
        }
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 48...57: return UInt32(b - 48)
        case 97...102: return UInt32(b - 87)
        case 65...70: return UInt32(b - 55)
        default: return nil
        }
    }
}
