/// String helpers with CEL semantics: strings are sequences of code points, compared exactly.
/// Swift's `String ==`, `hasPrefix` and `contains` use canonical equivalence and grapheme clusters,
/// so `"e\u{301}" == "\u{e9}"` would hold; CEL compares code points, so everything here works on UTF-8.
enum CodePoints {
    /// Exact code point equality.
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        if a.utf8.count != b.utf8.count { return false }
        var a = a, b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in pa.elementsEqual(pb) } }
    }

    static func hasPrefix(_ s: String, _ p: String) -> Bool {
        s.utf8.count >= p.utf8.count && s.utf8.prefix(p.utf8.count).elementsEqual(p.utf8)
    }

    static func hasSuffix(_ s: String, _ p: String) -> Bool {
        s.utf8.count >= p.utf8.count && s.utf8.suffix(p.utf8.count).elementsEqual(p.utf8)
    }

    /// The UTF-8 offset of the first occurrence of `needle` at or after `from`, or nil.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        if needle.isEmpty { return from <= haystack.count ? from : nil }
        if needle.count > haystack.count { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The UTF-8 offset of the last occurrence of `needle` starting at or before `upTo`, or nil.
    static func findLast(_ haystack: [UInt8], _ needle: [UInt8], upTo: Int) -> Int? {
        var i = min(upTo, haystack.count - needle.count)
        while i >= 0 {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    static func contains(_ s: String, _ t: String) -> Bool {
        if t.isEmpty { return true }
        return find(Array(s.utf8), Array(t.utf8)) != nil
    }

    /// The number of code points.
    @inline(__always)
    static func count(_ s: String) -> Int {
        // ASCII fast path: every byte is a code point.
        var n = 0
        for b in s.utf8 where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}

/// A map-key string compared and hashed by code points (not canonical equivalence).
struct CodePointString: Hashable, Sendable {
    let value: String
    init(_ value: String) { self.value = value }
    static func == (a: CodePointString, b: CodePointString) -> Bool { CodePoints.equal(a.value, b.value) }
    func hash(into hasher: inout Hasher) {
        for b in value.utf8 { hasher.combine(b) }
    }
}
