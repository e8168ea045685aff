/// Go's `strconv.Quote` / `QuoteRune` (and so `%q`), which upstream messages and templates print with.
public enum GoQuote {
    /// `strconv.Quote`: a double-quoted Go string literal with Go escapes for non-printable runes.
    public static func quote(_ s: String, asciiOnly: Bool = false) -> String {
        var out = "\""
        appendQuoted(s, quote: "\"", asciiOnly: asciiOnly, into: &out)
        out.append("\"")
        return out
    }

    /// `strconv.QuoteRune`: a single-quoted Go character literal.
    public static func quoteRune(_ r: Unicode.Scalar) -> String {
        var out = "'"
        appendRune(r, quote: "'", asciiOnly: false, into: &out)
        out.append("'")
        return out
    }

    public static func appendQuoted(_ s: String, quote: Unicode.Scalar, asciiOnly: Bool, into out: inout String) {
        for r in s.unicodeScalars { appendRune(r, quote: quote, asciiOnly: asciiOnly, into: &out) }
    }

    private static let hexDigits = Array("0123456789abcdef")

    public static func appendRune(_ r: Unicode.Scalar, quote: Unicode.Scalar, asciiOnly: Bool, into out: inout String) {
        if r == quote || r == "\\" {
            out.append("\\")
            out.unicodeScalars.append(r)
            return
        }
        if asciiOnly {
            if r.value < 0x80 && isPrint(r) {
                out.unicodeScalars.append(r)
                return
            }
        } else if isPrint(r) {
            out.unicodeScalars.append(r)
            return
        }
        switch r {
        case "\u{07}": out.append("\\a")
        case "\u{08}": out.append("\\b")
        case "\u{0C}": out.append("\\f")
        case "\n": out.append("\\n")
        case "\r": out.append("\\r")
        case "\t": out.append("\\t")
        case "\u{0B}": out.append("\\v")
        default:
            let v = r.value
            if v < 0x20 || v == 0x7f {
                out.append("\\x")
                out.append(hexDigits[Int(v >> 4)])
                out.append(hexDigits[Int(v & 0xF)])
            } else if v < 0x10000 {
                out.append("\\u")
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            } else {
                out.append("\\U")
                for shift in stride(from: 28, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            }
        }
    }

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    public static func isPrint(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 { return r.value >= 0x20 && r.value < 0x7f }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
