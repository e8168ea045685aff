import CapstanModel
/// huandu/xstrings v1.5.0 case conversions behind sprig's `snakecase`, `kebabcase` (word splitting by
/// letter case, numbers and connectors) and `camelcase` (`ToPascalCase`).
enum CaseConversion {
    private enum WordType { case invalid, number, upperCase, alphabet, connector, punct, other }

    private static func isConnector(_ r: Unicode.Scalar) -> Bool { r == "-" || r == "_" || GoQuote.isSpace(r) }

    private static func isPunct(_ r: Unicode.Scalar) -> Bool {
        switch r.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    private static func isNumber(_ r: Unicode.Scalar) -> Bool {
        switch r.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// xstrings `isAlphabet`: letters outside the CJK blocks.
    private static func isAlphabet(_ r: Unicode.Scalar) -> Bool {
        guard GoQuote.isLetter(r) else { return false }
        switch r.value {
        case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return false
        default: return true
        }
    }

    private typealias Scalars = ArraySlice<Unicode.Scalar>

    private static func nextWord(_ str: Scalars) -> (WordType, Scalars, Scalars) {
        guard let r = str.first else { return (.invalid, [], []) }
        var end = str.startIndex + 1
        func run(while pred: (Unicode.Scalar) -> Bool) { while end < str.endIndex && pred(str[end]) { end += 1 } }
        let type: WordType
        if isConnector(r) {
            type = .connector
            run(while: isConnector)
        } else if isPunct(r) {
            type = .punct
            run(while: isPunct)
        } else if GoStrings.isUpper(r) {
            type = .upperCase
            if end < str.endIndex {
                let r2 = str[end]
                if GoStrings.isUpper(r2) {
                    end += 1
                    run(while: GoStrings.isUpper)
                    if end < str.endIndex && isAlphabet(str[end]) { end -= 1 }
                } else if isAlphabet(r2) {
                    end += 1
                    run(while: { isAlphabet($0) && !GoStrings.isUpper($0) })
                }
            }
        } else if isAlphabet(r) {
            type = .alphabet
            run(while: { isAlphabet($0) && !GoStrings.isUpper($0) })
        } else if isNumber(r) {
            type = .number
            run(while: isNumber)
        } else {
            type = .other
            run(while: { !(isConnector($0) || isAlphabet($0) || isNumber($0) || isPunct($0)) })
        }
        return (type, str[str.startIndex..<end], str[end...])
    }

    private static func toLower(_ buf: inout String.UnicodeScalarView, _ wt: WordType, _ word: Scalars, _ connector: Unicode.Scalar) {
        if wt != .upperCase && wt != .connector {
            buf.append(contentsOf: word)
            return
        }
        for r in word {
            if isConnector(r) {
                buf.append(connector)
            } else if GoStrings.isUpper(r) {
                buf.append(GoStrings.lower(r))
            } else {
                buf.append(r)
            }
        }
    }

    /// `camelCaseToLowerCase` (snake and kebab case).
    static func lowerCase(_ s: String, connector: Unicode.Scalar) -> String {
        if s.isEmpty { return "" }
        var buf = String.UnicodeScalarView()
        let all = Array(s.unicodeScalars)[...]
        var (wt, word, remaining) = nextWord(all)
        while !remaining.isEmpty {
            if wt != .connector { toLower(&buf, wt, word, connector) }
            let prev = wt
            let last = word
            (wt, word, remaining) = nextWord(remaining)
            switch prev {
            case .number:
                while wt == .alphabet || wt == .number {
                    toLower(&buf, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .punct && wt != .connector { buf.append(connector) }
            case .connector:
                toLower(&buf, prev, last, connector)
            case .punct:
                break
            default:
                if wt != .number {
                    if wt != .connector && wt != .punct { buf.append(connector) }
                    break
                }
                if remaining.isEmpty { break }
                let lastNumber = word
                (wt, word, remaining) = nextWord(remaining)
                if wt != .alphabet {
                    toLower(&buf, .number, lastNumber, connector)
                    if wt != .connector && wt != .punct { buf.append(connector) }
                    break
                }
                buf.append(connector)
                toLower(&buf, .number, lastNumber, connector)
                while wt == .alphabet || wt == .number {
                    toLower(&buf, wt, word, connector)
                    (wt, word, remaining) = nextWord(remaining)
                }
                if wt != .invalid && wt != .connector && wt != .punct { buf.append(connector) }
            }
        }
        toLower(&buf, wt, word, connector)
        return String(buf)
    }

    /// `ToPascalCase`: connectors removed, the rune after each upper-cased, and runs of capitals after a
    /// word start lowered (`GOLANG_IS_GREAT` → `GolangIsGreat`, `_complex__case_` → `_Complex_Case_`).
    static func pascalCase(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)[...]
        if scalars.isEmpty { return "" }
        var buf = String.UnicodeScalarView()
        var r0: Unicode.Scalar = " "
        var firstUpper = false
        var found = false
        while let r = scalars.first {
            scalars = scalars.dropFirst()
            if !isConnector(r) {
                firstUpper = GoStrings.isUpper(r)
                r0 = GoStrings.upper(r)
                found = true
                break
            }
            buf.append(r)
        }
        if !found { return String(buf) }
        if scalars.isEmpty {
            buf.append(r0)
            return String(buf)
        }
        while let r = scalars.first {
            scalars = scalars.dropFirst()
            let r1 = r0
            r0 = r
            if isConnector(r0) && isConnector(r1) {
                buf.append(r1)
                continue
            }
            if isConnector(r1) {
                firstUpper = GoStrings.isUpper(r0)
                r0 = GoStrings.upper(r0)
            } else {
                if firstUpper {
                    if GoStrings.isUpper(r0) {
                        r0 = GoStrings.lower(r0)
                    } else {
                        firstUpper = false
                    }
                }
                buf.append(r1)
            }
        }
        buf.append(r0)
        return String(buf)
    }
}
