import CapstanModel
/// Go's `fmt` package over template values: `%v` printing (what `{{ .x }}` writes), `Sprint`,
/// `Sprintln` and `Sprintf` with the verbs, flags, width and precision templates use.
struct GoFormatter {
    /// Flags of the verb being formatted.
    struct Flags {
        var plus = false
        var minus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int?
        var precision: Int?
    }

    var out = ""
    var flags = Flags()

    // MARK: Entry points

    /// What `{{ pipeline }}` writes for a value: `<no value>` for no value, else `fmt.Fprint`.
    static func templateText(_ value: TemplateValue) -> String {
        switch value {
        case .invalid, .null: return "<no value>"
        case .string(let s): return s
        case .float64(let d): return GoFloatFormat.format(d, "g", precision: -1)
        case .int(let i): return String(i)
        default:
            var f = GoFormatter()
            f.printValue(value, verb: "v", depth: 0)
            return f.out
        }
    }

    /// `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var f = GoFormatter()
        var previousIsString = false
        for (i, arg) in args.enumerated() {
            let isString: Bool
            if case .string = arg { isString = true } else { isString = false }
            if i > 0 && !isString && !previousIsString { f.out.append(" ") }
            f.printArg(arg, verb: "v")
            previousIsString = isString
        }
        return f.out
    }

    /// `fmt.Sprintln(args...)`: always space-separated, newline-terminated.
    static func sprintln(_ args: [TemplateValue]) -> String {
        var f = GoFormatter()
        for (i, arg) in args.enumerated() {
            if i > 0 { f.out.append(" ") }
            f.printArg(arg, verb: "v")
        }
        f.out.append("\n")
        return f.out
    }

    /// `fmt.Sprintf(format, args...)`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var f = GoFormatter()
        f.doPrintf(Array(format.unicodeScalars), args)
        return f.out
    }

    /// `%v` of one value (used by sprig's `toString`, `cat`, `squote`, ...).
    static func formatV(_ value: TemplateValue) -> String {
        if case .string(let s) = value { return s }
        var f = GoFormatter()
        f.printArg(value, verb: "v")
        return f.out
    }

    // MARK: Printf

    private mutating func doPrintf(_ format: [Unicode.Scalar], _ args: [TemplateValue]) {
        var argNum = 0
        var i = 0
        let end = format.count
        func parseNumber(_ i: inout Int) -> Int? {
            var n = 0
            var found = false
            while i < end, format[i].value >= 48, format[i].value <= 57 {
                n = n * 10 + Int(format[i].value - 48)
                found = true
                i += 1
                if n > 1_000_000 { return nil }
            }
            return found ? n : nil
        }
        while i < end {
            // Stop once the text is over Capstan's value limit: the executor reports the call as too large.
            if out.utf8.count > Sprig.maxValueBytes { return }
            let start = i
            while i < end && format[i] != "%" { i += 1 }
            if i > start { out.unicodeScalars.append(contentsOf: format[start..<i]) }
            if i >= end { break }
            i += 1  // skip %
            flags = Flags()
            flagLoop: while i < end {
                switch format[i] {
                case "#": flags.sharp = true
                case "0": flags.zero = !flags.minus
                case "+": flags.plus = true
                case "-": flags.minus = true; flags.zero = false
                case " ": flags.space = true
                default: break flagLoop
                }
                i += 1
            }
            // Width.
            if i < end && format[i] == "*" {
                i += 1
                if argNum < args.count, let w = Self.intArg(args[argNum]), Swift.abs(w) <= 1_000_000 {
                    flags.width = w
                    if w < 0 {
                        flags.width = -w
                        flags.minus = true
                        flags.zero = false
                    }
                } else {
                    out.append("%!(BADWIDTH)")
                }
                argNum += 1
            } else if let w = parseNumber(&i) {
                flags.width = w
            }
            // Precision.
            if i < end && format[i] == "." {
                i += 1
                if i < end && format[i] == "*" {
                    i += 1
                    if argNum < args.count, let p = Self.intArg(args[argNum]), p >= 0, p <= 1_000_000 {
                        flags.precision = p
                    } else {
                        out.append("%!(BADPREC)")
                    }
                    argNum += 1
                } else {
                    flags.precision = parseNumber(&i) ?? 0
                }
            }
            if i >= end {
                out.append("%!(NOVERB)")
                break
            }
            let verb = format[i]
            i += 1
            if verb == "%" {
                out.append("%")
                continue
            }
            if argNum >= args.count {
                out.append("%!")
                out.unicodeScalars.append(verb)
                out.append("(MISSING)")
                continue
            }
            let arg = args[argNum]
            argNum += 1
            if verb == "w" {
                // Sprintf has no error wrapping.
                badVerb(verb, arg)
                continue
            }
            printArg(arg, verb: verb)
        }
        if argNum < args.count {
            out.append("%!(EXTRA ")
            for (n, arg) in args[argNum...].enumerated() {
                if n > 0 { out.append(", ") }
                if arg.isNilLike {
                    out.append("<nil>")
                } else {
                    out.append(arg.goTypeName)
                    out.append("=")
                    flags = Flags()
                    printArg(arg, verb: "v")
                }
            }
            out.append(")")
        }
    }

    private static func intArg(_ v: TemplateValue) -> Int? {
        switch v {
        case .int(let i): return i
        case .int64(let i): return Int(i)
        case .uint64(let u): return u <= UInt64(Int.max) ? Int(u) : nil
        case .uint8(let u): return Int(u)
        default: return nil
        }
    }

    // MARK: Values

    mutating func printArg(_ arg: TemplateValue, verb: Unicode.Scalar) {
        if arg.isNilLike {
            if verb == "v" || verb == "T" { pad("<nil>") } else { badVerb(verb, arg) }
            return
        }
        if verb == "T" {
            pad(arg.goTypeName)
            return
        }
        printValue(arg, verb: verb, depth: 0)
    }

    mutating func printValue(_ value: TemplateValue, verb: Unicode.Scalar, depth: Int) {
        switch value {
        case .invalid, .null:
            if depth == 0 { out.append("<invalid reflect.Value>") } else { out.append("<nil>") }
        case .bool(let b):
            if verb == "t" || verb == "v" { pad(b ? "true" : "false") } else { badVerb(verb, value) }
        case .int(let i): formatSigned(Int64(i), verb: verb, value: value)
        case .int64(let i): formatSigned(i, verb: verb, value: value)
        case .uint64(let u): formatUnsigned(u, verb: verb, value: value)
        case .uint8(let u): formatUnsigned(UInt64(u), verb: verb, value: value)
        case .float64(let d): formatFloat(d, verb: verb, value: value)
        case .string(let s): formatString(s, verb: verb, value: value)
        case .semver(let v):
            switch verb {
            case "v", "s", "x", "X", "q": formatString(v.description, verb: verb, value: .string(v.description))
            default: badVerb(verb, value)
            }
        case .list(let l):
            out.append("[")
            for (i, item) in l.items.enumerated() {
                if i > 0 { out.append(" ") }
                printValue(item, verb: verb, depth: depth + 1)
            }
            out.append("]")
        case .map(let m):
            out.append("map[")
            for (i, key) in m.sortedKeys.enumerated() {
                if i > 0 { out.append(" ") }
                printValue(.string(key), verb: verb, depth: depth + 1)
                out.append(":")
                printValue(m.entries[key] ?? .null, verb: verb, depth: depth + 1)
            }
            out.append("]")
        }
    }

    mutating func badVerb(_ verb: Unicode.Scalar, _ value: TemplateValue) {
        out.append("%!")
        out.unicodeScalars.append(verb)
        out.append("(")
        if value.isNilLike {
            out.append("<nil>")
        } else {
            out.append(value.goTypeName)
            out.append("=")
            let saved = flags
            flags = Flags()
            printValue(value, verb: "v", depth: 0)
            flags = saved
        }
        out.append(")")
    }

    // MARK: Scalars

    private mutating func formatSigned(_ v: Int64, verb: Unicode.Scalar, value: TemplateValue) {
        switch verb {
        case "v", "d": fmtInteger(v.magnitude, negative: v < 0, base: 10, verb: verb, upper: false)
        case "b": fmtInteger(v.magnitude, negative: v < 0, base: 2, verb: verb, upper: false)
        case "o", "O": fmtInteger(v.magnitude, negative: v < 0, base: 8, verb: verb, upper: false)
        case "x": fmtInteger(v.magnitude, negative: v < 0, base: 16, verb: verb, upper: false)
        case "X": fmtInteger(v.magnitude, negative: v < 0, base: 16, verb: verb, upper: true)
        case "c": pad(Unicode.Scalar(UInt32(truncatingIfNeeded: v)).map { String(Character($0)) } ?? "\u{FFFD}")
        case "q": pad(GoQuote.quoteRune(Unicode.Scalar(UInt32(truncatingIfNeeded: v)) ?? "\u{FFFD}"))
        case "U": fmtUnicode(UInt64(bitPattern: v))
        default: badVerb(verb, value)
        }
    }

    private mutating func formatUnsigned(_ v: UInt64, verb: Unicode.Scalar, value: TemplateValue) {
        switch verb {
        case "v", "d": fmtInteger(v, negative: false, base: 10, verb: verb, upper: false)
        case "b": fmtInteger(v, negative: false, base: 2, verb: verb, upper: false)
        case "o", "O": fmtInteger(v, negative: false, base: 8, verb: verb, upper: false)
        case "x": fmtInteger(v, negative: false, base: 16, verb: verb, upper: false)
        case "X": fmtInteger(v, negative: false, base: 16, verb: verb, upper: true)
        case "c": pad(Unicode.Scalar(UInt32(truncatingIfNeeded: v)).map { String(Character($0)) } ?? "\u{FFFD}")
        case "q": pad(GoQuote.quoteRune(Unicode.Scalar(UInt32(truncatingIfNeeded: v)) ?? "\u{FFFD}"))
        case "U": fmtUnicode(v)
        default: badVerb(verb, value)
        }
    }

    private mutating func fmtUnicode(_ v: UInt64) {
        var hex = String(v, radix: 16, uppercase: true)
        while hex.count < max(4, flags.precision ?? 0) { hex = "0" + hex }
        var s = "U+" + hex
        if flags.sharp, v <= 0x10FFFF, let r = Unicode.Scalar(UInt32(v)), GoQuote.isPrint(r) {
            s += " '" + String(Character(r)) + "'"
        }
        let zero = flags.zero
        flags.zero = false
        pad(s)
        flags.zero = zero
    }

    /// `fmt.fmtInteger`: precision or zero flag pads digits; `#` adds base prefixes.
    private mutating func fmtInteger(_ u: UInt64, negative: Bool, base: Int, verb: Unicode.Scalar, upper: Bool) {
        var prec = 0
        if let p = flags.precision {
            prec = p
            if p == 0 && u == 0 {
                let zero = flags.zero
                flags.zero = false
                pad("")
                flags.zero = zero
                return
            }
        } else if flags.zero, !flags.minus, let w = flags.width {
            prec = w
            if negative || flags.plus || flags.space { prec -= 1 }
        }
        var digits = String(u, radix: base, uppercase: upper)
        if digits.count < prec { digits = String(repeating: "0", count: prec - digits.count) + digits }
        if flags.sharp {
            switch base {
            case 2: digits = "0b" + digits
            case 8: if !digits.hasPrefix("0") { digits = "0" + digits }
            case 16: digits = (upper ? "0X" : "0x") + digits
            default: break
            }
        }
        if verb == "O" { digits = "0o" + digits }
        if negative {
            digits = "-" + digits
        } else if flags.plus {
            digits = "+" + digits
        } else if flags.space {
            digits = " " + digits
        }
        let zero = flags.zero
        flags.zero = false
        pad(digits)
        flags.zero = zero
    }

    private mutating func formatFloat(_ v: Double, verb: Unicode.Scalar, value: TemplateValue) {
        switch verb {
        case "v": fmtFloat(v, "g", defaultPrecision: -1)
        case "g", "G": fmtFloat(v, Character(verb), defaultPrecision: -1)
        case "e", "E", "f": fmtFloat(v, Character(verb), defaultPrecision: 6)
        case "F": fmtFloat(v, "f", defaultPrecision: 6)
        default: badVerb(verb, value)
        }
    }

    /// `fmt.fmtFloat`: sign handling, `Inf`/`NaN` never zero-padded, zero padding after the sign.
    private mutating func fmtFloat(_ v: Double, _ fmt: Character, defaultPrecision: Int) {
        var num = GoFloatFormat.format(v, fmt, precision: flags.precision ?? defaultPrecision)
        if num.first != "-" && num.first != "+" { num = "+" + num }
        if flags.space && num.first == "+" && !flags.plus { num = " " + num.dropFirst() }
        let second = num.dropFirst().first
        if second == "I" || second == "N" {
            if second == "N" && !flags.space && !flags.plus { num = String(num.dropFirst()) }
            let zero = flags.zero
            flags.zero = false
            pad(num)
            flags.zero = zero
            return
        }
        if flags.plus || num.first != "+" {
            if flags.zero && !flags.minus, let w = flags.width, w > num.count {
                out.append(num.first!)
                out.append(String(repeating: "0", count: w - num.count))
                out.append(contentsOf: num.dropFirst())
                return
            }
            pad(num)
            return
        }
        pad(String(num.dropFirst()))
    }

    private mutating func formatString(_ s: String, verb: Unicode.Scalar, value: TemplateValue) {
        switch verb {
        case "v", "s": pad(truncated(s))
        case "q":
            let t = truncated(s)
            if flags.sharp && !t.contains("`") && t.unicodeScalars.allSatisfy({ $0 == "\t" || GoQuote.isPrint($0) && $0 != "\u{FEFF}" }) {
                pad("`" + t + "`")
            } else {
                pad(GoQuote.quote(t, asciiOnly: flags.plus))
            }
        case "x", "X":
            let bytes = Array(truncated(s).utf8)
            let digits = Array(verb == "x" ? "0123456789abcdef" : "0123456789ABCDEF")
            var hex = ""
            for (i, b) in bytes.enumerated() {
                if flags.space && i > 0 { hex.append(" ") }
                if flags.sharp && (flags.space || i == 0) { hex.append(verb == "x" ? "0x" : "0X") }
                hex.append(digits[Int(b >> 4)])
                hex.append(digits[Int(b & 0xF)])
            }
            pad(hex)
        default: badVerb(verb, value)
        }
    }

    private func truncated(_ s: String) -> String {
        guard let p = flags.precision else { return s }
        var count = 0
        var end = s.unicodeScalars.startIndex
        for i in s.unicodeScalars.indices {
            if count == p { end = i; return String(s.unicodeScalars[..<end]) }
            count += 1
        }
        return s
    }

    /// `fmt.pad`: width in runes, spaces (or zeros with the `0` flag) on the left, or on the right with `-`.
    private mutating func pad(_ s: String) {
        guard let w = flags.width, w > 0 else {
            out.append(s)
            return
        }
        let n = s.unicodeScalars.count
        if n >= w {
            out.append(s)
            return
        }
        let padding = String(repeating: flags.zero && !flags.minus ? "0" : " ", count: w - n)
        if flags.minus {
            out.append(s)
            out.append(padding)
        } else {
            out.append(padding)
            out.append(s)
        }
    }
}
