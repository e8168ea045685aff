import CapstanModel
/// Go's `strings` functions and the Masterminds/goutils helpers sprig calls, on Go's terms: byte offsets,
/// single-rune case mappings, `unicode.IsSpace`.
enum GoStrings {
    static func mapScalars(_ s: String, _ f: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        for r in s.unicodeScalars { out.append(f(r)) }
        return String(out)
    }

    /// `unicode.ToUpper`/`ToLower`/`ToTitle`: the single-rune mapping, or the rune itself.
    static func upper(_ r: Unicode.Scalar) -> Unicode.Scalar {
        if r.isASCII { return (r.value >= 97 && r.value <= 122) ? Unicode.Scalar(r.value - 32)! : r }
        let m = r.properties.uppercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : r
    }

    static func lower(_ r: Unicode.Scalar) -> Unicode.Scalar {
        if r.isASCII { return (r.value >= 65 && r.value <= 90) ? Unicode.Scalar(r.value + 32)! : r }
        let m = r.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : r
    }

    static func titleCase(_ r: Unicode.Scalar) -> Unicode.Scalar {
        if r.isASCII { return upper(r) }
        let m = r.properties.titlecaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : r
    }

    static func isUpper(_ r: Unicode.Scalar) -> Bool {
        r.isASCII ? (r.value >= 65 && r.value <= 90) : r.properties.generalCategory == .uppercaseLetter
    }

    static func isLower(_ r: Unicode.Scalar) -> Bool {
        r.isASCII ? (r.value >= 97 && r.value <= 122) : r.properties.generalCategory == .lowercaseLetter
    }

    static func toUpper(_ s: String) -> String { mapScalars(s, upper) }
    static func toLower(_ s: String) -> String { mapScalars(s, lower) }

