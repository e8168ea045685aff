import CapstanModel
import Testing

@testable import CapstanTemplate

/// The template language itself: printing, missing keys, control structures, variables, literals and the
/// error texts Go produces (spec §9.4).
@Suite struct TemplateLanguageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var template: String
        var data: String
        var expected: String
        var testDescription: String { template }
        init(_ template: String, _ data: String = "{}", _ expected: String) {
            self.template = template
            self.data = data
            self.expected = expected
        }
    }

    static let printing: [Case] = [
        Case("{{ .s }}", #"{"s":"text"}"#, "text"),
        Case("{{ .b }} {{ .f }}", #"{"b":true,"f":false}"#, "true false"),
        Case("{{ .n }}", #"{"n":null}"#, "<no value>"),
        Case("{{ .missing }}", "{}", "<no value>"),
        Case("{{ .missing.deeper }}", "{}", "<no value>"),
        Case("{{ .m }}", #"{"m":{"b":2,"a":"x","c":[1,"y"]}}"#, "map[a:x b:2 c:[1 y]]"),
        Case("{{ .l }}", #"{"l":["a","b","c"]}"#, "[a b c]"),
        Case("{{ .l }}", #"{"l":[null,1.5,{"k":null}]}"#, "[<nil> 1.5 map[k:<nil>]]"),
        Case("{{ . }}", #"{"a":1}"#, "map[a:1]"),
        Case("{{ 3 }} {{ 3.0 }} {{ 1e3 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 'a' }}", "{}", "3 3 1000 31 15 5 1000 97"),
        Case(#"{{ "a\tb\u00e9\x41" }} {{ `raw\n` }}"#, "{}", "a\tbéA raw\\n"),
        Case("{{ true }} {{ false }}", "{}", "true false"),
    ]

    /// Go `strconv.FormatFloat(v, 'g', -1, 64)` samples from spec §9.4.
    static let floats: [Case] = [
        Case("{{ .v }}", #"{"v":3}"#, "3"),
        Case("{{ .v }}", #"{"v":2.5}"#, "2.5"),
        Case("{{ .v }}", #"{"v":100000}"#, "100000"),
        Case("{{ .v }}", #"{"v":999999}"#, "999999"),
        Case("{{ .v }}", #"{"v":1000000}"#, "1e+06"),
        Case("{{ .v }}", #"{"v":1234567}"#, "1.234567e+06"),
        Case("{{ .v }}", #"{"v":123456.7}"#, "123456.7"),
        Case("{{ .v }}", #"{"v":0.0001}"#, "0.0001"),
        Case("{{ .v }}", #"{"v":0.00001}"#, "1e-05"),
        Case("{{ .v }}", #"{"v":12345678901234567890}"#, "1.2345678901234567e+19"),
        Case("name-{{ .size }}", #"{"size":1000000}"#, "name-1e+06"),
        Case("name-{{ .size | int64 }}", #"{"size":1000000}"#, "name-1000000"),
        Case("{{ .v }}", #"{"v":-0.5}"#, "-0.5"),
    ]

    static let control: [Case] = [
        Case("{{ if .a }}yes{{ else }}no{{ end }}", #"{"a":1}"#, "yes"),
        Case("{{ if .a }}yes{{ else }}no{{ end }}", #"{"a":0}"#, "no"),
        Case("{{ if .missing }}yes{{ else }}no{{ end }}", "{}", "no"),
        Case(#"{{ if .s }}yes{{ else }}no{{ end }}"#, #"{"s":""}"#, "no"),
        Case("{{ if .l }}yes{{ else }}no{{ end }}", #"{"l":[]}"#, "no"),
        Case("{{ if .m }}yes{{ else }}no{{ end }}", #"{"m":{}}"#, "no"),
        Case("{{ if eq .x 1.0 }}one{{ else if eq .x 2.0 }}two{{ else }}many{{ end }}", #"{"x":2}"#, "two"),
        Case("{{ with .a }}[{{ .b }}]{{ else }}none{{ end }}", #"{"a":{"b":"c"}}"#, "[c]"),
        Case("{{ with .a }}x{{ else with .b }}{{ . }}{{ else }}none{{ end }}", #"{"b":"B"}"#, "B"),
        Case("{{ with .a }}x{{ else with .b }}{{ . }}{{ else }}none{{ end }}", "{}", "none"),
        Case("{{ range .l }}<{{ . }}>{{ end }}", #"{"l":["a","b"]}"#, "<a><b>"),
        Case("{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}", #"{"l":["a","b"]}"#, "0=a;1=b;"),
        Case("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", #"{"m":{"z":1,"a":2,"m":3}}"#, "a=2;m=3;z=1;"),
        Case("{{ range .l }}x{{ else }}empty{{ end }}", #"{"l":[]}"#, "empty"),
        Case("{{ range .missing }}x{{ else }}empty{{ end }}", "{}", "empty"),
        Case("{{ range 3 }}{{ . }}{{ end }}", "{}", "012"),
        Case("{{ range $i := int .n }}{{ $i }}{{ end }}", #"{"n":2}"#, "01"),
        Case("{{ range len .l }}{{ . }}{{ end }}", #"{"l":["a","b"]}"#, "01"),
        Case("{{ range .l }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ if eq . 4.0 }}{{ break }}{{ end }}{{ . }}{{ end }}", #"{"l":[1,2,3,4,5]}"#, "13"),
        Case("{{ range $x := .l }}{{ range $x }}{{ . }}{{ break }}{{ end }};{{ end }}", #"{"l":[[1,2],[3]]}"#, "1;3;"),
        Case("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "{}", "2"),
        Case("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}", "{}", "21"),
        Case("{{ $ := . }}{{ range .l }}{{ $.p }}{{ . }} {{ end }}", #"{"p":"-","l":["a","b"]}"#, "-a -b "),
        Case(#"{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" .v }}{{ template "x" }}"#, #"{"v":"V"}"#, "[V][<no value>]"),
        Case(#"{{ block "b" .v }}<{{ . }}>{{ end }}"#, #"{"v":1}"#, "<1>"),
        Case("a {{- /* comment */ -}} b", "{}", "ab"),
        Case("a  \n {{- 1 -}} \n\t b", "{}", "a1b"),
        Case("{{- 3 }}", "{}", "3"),
        Case("{{ -3 }}", "{}", "-3"),
        Case("x{{/* c */}}y", "{}", "xy"),
        Case("{{ (.a).b }}", #"{"a":{"b":"c"}}"#, "c"),
        Case("{{ $m := .a }}{{ $m.b }}", #"{"a":{"b":"c"}}"#, "c"),
        Case("{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 \"\" 3 }} {{ or 0 false }}", "{}", "0 2 3 false"),
        Case("{{ and .missing .missing.x }}", "{}", "<no value>"),
        Case("{{ not 0 }} {{ not .a }}", #"{"a":"x"}"#, "true false"),
        Case("{{ len .l }} {{ len .m }} {{ len .s }}", #"{"l":[1,2],"m":{"a":1},"s":"héllo"}"#, "2 1 6"),
        Case("{{ index .l 1 }} {{ index .m \"k\" }} {{ index .m \"missing\" }} {{ index .n 0 1 }}", #"{"l":["a","b"],"m":{"k":"v"},"n":[[1,2]]}"#, "b v <no value> 2"),
        Case(#"{{ print 1 2 "a" "b" 3 }}|{{ println "x" 1 }}|{{ print nil }}"#, "{}", "1 2ab3|x 1\n|<nil>"),
        Case(#"{{ html "<a href='x'>&\"" }} {{ js "it's <b>=\\" }} {{ urlquery "a b&c/é" }}"#, "{}", #"&lt;a href=&#39;x&#39;&gt;&amp;&#34; it\'s \u003Cb\u003E\u003D\\ a+b%26c%2F%C3%A9"#),
        Case("{{ html .missing }}", "{}", "&lt;no value&gt;"),
        Case("{{ eq 3.0 .x }} {{ eq .s \"a\" \"b\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt .x 2.5 }} {{ ge \"b\" \"a\" }}", #"{"x":3,"s":"b"}"#, "true true true true true true true"),
        Case("{{ eq .missing nil }} {{ eq .n .missing }}", #"{"n":null}"#, "true true"),
        Case("{{ eq (int .x) 3 }} {{ eq (int64 .x) 3 }}", #"{"x":3}"#, "true true"),
        Case("{{ .a | printf \"%s-%s\" \"x\" }}", #"{"a":"y"}"#, "x-y"),
    ]

    @Test(arguments: printing + floats + control)
    func renders(_ c: Case) {
        #expect(render(c.template, json(c.data)) == c.expected)
    }

    static let errors: [Case] = [
        Case("{{ range .n }}x{{ end }}", #"{"n":3}"#, #"template: tpl:1:9: executing "tpl" at <.n>: range can't iterate over 3"#),
        Case("{{ eq 3 .x }}", #"{"x":3}"#, #"template: tpl:1:3: executing "tpl" at <eq 3 .x>: error calling eq: incompatible types for comparison: int and float64"#),
        Case("{{ lt .s 1 }}", #"{"s":"a"}"#, #"template: tpl:1:3: executing "tpl" at <lt .s 1>: error calling lt: incompatible types for comparison: string and int"#),
        Case("{{ .nullKey.deeper }}", #"{"nullKey":null}"#, #"template: tpl:1:11: executing "tpl" at <.nullKey.deeper>: nil pointer evaluating interface {}.deeper"#),
        Case("{{ .s.x }}", #"{"s":"str"}"#, #"template: tpl:1:5: executing "tpl" at <.s.x>: can't evaluate field x in type interface {}"#),
        Case("{{ $s := .s }}{{ $s.x }}", #"{"s":"str"}"#, #"template: tpl:1:19: executing "tpl" at <$s.x>: can't evaluate field x in type string"#),
        Case("{{ len .missing }}", "{}", #"template: tpl:1:3: executing "tpl" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value"#),
        Case("{{ len .n }}", #"{"n":null}"#, #"template: tpl:1:3: executing "tpl" at <len .n>: error calling len: len of nil pointer"#),
        Case("{{ len 3 }}", "{}", #"template: tpl:1:3: executing "tpl" at <len 3>: error calling len: len of type int"#),
        Case("{{ index .l 5 }}", #"{"l":[1]}"#, #"template: tpl:1:3: executing "tpl" at <index .l 5>: error calling index: index out of range: 5"#),
        Case("{{ upper .missing }}", "{}", #"template: tpl:1:9: executing "tpl" at <.missing>: invalid value; expected string"#),
        Case("{{ upper .n }}", #"{"n":null}"#, #"template: tpl:1:9: executing "tpl" at <.n>: wrong type for value; expected string; got interface {}"#),
        Case("{{ repeat .n \"a\" }}", #"{"n":2}"#, #"template: tpl:1:10: executing "tpl" at <.n>: wrong type for value; expected int; got float64"#),
        Case("{{ repeat 1.5 \"a\" }}", "{}", #"template: tpl:1:10: executing "tpl" at <1.5>: expected integer; found 1.5"#),
        Case("{{ upper 3 }}", "{}", #"template: tpl:1:9: executing "tpl" at <3>: expected string; found 3"#),
        Case("{{ upper }}", "{}", #"template: tpl:1:3: executing "tpl" at <upper>: wrong number of args for upper: want 1 got 0"#),
        Case("{{ .s 1 }}", #"{"s":"x"}"#, #"template: tpl:1:3: executing "tpl" at <.s>: s is not a method but has arguments"#),
        Case("{{ nil }}", "{}", #"template: tpl:1:3: executing "tpl" at <nil>: nil is not a command"#),
        Case("{{ template \"nope\" }}", "{}", #"template: tpl:1:12: executing "tpl" at <{{template "nope"}}>: template "nope" not defined"#),
        Case("{{ range $i, $v := 3 }}{{ end }}", "{}", #"template: tpl:1:19: executing "tpl" at <3>: can't use 3 to iterate over more than one variable"#),
        Case("{{ fail \"boom\" }}", "{}", #"template: tpl:1:3: executing "tpl" at <fail "boom">: error calling fail: boom"#),
        Case("line1\n  {{ .a.b }}", #"{"a":"x"}"#, #"template: tpl:2:7: executing "tpl" at <.a.b>: can't evaluate field b in type interface {}"#),
    ]

    static let parseErrors: [Case] = [
        Case("{{ now }}", "{}", #"template: tpl:1: function "now" not defined"#),
        Case("{{ .x }", "{}", #"template: tpl:1: unexpected "}" in operand"#),
        Case("{{ if .x }}", "{}", "template: tpl:1: unexpected EOF"),
        Case("{{ end }}", "{}", "template: tpl:1: unexpected {{end}}"),
        Case("{{ else }}", "{}", "template: tpl:1: unexpected {{else}}"),
        Case("{{ $x }}", "{}", #"template: tpl:1: undefined variable "$x""#),
        Case("{{ break }}", "{}", "template: tpl:1: {{break}} outside {{range}}"),
        Case("{{ 1 | 2 }}", "{}", "template: tpl:1: non executable command in pipeline stage 2"),
        Case("{{ }}", "{}", "template: tpl:1: missing value for command"),
        Case("{{ \"abc }}", "{}", "template: tpl:1: unterminated quoted string"),
        Case("a\n{{ .x", "{}", "template: tpl:2: unclosed action"),
        Case("{{ 3.x }}", "{}", #"template: tpl:1: bad number syntax: "3.x""#),
        Case("{{ .a.b.\"c\" }}", "{}", #"template: tpl:1: bad character U+0022 '"'"#),
        Case("{{ true.x }}", "{}", #"template: tpl:1: unexpected . after term "true""#),
        Case("{{ 99999999999999999999 }}", "{}", #"template: tpl:1: integer overflow: "99999999999999999999""#),
        Case("{{/* x", "{}", "template: tpl:1: unclosed comment"),
        Case("{{ range $a, $b, $c := . }}{{ end }}", "{}", "template: tpl:1: too many declarations in range"),
    ]

    @Test(arguments: errors + parseErrors)
    func failsLikeGo(_ c: Case) {
        #expect(render(c.template, json(c.data)) == "ERROR: " + c.expected)
    }

    @Test func errorKinds() throws {
        #expect(throws: TemplateError(kind: .parse, message: #"template: tpl:1: function "now" not defined"#)) {
            _ = try GoTemplate("{{ now }}")
        }
        let t = try GoTemplate("{{ fail \"x\" }}")
        #expect(throws: TemplateError(kind: .execute, message: #"template: tpl:1:3: executing "tpl" at <fail "x">: error calling fail: x"#)) {
            _ = try t.execute(json: .map(ObjectMap()))
        }
    }

    /// Naming templates: Go builtins only, `missingkey=error`.
    @Test func namingTemplates() {
        let data = json(#"{"cluster":{"name":"c1"},"random":"abcde"}"#)
        #expect(render("{{ .cluster.name }}-{{ .random }}", data, functions: .goBuiltins, missingKey: .error) == "c1-abcde")
        #expect(render(#"{{ printf "%s-md" .cluster.name }}"#, data, functions: .goBuiltins, missingKey: .error) == "c1-md")
        #expect(render("{{ .cluster.name | upper }}", data, functions: .goBuiltins, missingKey: .error) == #"ERROR: template: tpl:1: function "upper" not defined"#)
        #expect(render("{{ .machineDeployment.topologyName }}", data, functions: .goBuiltins, missingKey: .error)
            == #"ERROR: template: tpl:1:21: executing "tpl" at <.machineDeployment.topologyName>: map has no entry for key "machineDeployment""#)
        #expect(render("{{ slice .random 1 3 }}", data, functions: .goBuiltins) == "bc")
    }

    /// A parsed template is reusable and each execution sees fresh data.
    @Test func reusable() throws {
        let t = try GoTemplate(#"{{ $_ := set . "n" 1 }}{{ len . }}"#)
        #expect(try t.execute(json: json(#"{"a":1}"#)) == "2")
        #expect(try t.execute(json: json(#"{"a":1}"#)) == "2")
    }
}
