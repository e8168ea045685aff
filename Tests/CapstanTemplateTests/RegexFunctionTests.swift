import CapstanModel
import Testing

@testable import CapstanTemplate

/// sprig's regex functions on the linear-time RE2 engine: Go semantics where Swift's `Regex` differed.
@Suite struct RegexFunctionTests {
    @Test(arguments: [
        // RE2 syntax Swift's Regex accepted but Go rejects: look-around and back-references.
        (#"{{ regexMatch "a(?=b)" "ab" }}"#, "false"),
        (#"{{ mustRegexMatch "(a)\\1" "aa" }}"#,
         #"ERROR: template: tpl:1:3: executing "tpl" at <mustRegexMatch "(a)\\1" "aa">: error calling mustRegexMatch: error parsing regexp: invalid escape sequence: `\1`"#),
        (#"{{ regexFind "(" "x" }}"#,
         #"ERROR: template: tpl:1:3: executing "tpl" at <regexFind "(" "x">: error calling regexFind: regexp: Compile("("): error parsing regexp: missing closing ): `(`"#),
        // Leftmost-first alternation, `$` only at the end of text, Unicode classes, case folding.
        (#"{{ regexFind "a|ab" "ab" }}|{{ regexFind "\\pL+" "12héllo!" }}|{{ regexFind "(?i)straße" "STRAßE" }}"#, "a|héllo|STRAßE"),
        (#"{{ regexFindAll "[[:upper:]]\\w*" "Ada and Grace met Alan" 2 }}|{{ regexFindAll "x*" "ab" -1 | len }}"#, "[Ada Grace]|3"),
        // Expansion rules of Regexp.Expand.
        (#"{{ regexReplaceAll "(\\w+)@(\\w+)" "me@host" "$2.${1}x.$1x.$$1" }}"#, "host.mex..$1"),
        (#"{{ regexReplaceAll "a*" "baaab" "X" }}|{{ regexReplaceAllLiteral "a*" "baaab" "$0" }}"#, "XbXbX|$0b$0b$0"),
        (#"{{ regexSplit "a*" "abaabaccadaaae" 5 }}|{{ regexSplit "z+" "pizza" 0 | len }}|{{ regexSplit "" "abc" -1 }}"#,
         "[ b b c cadaaae]|0|[a b c]"),
        (#"{{ mustRegexSplit "[" "x" -1 }}"#,
         #"ERROR: template: tpl:1:3: executing "tpl" at <mustRegexSplit "[" "x" -1>: error calling mustRegexSplit: error parsing regexp: missing closing ]: `[`"#),
    ])
    func goSemantics(_ text: String, _ expected: String) {
        #expect(render(text) == expected)
    }

    @Test func pathologicalPatternFinishesFast() {
        let data = json(#"{"s":"\#(String(repeating: "a", count: 10_000))!"}"#)
        let clock = ContinuousClock()
        var out = ""
        let elapsed = clock.measure {
            out = render(#"{{ regexMatch "(a+)+$" .s }} {{ regexFind "(a|aa)+$" .s | len }} {{ regexReplaceAll "(a+)+$" .s "$1" | len }} {{ regexFindAll "(x+x+)+y" .s -1 | len }}"#, data)
        }
        #expect(out == "false 0 10001 0")
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }
}
