import Testing

@testable import CapstanRegex

/// Submatches, positions, replacement and splitting, checked against Go `regexp`'s documented results.
@Suite struct SubmatchTests {
    @Test func findAllSubmatchFollowsGo() throws {
        let re = try RegexProgram(pattern: "a(x*)b")
        #expect(re.allSubmatches(in: "-ab-").map(\.groups) == [["ab", ""]])
        #expect(re.allSubmatches(in: "-ab-axb-").map(\.groups) == [["ab", ""], ["axb", "x"]])
        #expect(re.allSubmatches(in: "-axxb-ab-").map(\.groups) == [["axxb", "xx"], ["ab", ""]])
        #expect(re.allSubmatches(in: "-ab-axb-ab-", limit: 2).count == 2)
        #expect(re.allSubmatches(in: "-ab-", limit: 0).isEmpty)
        #expect(re.submatch(in: "zzz") == nil)
    }

    @Test func groupsAreNumberedByOpeningParenthesisAndMayNotTakePart() throws {
        let re = try RegexProgram(pattern: "((a)|(b))(?:c)(?P<last>d)?")
        #expect(re.captureCount == 4)
        #expect(re.captureNames == ["", "", "", "", "last"])
        #expect(re.captureIndex(named: "last") == 4)
        let m = try #require(re.submatch(in: "xbc"))
        #expect(m.groups == ["bc", "b", nil, "b", nil])
        #expect(m.utf8Ranges[2] == nil)
    }

    @Test func leftmostFirstGroupsLikePerl() throws {
        // Go (like Perl) prefers the first alternative and greedy loops; the last iteration is captured.
        #expect(try RegexProgram(pattern: "(a|ab)(c|bcd)").submatch(in: "abcd")?.groups == ["abcd", "a", "bcd"])
        #expect(try RegexProgram(pattern: "(a+)(a*)").submatch(in: "aaa")?.groups == ["aaa", "aaa", ""])
        #expect(try RegexProgram(pattern: "(a+?)(a*)").submatch(in: "aaa")?.groups == ["aaa", "a", "aa"])
        #expect(try RegexProgram(pattern: "(?:(\\w)\\.)+").submatch(in: "a.b.c.")?.groups == ["a.b.c.", "c"])
    }

    @Test func positionsAreUTF8OffsetsAndScalarAlignedIndices() throws {
        let s = "é-axxb☺"
        let m = try #require(RegexProgram(pattern: "a(x*)b").submatch(in: s))
        #expect(m.utf8Ranges == [3..<7, 4..<6])  // Go: FindStringSubmatchIndex = [3 7 4 6]
        #expect(String(s.unicodeScalars[m.range]) == "axxb")
        // A match inside a grapheme cluster (e + combining acute) keeps its exact scalars.
        let decomposed = "e\u{301}x"
        let mark = try #require(RegexProgram(pattern: "\\x{301}").submatch(in: decomposed))
        #expect(mark.text == "\u{301}")
        #expect(mark.utf8Ranges[0] == 1..<3)
        #expect(decomposed.utf8[mark.range].count == 2)
    }

    @Test func replaceAllExpandsLikeGo() throws {
        let re = try RegexProgram(pattern: "a(x*)b")
        #expect(re.replaceAll("-ab-axxb-", with: "T") == "-T-T-")
        #expect(re.replaceAll("-ab-axxb-", with: "$1") == "--xx-")
        #expect(re.replaceAll("-ab-axxb-", with: "$1W") == "---")  // "$1W" names group "1W"
        #expect(re.replaceAll("-ab-axxb-", with: "${1}W") == "-W-xxW-")
        #expect(re.replaceAll("-ab-axxb-", with: "$$1") == "-$1-$1-")
        #expect(re.replaceAll("-ab-axxb-", with: "${1") == "-${1-${1-")  // malformed: `$` stays text
        #expect(re.replaceAll("-ab-axxb-", with: "$01") == "---")  // leading zero: a name, not a number
        #expect(re.replaceAll("-ab-axxb-", with: "$9") == "---")
        #expect(re.replaceAllLiteral("-ab-axxb-", with: "${1}") == "-${1}-${1}-")
        let named = try RegexProgram(pattern: "a(?P<1W>x*)b")
        #expect(named.replaceAll("-ab-axxb-", with: "$1W") == "--xx-")
        #expect(named.replaceAll("-ab-axxb-", with: "${1}W") == "-W-xxW-")
        let people = try RegexProgram(pattern: "(?P<first>\\w+)\\s(?P<last>\\w+)")
        #expect(people.replaceAll("Ada Lovelace", with: "${last}, $first") == "Lovelace, Ada")
        // The leftmost participating group of a repeated name.
        let twice = try RegexProgram(pattern: "(?P<x>a)|(?P<x>b)")
        #expect(twice.replaceAll("ab", with: "<$x>") == "<a><b>")
        #expect(twice.expand("[$x]", try #require(twice.submatch(in: "b"))) == "[b]")
    }

    @Test func emptyMatchesReplaceLikeGo() throws {
        #expect(try RegexProgram(pattern: "a*").replaceAll("baaab", with: "X") == "XbXbX")
        #expect(try RegexProgram(pattern: "").replaceAll("ab", with: "-") == "-a-b-")
        #expect(try RegexProgram(pattern: "x*").replaceAllLiteral("☺é", with: "|") == "|☺|é|")
    }

    @Test func splitFollowsGo() throws {
        #expect(try RegexProgram(pattern: "a*").split("abaabaccadaaae", limit: 5) == ["", "b", "b", "c", "cadaaae"])
        let z = try RegexProgram(pattern: "z+")
        #expect(z.split("pizza", limit: -1) == ["pi", "a"])
        #expect(z.split("pizza", limit: 0) == [])
        #expect(z.split("pizza", limit: 1) == ["pizza"])
        #expect(z.split("pizza", limit: 2) == ["pi", "a"])
        #expect(z.split("", limit: -1) == [""])
        #expect(try RegexProgram(pattern: "a").split("banana", limit: -1) == ["b", "n", "n", ""])
        #expect(try RegexProgram(pattern: "").split("", limit: -1) == [])
    }

    @Test func invalidGroupNames() {
        for (pattern, message) in [
            ("(?P<a-b>x)", "error parsing regexp: invalid named capture: `(?P<a-b>`"),
            ("(?P<>x)", "error parsing regexp: invalid named capture: `(?P<>`"),
        ] {
            #expect(throws: RegexError(message: message)) { try RegexProgram(pattern: pattern) }
        }
    }

    @Test func nestedQuantifiersStayLinear() throws {
        let input = String(repeating: "a", count: 10_000) + "b"
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let re = try RegexProgram(pattern: "(a+)+$")
            #expect(re.submatch(in: input) == nil)
            #expect(re.replaceAll(input, with: "$1") == input)
            #expect(try RegexProgram(pattern: "(a|aa)+c").allSubmatches(in: input).isEmpty)
        }
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }
}
