extension RegexProgram {
    /// Every match replaced by `template` expanded against it (Go's `ReplaceAllString`: `$1`, `${1}`,
    /// `$name`, `${name}`, `$$`; see `expand`).
    public func replaceAll(_ s: String, with template: String) -> String {
        // Without a `$` the template is literal and no group positions are needed.
        guard template.utf8.contains(UInt8(ascii: "$")) else { return replaceAllLiteral(s, with: template) }
        let input = RegexInput(s)
        return replace(input, captures: true) { out, slots in
            appendExpansion(template, slots, input, to: &out)
        }
    }

    /// Every match replaced by `replacement` as is (Go's `ReplaceAllLiteralString`).
    public func replaceAllLiteral(_ s: String, with replacement: String) -> String {
        let input = RegexInput(s)
        return replace(input, captures: false) { out, _ in out += replacement }
    }

    /// `template` with `$` references replaced by `match`'s groups (Go's `Regexp.Expand`).
    public func expand(_ template: String, _ match: RegexMatch) -> String {
        var out = ""
        expandReferences(template, to: &out) { name, num in
            if let num { return num < match.groups.count ? match.groups[num] : nil }
            return match.group(named: name)
        }
        return out
    }

    /// `s` cut around the matches, at most `limit` pieces (negative: all; 0: none) — Go's `Regexp.Split`.
    public func split(_ s: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if !pattern.isEmpty && s.isEmpty { return [""] }
        let input = RegexInput(s)
        var parts: [String] = []
        var beg = 0
        var end = 0
        var done = false
        forEachMatch(input.scalars, limit: limit, captures: false) { slots in
            if done || (limit > 0 && parts.count == limit - 1) {
                done = true
                return
            }
            end = slots[0]
            if slots[1] != 0 { parts.append(input.text(beg, end)) }
            beg = slots[1]
        }
        if end != input.scalars.count { parts.append(input.text(beg, input.scalars.count)) }
        return parts
    }

    // MARK: - Shared loops

    /// Go's `replaceAll` loop: copies the text between matches and calls `replacement` for each match,
    /// except an empty match right after the previous one (so `a*` on `baaab` gives `XbXbX`).
    private func replace(_ input: RegexInput, captures: Bool, _ replacement: (inout String, [Int]) -> Void) -> String {
        let n = input.scalars.count
        var out = String.UnicodeScalarView()
        var result = ""
        var lastEnd = 0
        var searchPos = 0
        func copy(_ a: Int, _ b: Int) {
            if a < b { out.append(contentsOf: input.subject.unicodeScalars[input.index(a)..<input.index(b)]) }
        }
        while searchPos <= n {
            let found: [Int]?
            if captures {
                found = searchCaptures(input.scalars, from: searchPos)
            } else {
                found = search(input.scalars, from: searchPos, firstOnly: false).map { [$0.0, $0.1] }
            }
            guard let slots = found else { break }
            copy(lastEnd, slots[0])
            if slots[1] > lastEnd || slots[0] == 0 {
                result = ""
                replacement(&result, slots)
                out.append(contentsOf: result.unicodeScalars)
            }
            lastEnd = slots[1]
            searchPos = max(searchPos + 1, slots[1])
        }
        copy(lastEnd, n)
        return String(out)
    }

    /// Appends `template` expanded against one match's slots.
    func appendExpansion(_ template: String, _ slots: [Int], _ input: RegexInput, to out: inout String) {
        func group(_ k: Int) -> String? {
            guard 2 * k + 1 < slots.count, slots[2 * k] >= 0 else { return nil }
            return input.text(slots[2 * k], slots[2 * k + 1])
        }
        expandReferences(template, to: &out) { name, num in
            if let num { return group(num) }
            // The leftmost group of that name that took part.
            for (i, n) in captureNames.enumerated() where n == name {
                if let g = group(i) { return g }
            }
            return nil
        }
    }

    /// Go's `expand`/`extract`: `$$` is `$`; `$name` takes the longest run of letters, digits and `_`
    /// (so `$1x` names group "1x", which is usually empty — write `${1}x`); `${name}` needs the brace;
    /// a name of digits without a leading zero is a group number; anything malformed leaves `$` as text.
    private func expandReferences(_ template: String, to out: inout String, _ lookup: (String, Int?) -> String?) {
        var rest = Substring(template)
        while let dollar = rest.unicodeScalars.firstIndex(of: "$") {
            out.unicodeScalars.append(contentsOf: rest.unicodeScalars[..<dollar])
            var after = Substring(rest.unicodeScalars[rest.unicodeScalars.index(after: dollar)...])
            if after.unicodeScalars.first == "$" {
                out.append("$")
                rest = Substring(after.unicodeScalars.dropFirst())
                continue
            }
            guard let (name, remainder) = Self.extractName(after) else {
                out.append("$")
                rest = after
                continue
            }
            after = remainder
            rest = after
            if let text = lookup(name, Self.groupNumber(name)) { out += text }
        }
        out += rest
    }

    /// The reference name at the start of `s` (after `$`) and what follows it, or nil if malformed.
    private static func extractName(_ s: Substring) -> (String, Substring)? {
        var scalars = s.unicodeScalars[...]
        let brace = scalars.first == "{"
        if brace { scalars = scalars.dropFirst() }
        let name = scalars.prefix { u in
            u == "_" || u.properties.generalCategory.isLetter || u.properties.generalCategory == .decimalNumber
        }
        if name.isEmpty { return nil }
        scalars = scalars[name.endIndex...]
        if brace {
            guard scalars.first == "}" else { return nil }
            scalars = scalars.dropFirst()
        }
        return (String(String.UnicodeScalarView(name)), Substring(scalars))
    }

    /// A name made of ASCII digits without a leading zero, below 10^8, is a group number.
    private static func groupNumber(_ name: String) -> Int? {
        var num = 0
        for u in name.utf8 {
            guard u >= 48, u <= 57, num < 100_000_000 else { return nil }
            num = num * 10 + Int(u - 48)
        }
        if name.utf8.count > 1 && name.utf8.first == 48 { return nil }
        return num
    }
}

extension Unicode.GeneralCategory {
    /// Go's `unicode.IsLetter`: categories Lu, Ll, Lt, Lm, Lo.
    var isLetter: Bool {
        switch self {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }
}
