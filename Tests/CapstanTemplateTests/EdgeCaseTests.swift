import CapstanModel
import Testing

@testable import CapstanTemplate

/// Less common paths: chains on function results, pipelines into and/or, argument-count errors, and the
/// limits Capstan adds so a hostile template fails instead of exhausting the machine.
@Suite struct EdgeCaseTests {
    static let cases: [(String, String, String)] = [
        ("{{ (index .l 0).name }}", #"{"l":[{"name":"n0"}]}"#, "n0"),
        ("{{ .a | and .b }}|{{ .a | or .b }}", #"{"a":"A","b":"B"}"#, "A|B"),
        ("{{ $x := list }}{{ $x = append $x 1 }}{{ $x = append $x 2 }}{{ $x }}", "{}", "[1 2]"),
        ("{{ range $i, $s := splitList \",\" \"a,b\" }}{{ $i }}{{ $s }}{{ end }}", "{}", "0a1b"),
        ("{{ if\n  .a\n}}multi-line action{{ end }}", #"{"a":true}"#, "multi-line action"),
        (#"{{ define "r" }}{{ if gt . 0 }}{{ . }}{{ template "r" (sub . 1) }}{{ end }}{{ end }}{{ template "r" 3 }}"#, "{}", "321"),
        ("{{ printf }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <printf>: wrong number of args for printf: want at least 1 got 0"#),
        ("{{ not }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <not>: wrong number of args for not: want 1 got 0"#),
        ("{{ 3 | len }}", "{}", #"ERROR: template: tpl:1:7: executing "tpl" at <len>: error calling len: len of type int"#),
        ("{{ .a 1 }}", #"{"a":{"b":1}}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <.a>: a is not a method but has arguments"#),
        ("{{ $x := 1 }}{{ $x 2 }}", "{}", #"ERROR: template: tpl:1:16: executing "tpl" at <$x>: can't give argument to non-function $x"#),
        ("{{ call .f }}", #"{"f":1}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <call .f>: error calling call: non-function .f of type float64"#),
        ("{{ index .m 1 }}", #"{"m":{"a":1}}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <index .m 1>: error calling index: value has type int; should be string"#),
        ("{{ index .s 1 }} {{ typeOf (index .s 1) }}", #"{"s":"abc"}"#, "98 uint8"),
        ("{{ eq .l .l }}", #"{"l":[1]}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <eq .l .l>: error calling eq: non-comparable type [%!s(float64=1)]: []interface {}"#),
        ("{{ lt true false }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <lt true false>: error calling lt: invalid type for comparison"#),
        ("{{ repeat 100000000 \"abcdefgh\" }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <repeat 100000000 "abcdefgh">: error calling repeat: strings: Repeat result exceeds 16777216 bytes (Capstan's value size limit)"#),
        ("{{ until 100000000000 | len }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <until 100000000000>: error calling until: more than 1000000 elements (Capstan's list size limit)"#),
        // Go's int addition wraps, so the end bound becomes negative and the sequence is empty.
        ("{{ seq 9223372036854775807 | len }}", "{}", "0"),
        ("{{ seq 1 100000000000 | len }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <seq 1 100000000000>: error calling seq: more than 1000000 elements (Capstan's list size limit)"#),
        ("{{ randInt -9223372036854775807 9223372036854775807 }}", "{}", #"ERROR: template: tpl:1:3: executing "tpl" at <randInt -9223372036854775807 9223372036854775807>: error calling randInt: invalid argument to Intn"#),
        (#"{{ printf "%*d" 100000000 1 }}"#, "{}", "%!(BADWIDTH)1"),
    ]

    @Test(arguments: cases)
    func edge(_ c: (String, String, String)) {
        #expect(render(c.0, json(c.1)) == c.2)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let parens = String(repeating: "(", count: 2000) + "1" + String(repeating: ")", count: 2000)
        #expect(render("{{ \(parens) }}") == "ERROR: template: tpl:1: max expression depth exceeded")
        let ifs = String(repeating: "{{ if true }}", count: 2000) + String(repeating: "{{ end }}", count: 2000)
        #expect(render(ifs).hasPrefix("ERROR: template: tpl:1: max nesting depth of 500 control structures exceeded"))
    }
}
