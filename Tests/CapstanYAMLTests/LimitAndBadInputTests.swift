import CapstanModel
import CapstanYAML
import Foundation
import Testing

/// Hostile and broken input fails fast with a located, one-line error: never a crash or a hang.
@Suite struct LimitAndBadInputTests {
    func parseError(_ text: String, options: YAMLParseOptions = .kubernetes) -> YAMLError? {
        parseError(Array(text.utf8), options: options)
    }

    func parseError(_ bytes: [UInt8], options: YAMLParseOptions = .kubernetes) -> YAMLError? {
        do {
            _ = try YAML.parseStream(bytes, file: "bad.yaml", options: options)
            return nil
        } catch {
            return error
        }
    }

    func elapsed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func billionLaughs() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 { text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        var error: YAMLError?
        let seconds = elapsed { error = parseError(text) }
        #expect(seconds < 0.5)
        #expect(error?.message.contains("alias expansion limit") == true)
        #expect(error?.location.line == 5)  // a4 expands to 111,110 nodes, the first level above 100,000
        // A moderate use of aliases is fine, and the limit is adjustable.
        #expect(parseError("a: &a [1, 2]\nb: *a\nc: *a\n") == nil)
        #expect(parseError("a: &a [1, 2]\nb: *a\nc: *a\n", options: YAMLParseOptions(limits: YAMLLimits(maxAliasExpansion: 5)))?
            .location == SourceLocation(file: "bad.yaml", line: 3, column: 4))
    }

    @Test(arguments: ["[", "{a: ", "- "])
    func deepNesting(_ opener: String) throws {
        let text = String(repeating: opener, count: 10_000) + "x"
        var error: YAMLError?
        let seconds = elapsed { error = parseError(text) }
        #expect(seconds < 0.5)
        #expect(error?.message == "maps and lists nest deeper than 512 levels (nesting depth limit)")
        #expect(error?.location.line == 1)
    }

    @Test func deepBlockNesting() throws {
        var text = ""
        for depth in 0..<2_000 { text += String(repeating: " ", count: depth) + "k:\n" }
        let error = parseError(text)
        #expect(error?.message.contains("nesting depth limit") == true)
        #expect(error?.location.line == 513)
        // Just under the limit parses.
        let ok = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(parseError(ok) == nil)
    }

    @Test func documentAndInputSize() throws {
        let small = YAMLParseOptions(limits: YAMLLimits(maxInputBytes: 10_000, maxDocumentBytes: 1_000))
        let big = "a: 1\n---\n" + (0..<100).map { "key\($0): value\($0)\n" }.joined()
        let docError = parseError(big, options: small)
        #expect(docError?.message == "document is larger than 1000 bytes (document size limit)")
        #expect(docError?.location.line ?? 0 > 2)
        let inputError = parseError(String(repeating: "# padding\n", count: 1_001), options: small)
        #expect(inputError?.description == "bad.yaml:1:1: input is 10010 bytes, larger than the limit of 10000 bytes (9 KiB); not parsed")
        // The defaults take a 1 MiB document.
        let megabyte = "data:\n" + (0..<40_000).map { "  k\($0): some value \($0)\n" }.joined()
        #expect(megabyte.utf8.count > 1 << 20)
        #expect(parseError(megabyte) == nil)
    }

    @Test func defaultInputLimitRejectsBeforeParsing() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: (64 << 20) + 1)
        var error: YAMLError?
        let seconds = elapsed { error = parseError(bytes) }
        #expect(seconds < 0.5)
        #expect(error?.message == "input is 67108865 bytes, larger than the limit of 67108864 bytes (64 MiB); not parsed")
    }

    @Test(arguments: [
        ("a: [1, 2\nb: 3\n", "bad.yaml:2:2: did not find expected ',' or ']' (while parsing a flow sequence)"),
        ("a:\n\tb: 1\n", "bad.yaml:2:1: found a tab character where a token or indentation is expected; YAML does not allow tabs for indentation"),
        ("a: b: c\n", "bad.yaml:1:5: mapping values are not allowed in this context"),
        ("a: 'open\n", "bad.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar)"),
        ("- a\nb: 1\n", "bad.yaml:2:1: did not find expected '-' indicator (while parsing a block collection)"),
        ("a: @x\n", "bad.yaml:1:4: found character that cannot start any token (while scanning for the next token)"),
        ("a: 1\n a: 2\n", "bad.yaml:2:3: mapping values are not allowed in this context"),
    ])
    func syntaxErrors(_ text: String, _ expected: String) throws {
        #expect(parseError(text)?.description == expected)
    }

    @Test func invalidUTF8() throws {
        let error = parseError(Array("a: ok\nb: caf".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        #expect(error?.description == "bad.yaml:2:8: invalid trailing UTF-8 octet (byte 0x28)")
        let lone = parseError(Array("k: ".utf8) + [0xFF])
        #expect(lone?.description == "bad.yaml:1:4: invalid leading UTF-8 octet (byte 0xFF)")
    }

    @Test func binaryGarbage() throws {
        var g = RoundTripPropertyTests.Generator(state: 7)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let error = try #require(parseError([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + garbage))
        #expect(error.location.line == 1)
        #expect(!error.message.contains("\n"))
        let nul = parseError(Array("a: b\0c\n".utf8))
        #expect(nul?.description == "bad.yaml:1:5: control characters are not allowed (byte 0x00)")
    }
}