    /// `strings.TrimSpace`.
    static func trimSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !GoQuote.isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !GoQuote.isSpace($0) })!
        return String(scalars[first...last])
    }

    /// `strings.Trim(s, cutset)`.
    static func trim(_ s: String, cutset: String) -> String {
        let cut = Set(cutset.unicodeScalars)
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !cut.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !cut.contains($0) })!
        return String(scalars[first...last])
    }

    /// `strings.Title`: upper-cases the first letter of each word (words split at non-letters).
    static func title(_ s: String) -> String {
        func isSeparator(_ r: Unicode.Scalar) -> Bool {
            if r.value <= 0x7F {
                switch r.value {
                case 48...57, 97...122, 65...90, 95: return false
                default: return true
                }
            }
            if GoQuote.isLetter(r) || GoQuote.isDigit(r) { return false }
            return GoQuote.isSpace(r)
        }
        var prev: Unicode.Scalar = " "
        return mapScalars(s) { r in
            defer { prev = r }
            return isSeparator(prev) ? titleCase(r) : r
        }
    }

    /// goutils `Uncapitalize`: lower-cases the first letter of each space-separated word.
    static func uncapitalize(_ s: String) -> String {
        var next = true
        return mapScalars(s) { r in
            if GoQuote.isSpace(r) {
                next = true
                return r
            }
            if next {
                next = false
                return lower(r)
            }
            return r
        }
    }

    /// goutils `SwapCase`.
    static func swapCase(_ s: String) -> String {
        var whitespace = true
        return mapScalars(s) { r in
            if isUpper(r) || r.properties.generalCategory == .titlecaseLetter {
                whitespace = false
                return lower(r)
            }
            if isLower(r) {
                defer { whitespace = false }
                return whitespace ? titleCase(r) : upper(r)
            }
            whitespace = GoQuote.isSpace(r)
            return r
        }
    }

    /// goutils `DeleteWhiteSpace`, which walks bytes (so non-ASCII text is re-read as Latin-1 when any
    /// whitespace is present, as in Go).
    static func deleteWhiteSpace(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var out = String.UnicodeScalarView()
        var count = 0
        for b in bytes where !GoQuote.isSpace(Unicode.Scalar(b)) {
            out.append(Unicode.Scalar(b))
            count += 1
        }
        if count == bytes.count { return s }
        return String(out)
    }

    /// goutils `Initials`: the first byte of each space-separated word.
    static func initials(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasGap = true
        for b in s.utf8 {
            let r = Unicode.Scalar(b)
            if GoQuote.isSpace(r) {
                lastWasGap = true
            } else if lastWasGap {
                out.append(r)
                lastWasGap = false
            }
        }
        return String(out)
    }

    /// goutils `WrapCustom` over bytes.
    static func wrap(_ s: String, _ length: Int, newline: String, wrapLongWords: Bool) -> String {
        if s.isEmpty { return "" }
        let nl = Array((newline.isEmpty ? "\n" : newline).utf8)
        let wrapLength = max(length, 1)
        let str = Array(s.utf8)
        var offset = 0
        var out: [UInt8] = []
        let space = UInt8(ascii: " ")
        while str.count - offset > wrapLength {
            if str[offset] == space {
                offset += 1
                continue
            }
            let end = min(wrapLength + offset + 1, str.count)
            var spaceToWrapAt = -1
            if let i = str[offset..<end].lastIndex(of: space) { spaceToWrapAt = i }
            if spaceToWrapAt >= offset {
                out += str[offset..<spaceToWrapAt]
                out += nl
                offset = spaceToWrapAt + 1
            } else if wrapLongWords {
                out += str[offset..<(wrapLength + offset)]
                out += nl
                offset += wrapLength
            } else {
                let e = wrapLength + offset
                if let i = str[e...].firstIndex(of: space) {
                    out += str[offset..<i]
                    out += nl
                    offset = i + 1
                } else {
                    out += str[offset...]
                    offset = str.count
                }
            }
        }
        out += str[offset...]
        return String(decoding: out, as: UTF8.self)
    }

    /// goutils `AbbreviateFull` (byte offsets).
    static func abbreviate(_ s: String, offset: Int, maxWidth: Int) -> String {
        let str = Array(s.utf8)
        if str.isEmpty { return "" }
        if maxWidth < 4 { return "" }
        if str.count <= maxWidth { return s }
        var offset = min(offset, str.count)
        if str.count - offset < maxWidth - 3 { offset = str.count - (maxWidth - 3) }
        if offset <= 4 { return String(decoding: str[0..<(maxWidth - 3)], as: UTF8.self) + "..." }
        if maxWidth < 7 { return "" }
        if offset + maxWidth - 3 < str.count {
            return "..." + abbreviate(String(decoding: str[offset...], as: UTF8.self), offset: 0, maxWidth: maxWidth - 3)
        }
        return "..." + String(decoding: str[(str.count - (maxWidth - 3))...], as: UTF8.self)
    }

    /// Byte offset of `sub` in `s` (`strings.Index`).
    static func index(_ s: String, _ sub: String) -> Int? {
        let a = Array(s.utf8)
        let b = Array(sub.utf8)
        if b.isEmpty { return 0 }
        if b.count > a.count { return nil }
        var i = 0
        while i + b.count <= a.count {
            if a[i] == b[0] && a[i..<(i + b.count)].elementsEqual(b) { return i }
            i += 1
        }
        return nil
    }

    /// `strings.ReplaceAll` (an empty `old` inserts `new` around every rune).
    static func replaceAll(_ s: String, _ old: String, with new: String) -> String {
        if old.isEmpty {
            var out = new
            for r in s.unicodeScalars {
                out.unicodeScalars.append(r)
                out += new
            }
            return out
        }
        return split(s, old, limit: -1).joined(separator: new)
    }

    /// `strings.SplitN(s, sep, n)`; an empty separator splits into runes; `n == 0` gives nothing.
    static func split(_ s: String, _ sep: String, limit n: Int) -> [String] {
        if n == 0 { return [] }
        if sep.isEmpty {
            var parts = s.unicodeScalars.map { String($0) }
            if n > 0 && parts.count > n {
                let head = parts.prefix(n - 1)
                let tail = String(String.UnicodeScalarView(s.unicodeScalars.dropFirst(n - 1)))
                parts = Array(head) + [tail]
            }
            return parts
        }
        let a = Array(s.utf8)
        let b = Array(sep.utf8)
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + b.count <= a.count {
            if n > 0 && parts.count == n - 1 { break }
            if a[i] == b[0] && a[i..<(i + b.count)].elementsEqual(b) {
                parts.append(String(decoding: a[start..<i], as: UTF8.self))
                i += b.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: a[start...], as: UTF8.self))
        return parts
    }
}
