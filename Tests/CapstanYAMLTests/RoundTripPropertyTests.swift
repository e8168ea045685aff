import CapstanModel
import CapstanYAML
import Testing

/// `parse(emit(v))` gives `v` back for thousands of generated values: tricky strings (numbers, bools and
/// nulls in disguise, indicators, multi-line text, control and Unicode characters), nested maps and
/// lists, empty containers, extreme numbers. Seeded, so a failure reproduces.
@Suite struct RoundTripPropertyTests {
    /// SplitMix64: small, fast, and the same sequence on every platform.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let atoms: [String] = [
        "yes", "No", "on", "y", "n", "true", "False", "null", "~", "1.20", "012", "08", "0x1F", "0o17", "0b101", "1_000",
        "+1", "-1", ".5", "1e3", ".inf", "-.Inf", ".nan", "2024-01-01", "1:20", "<<", "v1.2.3", "", " ", "  ", "\n",
        "\n\n", "\t", "\r", "\r\n", "\0", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}", "\u{A0}", "\u{2028}", "\u{2029}",
        "\u{FEFF}", "\u{FFFE}", "-", "--", "---", "...", ":", ": ", "#", " #", "?", "!", "&", "*", "|", ">", "%", "@", "`",
        "'", "\"", "\\", ",", "[", "]", "{", "}", "a", "b", "key", "value", "é", "ü", "日本", "😀", "Ω", "x y", "0", "9",
        ".", "e", "E", "_", "+", "=",
    ]

    static func string(_ g: inout Generator) -> String {
        var s = ""
        for _ in 0..<g.below(6) { s += g.pick(atoms) }
        return s
    }

    static func scalar(_ g: inout Generator) -> Value {
        switch g.below(10) {
        case 0: return .null
        case 1: return .bool(g.below(2) == 0)
        case 2: return .int(g.pick([0, 1, -1, 7, 10, 255, Int64.max, Int64.min, 1_000_000, -42]))
        case 3: return .int(Int64(bitPattern: g.next()))
        case 4:
            var d = Double(bitPattern: g.next())
            while !d.isFinite { d = Double(bitPattern: g.next()) }
            return .double(d)
        case 5: return .double(g.pick([0.5, -0.25, 1.5e-7, 3.0, -0.0, 1e21, 1e300, .leastNonzeroMagnitude, 0.1, 123456.789, 1e15 + 0.5]))
        default: return .string(string(&g))
        }
    }

    static func value(_ g: inout Generator, depth: Int) -> Value {
        if depth == 0 || g.below(3) == 0 { return scalar(&g) }
        if g.below(2) == 0 {
            return .list((0..<g.below(5)).map { _ in value(&g, depth: depth - 1) })
        }
        var map = ObjectMap()
        for _ in 0..<g.below(5) {
            let key = string(&g)
            if !map.contains(key) { map.append(key: key, value: value(&g, depth: depth - 1)) }
        }
        return .map(map)
    }

    /// What the Kubernetes typing reads back: integral doubles within int64 become ints.
    static func expected(_ v: Value) -> Value {
        switch v {
        case .double(let d): if let i = Int64(exactly: d) { .int(i) } else { v }
        case .list(let l): .list(l.map(expected))
        case .map(let m): .map(m.mapValues(expected))
        default: v
        }
    }

    @Test(arguments: 0..<4)
    func roundTrip(batch: Int) throws {
        var g = Generator(state: 0xC0FFEE &+ UInt64(batch))
        var literals = 0, quoted = 0
        defer {
            // The generator must exercise every scalar style, or the property says little.
            #expect(literals > 25 && quoted > 400, "literal blocks: \(literals), double-quoted: \(quoted)")
        }
        for i in 0..<1000 {
            let v = Self.value(&g, depth: 4)
            let text = YAML.emit(v)
            if text.contains(": |") || text.contains("- |") || text.hasPrefix("|") { literals += 1 }
            if text.contains("\"") { quoted += 1 }
            let back: Value
            do {
                back = try YAML.parseFirst(text, options: .kubernetes)
            } catch {
                Issue.record("value \(batch)/\(i) did not re-read: \(error)\n--- emitted:\n\(text)")
                continue
            }
            #expect(back.isIdentical(to: Self.expected(v)), "value \(batch)/\(i)\n--- emitted:\n\(text)")
            if !back.isIdentical(to: Self.expected(v)) { return }
            // Emitting is deterministic and idempotent once read back.
            #expect(YAML.emit(back) == YAML.emit(Self.expected(v)))
        }
    }

    @Test func streamsRoundTrip() throws {
        var g = Generator(state: 42)
        let values = (0..<200).map { _ in Self.value(&g, depth: 3) }
        let text = YAML.emitStream(values, options: YAMLEmitOptions(sortKeys: true))
        let docs = try YAML.parseStream(text, file: "s.yaml")
        #expect(docs.count == values.count)
        #expect(docs.map(\.value) == values)
    }
}
