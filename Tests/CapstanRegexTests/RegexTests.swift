import Testing

@testable import CapstanRegex

/// The RE2-syntax engine behind `matches`, `find` and `findAll` (Go `regexp` semantics).
@Suite struct RegexTests {
    static let cases: [(pattern: String, input: String, first: String?)] = [
        ("abc", "xxabcxx", "abc"), ("^abc$", "abc", "abc"), ("^abc$", "abcd", nil),
        ("a|ab", "ab", "a"),  // leftmost-first, not leftmost-longest
        ("a+?", "aaa", "a"), ("a{2,3}", "aaaa", "aaa"), ("a{2}", "a", nil), ("(?:ab)+", "ababx", "abab"),
        ("[a-c]+", "xxbcay", "bca"), ("[^a-c]+", "abcxyz", "xyz"), ("[[:digit:]]+", "ab12", "12"),
        ("\\d+\\s\\w+", "no 12 ab!", "12 ab"), ("\\bfoo\\b", "a foo b", "foo"), ("\\Bfoo", "afoo", "foo"),
        ("(?i)HeLLo", "say hello", "hello"), ("(?i:a)b", "AB Ab", "Ab"), ("a.c", "a\nc abc", "abc"),
        ("(?s)a.c", "a\nc", "a\nc"), ("(?m)^b$", "a\nb\nc", "b"), ("^b$", "a\nb\nc", nil),
        ("\\pL+", "12héllo!", "héllo"), ("\\p{Lu}", "abcDef", "D"), ("\\PN+", "12ab34", "ab"),
        ("\\x41\\x{263a}", "A☺", "A☺"), ("\\Qa.b\\E", "axb a.b", "a.b"), ("[\\d.]+", "v1.30.2-rc", "1.30.2"),
        ("a*", "baaa", ""), ("(a*)*b", "aaab", "aaab"), ("x*y*z", "xxyyzz", "xxyyz"),
        ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "my-cluster-01", "my-cluster-01"),
        ("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "My_Cluster", nil),
    ]

    @Test func firstMatches() throws {
        for c in Self.cases {
            let re = try RegexProgram(pattern: c.pattern)
            #expect(re.firstMatch(c.input) == c.first, "/\(c.pattern)/ on \(c.input)")
            #expect(re.matches(c.input) == (c.first != nil), "/\(c.pattern)/ matches \(c.input)")
        }
    }

    @Test func findAllFollowsGo() throws {
        #expect(try RegexProgram(pattern: "a*").allMatches("baaab", limit: -1) == ["", "aaa", ""])
        #expect(try RegexProgram(pattern: "\\d+").allMatches("1 22 333", limit: 2) == ["1", "22"])
        #expect(try RegexProgram(pattern: "").allMatches("ab", limit: -1) == ["", "", ""])
    }

    @Test(arguments: [
        ("(", "error parsing regexp: missing closing ): `(`"),
        ("a)", "error parsing regexp: unexpected ): `)`"),
        ("[a", "error parsing regexp: missing closing ]: `[a`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*a`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `a**`"),
        ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
        ("\\1", "error parsing regexp: invalid escape sequence: `\\1`"),
        ("[z-a]", "error parsing regexp: invalid character class range: `[z-a]`"),
        ("(?<", "error parsing regexp: invalid named capture: `(?<`"),
        ("\\p{Greek}", "error parsing regexp: invalid character class range: `\\p{Greek}`"),
    ])
    func syntaxErrors(_ pattern: String, _ message: String) {
        do {
            _ = try RegexProgram(pattern: pattern)
            Issue.record("/\(pattern)/ compiled")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func programSizeIsBounded() {
        #expect(throws: RegexError.self) { try RegexProgram(pattern: "((a{100}){100}){100}") }
    }
}
