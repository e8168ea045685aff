import CapstanModel
import Testing

@testable import CapstanTemplate

/// Each sprig function at least once, with results as Go + sprig v3.3.0 produce them (spec §9.6).
@Suite struct SprigFunctionTests {
    static let data = json(#"""
        {"s":"Hello World","n":3,"f":2.5,"neg":-2.5,"list":["b","a","c","a"],"nums":[1,2,3],
         "m":{"a":1,"b":{"c":"deep"}},"empty":"","zero":0,"nil":null,"v":"v1.23.4","pre":"v1.23.0-rc.1",
         "url":"https://user:pw@example.com:8443/a%20b/c?x=1&y=2#frag"}
        """#)

    static let strings: [(String, String)] = [
        (#"{{ hello }}"#, "Hello!"),
        (#"{{ trim "  a b \n" }}|{{ upper "abc" }}|{{ lower "ÀB" }}|{{ title "hello wide-world" }}|{{ untitle "Hello World" }}"#,
         "a b|ABC|àb|Hello Wide-World|hello world"),
        (#"{{ substr 1 3 "abcdef" }}|{{ substr -1 2 "abc" }}|{{ substr 1 99 "abc" }}"#, "bc|ab|bc"),
        (#"{{ substr 10 12 "abc" }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <substr 10 12 "abc">: error calling substr: runtime error: slice bounds out of range [10:3]"#),
        (#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}"#, "abc|ef|ab"),
        (#"{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrevboth 5 10 "1234 5678 9123" }}"#, "he...|hello|...5678..."),
        (#"{{ repeat 3 "ab" }}|{{ "x" | repeat 2 }}"#, "ababab|xx"),
        (#"{{ trimAll "$" "$$5.00$" }}|{{ trimall "-" "-a-" }}|{{ trimPrefix "foo" "foobar" }}|{{ trimSuffix ".yaml" "a.yaml" }}"#, "5.00|a|bar|a"),
        (#"{{ nospace "a b\tc\nd" }}|{{ initials "First Try" }}|{{ swapcase "This Is A.Test" }}"#, "abcd|FT|tHIS iS a.tEST"),
        (#"{{ snakecase "FirstName" }}|{{ snakecase "HTTPServer" }}|{{ kebabcase "NoHTTPS" }}|{{ snakecase "http2xx" }}|{{ kebabcase "Bld4Floor3rd" }}"#,
         "first_name|http_server|no-https|http_2xx|bld4-floor-3rd"),
        (#"{{ camelcase "http_server" }}|{{ camelcase "_complex__case_" }}|{{ camelcase "GOLANG_IS_GREAT" }}|{{ camelcase "some words" }}"#,
         "HttpServer|_Complex_Case_|GolangIsGreat|SomeWords"),
        (#"{{ wrap 5 "Hello World Wide" }}|{{ wrapWith 5 "\t" "Hello World" }}"#, "Hello\nWorld\nWide|Hello\tWorld"),
        (#"{{ contains "ell" .s }} {{ hasPrefix "He" .s }} {{ hasSuffix "x" .s }}"#, "true true false"),
        (#"{{ quote "a\"b" 3 .nil }}|{{ squote "a" 1.5 }}|{{ cat "a" 1 .nil "b" }}"#, #""a\"b" "3"|'a' '1.5'|a 1 b"#),
        (#"{{ indent 2 "a\nb" }}|{{ nindent 2 "x" }}"#, "  a\n  b|\n  x"),
        (#"{{ replace " " "-" "a b c" }}|{{ plural "one" "many" 1 }} {{ plural "one" "many" 2 }}"#, "a-b-c|one many"),
        (#"{{ toString 1.5 }} {{ toString .m }} {{ typeOf (toStrings .nums) }} {{ toStrings (list 1 nil "x") }}"#,
         "1.5 map[a:1 b:map[c:deep]] []string [1 x]"),
        (#"{{ join "," .list }}|{{ .nums | join "-" }}|{{ join "," "single" }}"#, "b,a,c,a|1-2-3|single"),
        (#"{{ split "/" "a/b/c" }}|{{ (split "/" "a/b")._1 }}|{{ splitList "," "x,y" }}|{{ splitn "/" 2 "a/b/c" }}"#,
         "map[_0:a _1:b _2:c]|b|[x y]|map[_0:a _1:b/c]"),
        (#"{{ sortAlpha .list }}|{{ sortAlpha 3 }}"#, "[a a b c]|[3]"),
        (#"{{ sha1sum "abc" }}"#, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (#"{{ sha256sum "abc" }}"#, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (#"{{ sha512sum "" | trunc 16 }}|{{ adler32sum "Wikipedia" }}"#, "cf83e1357eefb8bd|300286872"),
        (#"{{ b64enc "hello" }}|{{ b64dec "aGVsbG8=" }}|{{ b64dec "!" }}|{{ b32enc "hi" }}|{{ b32dec "NBUQ====" }}"#,
         "aGVsbG8=|hello|illegal base64 data at input byte 0|NBUQ====|hi"),
        (#"{{ len (shuffle "abcd") }}"#, "4"),
    ]

    static let numbers: [(String, String)] = [
        (#"{{ add 1 2 .n "4" }} {{ add1 .f }} {{ sub 10 .n }} {{ mul 2 .n 4 }} {{ div 7 2 }} {{ mod 7 .n }}"#, "10 3 7 24 3 1"),
        (#"{{ div 1 0 }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <div 1 0>: error calling div: runtime error: integer divide by zero"#),
        (#"{{ max 1 .n 2 }} {{ biggest 5 9 }} {{ min 4 .neg 7 }} {{ maxf 1 .f }} {{ minf 1 .neg }}"#, "3 9 -2 2.5 -2.5"),
        (#"{{ addf 0.1 0.2 }} {{ add1f .f }} {{ subf 1 0.9 }} {{ mulf 1.1 3 }} {{ divf 1 3 }} {{ divf 2 3 }}"#,
         "0.3 3.5 0.1 3.3 0.3333333333333333 0.6666666666666667"),
        (#"{{ floor .f }} {{ ceil .f }} {{ round 2.346 2 }} {{ round 2.5 0 }} {{ round .neg 0 }} {{ round 1.26 1 0.7 }}"#, "2 3 2.35 3 -3 1.2"),
        (#"{{ int .f }} {{ int64 .neg }} {{ float64 "1e3" }} {{ int "010" }} {{ int "0x1F" }} {{ int "12.7" }} {{ int64 "abc" }} {{ int true }}"#,
         "2 -2 1000 8 31 12 0 1"),
        (#"{{ atoi "010" }} {{ atoi "x" }} {{ toDecimal "0777" }} {{ toDecimal 10 }}"#, "10 0 511 8"),
        (#"{{ until 3 }} {{ until -2 }} {{ untilStep 1 10 3 }} {{ seq 3 }} {{ seq 2 5 }} {{ seq 5 -1 2 }}"#, "[0 1 2] [0 -1] [1 4 7] 1 2 3 2 3 4 5 5 4 3 2"),
        (#"{{ $r := randInt 1 3 }}{{ or (eq $r 1) (eq $r 2) }}"#, "true"),
        (#"{{ typeOf (add 1 2) }} {{ typeOf (int 1) }} {{ typeOf (addf 1 2) }} {{ typeOf (until 2) }}"#, "int64 int float64 []int"),
    ]

    static let lists: [(String, String)] = [
        (#"{{ list 1 "a" .nil }} {{ tuple }} {{ typeOf (list) }}"#, "[1 a <nil>] [] []interface {}"),
        (#"{{ append .nums 4 }} {{ push .list "z" | len }} {{ prepend .nums 0 }}"#, "[1 2 3 4] 5 [0 1 2 3]"),
        (#"{{ push "abc" 1 }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <push "abc" 1>: error calling push: Cannot push on type string"#),
        (#"{{ mustAppend .m 1 }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <mustAppend .m 1>: error calling mustAppend: Cannot push on type map"#),
        (#"{{ first .list }} {{ last .list }} {{ rest .nums }} {{ initial .nums }} {{ first (list) }} {{ rest (list) | toJson }}"#,
         "b a [2 3] [1 2] <no value> null"),
        (#"{{ first .missing }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <first .missing>: error calling first: runtime error: invalid memory address or nil pointer dereference"#),
        (#"{{ reverse .nums }} {{ uniq .list }} {{ compact (list 1 0 "" "x" .nil false) }} {{ without .list "a" "c" }}"#, "[3 2 1] [b a c] [1 x] [b]"),
        (#"{{ has "a" .list }} {{ has 1 .nums }} {{ has 1.0 .nums }} {{ has 1 .nil }}"#, "true false true false"),
        (#"{{ slice .list 1 3 }} {{ slice .list 2 }} {{ slice .list }} {{ slice (list) }}"#, "[a c] [c a] [b a c a] <no value>"),
        (#"{{ slice "abc" 1 }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <slice "abc" 1>: error calling slice: list should be type of slice or array but string"#),
        (#"{{ concat .nums (list 4 5) .list }} {{ chunk 2 .nums }} {{ typeOf (chunk 2 .nums) }}"#, "[1 2 3 4 5 b a c a] [[1 2] [3]] [][]interface {}"),
        (#"{{ mustFirst .list }} {{ mustLast .nums }} {{ mustRest .nums }} {{ mustInitial .nums }} {{ mustReverse .nums }} {{ mustUniq .list }} {{ mustCompact (list 0 1) }} {{ mustWithout .nums 2.0 }} {{ mustHas "c" .list }} {{ mustSlice .nums 1 }} {{ mustChunk 3 .nums }} {{ mustPush .nums 9 }} {{ mustPrepend .nums 0 }}"#,
         "b 3 [2 3] [1 2] [3 2 1] [b a c] [1] [1 3] true [2 3] [[1 2 3]] [1 2 3 9] [0 1 2 3]"),
    ]

    static let dicts: [(String, String)] = [
        (#"{{ dict "a" 1 "b" "x" 3 }}"#, "map[3: a:1 b:x]"),
        (#"{{ $d := dict "a" 1 }}{{ get $d "a" }}|{{ get $d "zz" }}|{{ $_ := set $d "b" 2 }}{{ $d }}|{{ unset $d "a" }}|{{ hasKey $d "b" }}"#,
         "1||map[a:1 b:2]|map[b:2]|true"),
        (#"{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ keys (dict "z" 1 "a" 2) (dict "m" 3) }} {{ values (dict "z" 1 "a" 2) }}"#, "[1 3] [a z m] [2 1]"),
        (#"{{ pick .m "a" "zz" }} {{ omit .m "b" }}"#, "map[a:1] map[a:1]"),
        (#"{{ $d := dict "a" 1 "n" (dict "x" 1) }}{{ merge $d (dict "a" 2 "b" 3 "n" (dict "x" 9 "y" 2)) }}"#, "map[a:1 b:3 n:map[x:1 y:2]]"),
        (#"{{ $d := dict "a" 1 "e" "" }}{{ mergeOverwrite $d (dict "a" 2 "e" "set") }} {{ $d }}"#, "map[a:2 e:set] map[a:2 e:set]"),
        (#"{{ mustMerge (dict "a" 0) (dict "a" 5) }} {{ mustMergeOverwrite (dict "l" (list 1)) (dict "l" (list 2 3)) }}"#, "map[a:5] map[l:[2 3]]"),
        (#"{{ $c := deepCopy .m }}{{ $_ := set $c.b "c" "changed" }}{{ .m.b.c }} {{ $c.b.c }} {{ mustDeepCopy .nums }}"#, "deep changed [1 2 3]"),
        (#"{{ dig "b" "c" "dflt" .m }} {{ dig "b" "zz" "dflt" .m }} {{ dig "x" "y" "dflt" .m }}"#, "deep dflt dflt"),
        (#"{{ dig "a" "x" "d" .m }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <dig "a" "x" "d" .m>: error calling dig: interface conversion: interface {} is float64, not map[string]interface {}"#),
        (#"{{ get .list "a" }}"#, #"ERROR: template: tpl:1:7: executing "tpl" at <.list>: wrong type for value; expected map[string]interface {}; got []interface {}"#),
    ]

    static let defaults: [(String, String)] = [
        (#"{{ default "x" .missing }} {{ default "x" .empty }} {{ default "x" .zero }} {{ default "x" .s }} {{ .nil | default "d" }} {{ default "x" false }}"#, "x x x Hello World d x"),
        (#"{{ empty .missing }} {{ empty .zero }} {{ empty .list }} {{ empty (dict) }} {{ empty "a" }}"#, "true true false true false"),
        (#"{{ coalesce .missing .empty 0 "first" "second" }} {{ coalesce .nil }}"#, "first <no value>"),
        (#"{{ all 1 "a" .list }} {{ all 1 "" }} {{ any 0 "" .s }} {{ any 0 .nil }}"#, "true false true false"),
        (#"{{ ternary "yes" "no" true }} {{ ternary "yes" "no" (eq .n 3.0) }} {{ false | ternary 1 2 }}"#, "yes yes 2"),
        (#"{{ toJson .m }}|{{ toJson (list "<a>" 1.5 .nil) }}|{{ toRawJson (dict "h" "<b>&") }}|{{ toJson .big }}"#,
         #"{"a":1,"b":{"c":"deep"}}|["\u003ca\u003e",1.5,null]|{"h":"<b>&"}|null"#),
        (#"{{ toPrettyJson (dict "a" (list 1 2) "b" (dict)) }}"#, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}"),
        (#"{{ mustToJson .nums }} {{ mustToRawJson "é\n" }} {{ mustToPrettyJson 1 }}"#, #"[1,2,3] "é\n" 1"#),
        (#"{{ (fromJson "{\"a\":[1,2]}").a }} {{ fromJson "bad" }} {{ typeOf (fromJson "7") }} {{ mustFromJson "[true]" }}"#, "[1 2] <no value> float64 [true]"),
        (#"{{ mustFromJson "{" }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <mustFromJson "{">: error calling mustFromJson: unexpected end of JSON input"#),
        (#"{{ typeOf .m }} {{ typeOf .n }} {{ typeOf .list }} {{ typeOf .nil }} {{ kindOf .m }} {{ kindOf .list }} {{ kindOf "x" }} {{ kindIs "float64" .n }} {{ typeIs "string" .s }} {{ typeIsLike "semver.Version" (semver "1.0.0") }}"#,
         "map[string]interface {} float64 []interface {} <nil> map slice string true true true"),
        (#"{{ deepEqual .nums (list 1.0 2.0 3.0) }} {{ deepEqual .nums (list 1 2 3) }} {{ deepEqual (dict "a" 1) (dict "a" 1) }}"#, "true false true"),
        (#"{{ if .s }}{{ fail "stop here" }}{{ end }}"#, #"ERROR: template: tpl:1:14: executing "tpl" at <fail "stop here">: error calling fail: stop here"#),
    ]

    static let regexps: [(String, String)] = [
        (#"{{ regexMatch "^[a-z]+\\d$" "abc1" }} {{ regexMatch "(" "x" }} {{ regexMatch "b" "abc" }}"#, "true false true"),
        (#"{{ regexFind "[0-9]+" "ab12cd345" }}|{{ regexFindAll "[0-9]+" "ab12cd345e6" -1 }}|{{ regexFindAll "[0-9]+" "a1b2c3" 2 }}|{{ regexFindAll "x" "abc" -1 }}"#,
         "12|[12 345 6]|[1 2]|[]"),
        (#"{{ regexFindAll "a*" "baaac" -1 }}"#, "[ aaa ]"),
        (#"{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}"#,
         "-W-xxW-|---|-${1}-${1}-"),
        (#"{{ regexReplaceAll "(?P<first>\\w+) (?P<last>\\w+)" "John Smith" "$last, $first" }}|{{ regexReplaceAll "o" "foo" "$$" }}"#, "Smith, John|f$$"),
        (#"{{ regexSplit "z+" "pizza" -1 }}|{{ regexSplit "z+" "pizza" 1 }}|{{ regexSplit "," "a,b,c" 2 }}|{{ regexSplit "x" "" -1 | len }}"#,
         "[pi a]|[pizza]|[a b,c]|1"),
        (#"{{ regexQuoteMeta "1.2+[x]" }}"#, #"1\.2\+\[x\]"#),
        (#"{{ regexMatch "a$" "a\n" }} {{ regexMatch "(?m)a$" "a\nb" }}"#, "false true"),
        (#"{{ mustRegexMatch "^v" .v }} {{ mustRegexFind "\\d+" .v }} {{ mustRegexFindAll "\\d+" .v -1 }} {{ mustRegexReplaceAll "\\." .v "_" }} {{ mustRegexReplaceAllLiteral "v" .v "$1" }} {{ mustRegexSplit "\\." .v -1 }}"#,
         "true 1 [1 23 4] v1_23_4 $11.23.4 [v1 23 4]"),
    ]

    static let versions: [(String, String)] = [
        (#"{{ semver .v }} {{ (semver .v).Major }} {{ (semver .v).Minor }} {{ (semver .v).Patch }} {{ (semver .pre).Prerelease }} {{ (semver "1.2.3+build.5").Metadata }} {{ (semver .v).Original }}"#,
         "1.23.4 1 23 4 rc.1 build.5 v1.23.4"),
        (#"{{ semverCompare "^1.22.0" .v }} {{ semverCompare ">= 1.31" .v }} {{ semverCompare "~1.23" .v }} {{ semverCompare "1.23.4" .v }} {{ semverCompare ">=1.20, <1.24" .v }} {{ semverCompare "<1.0 || >=1.23" .v }}"#,
         "true false true true true true"),
        (#"{{ semverCompare ">=1.22.0" .pre }} {{ semverCompare ">=1.22.0-0" .pre }} {{ semverCompare "1.20 - 1.23" "1.22.7" }} {{ semverCompare "1.x" "1.9.0" }} {{ semverCompare "!=1.2.3" "1.2.4" }}"#,
         "false true true true true"),
        (#"{{ semverCompare ">= 1.2" "not-a-version" }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <semverCompare ">= 1.2" "not-a-version">: error calling semverCompare: invalid semantic version"#),
        (#"{{ semverCompare "~~1" "1.0.0" }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <semverCompare "~~1" "1.0.0">: error calling semverCompare: improper constraint: ~~1"#),
        (#"{{ eq (semver "1.2.3").Major 1 }} {{ (semver "1.2.3").LessThan (semver "1.3.0") }} {{ ((semver "1.2.3").IncMinor).String }}"#, "true true 1.3.0"),
    ]

    static let pathsAndURLs: [(String, String)] = [
        (#"{{ base "/a/b.tar.gz" }} {{ dir "/a/b/c" }} {{ clean "a//b/../c/." }} {{ ext "x/y.yaml" }} {{ isAbs "/x" }} {{ isAbs "x" }} {{ base "" }} {{ dir "file" }}"#,
         "b.tar.gz /a/b a/c .yaml true false . ."),
        (#"{{ osBase "/a/b/" }} {{ osDir "a/b" }} {{ osClean "/../x" }} {{ osExt "f.txt" }} {{ osIsAbs "rel" }}"#, "b a /x .txt false"),
        (#"{{ $u := urlParse .url }}{{ $u.scheme }}|{{ $u.host }}|{{ $u.hostname }}|{{ $u.path }}|{{ $u.query }}|{{ $u.fragment }}|{{ $u.userinfo }}"#,
         "https|example.com:8443|example.com|/a b/c|x=1&y=2|frag|user:pw"),
        (#"{{ urlJoin (dict "scheme" "https" "host" "h.io" "path" "/a b" "query" "q=1" "fragment" "f") }}|{{ urlJoin (urlParse "mailto:x@y.z") }}"#,
         "https://h.io/a%20b?q=1#f|mailto:x@y.z"),
    ]

    static let misc: [(String, String)] = [
        (#"{{ duration 95 }}|{{ duration "3600" }}|{{ duration .n }}|{{ durationRound "2h10m" }}|{{ durationRound "400000h" }}|{{ durationRound (int64 1500000000) }}"#,
         "0s|1h0m0s|0s|2h|45y|1s"),
        (#"{{ duration (int64 3725) }}"#, "1h2m5s"),
        (#"{{ genCA "x" 365 }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <genCA "x" 365>: error calling genCA: not supported by Capstan"#),
        (#"{{ derivePassword 1 "long" "pw" "user" "site" }}"#, #"ERROR: template: tpl:1:3: executing "tpl" at <derivePassword 1 "long" "pw" "user" "site">: error calling derivePassword: not supported by Capstan"#),
        (#"{{ uuidv4 }}"#, #"ERROR: template: tpl:1: function "uuidv4" not defined"#),
        (#"{{ env "HOME" }}"#, #"ERROR: template: tpl:1: function "env" not defined"#),
        (#"{{ now }}"#, #"ERROR: template: tpl:1: function "now" not defined"#),
    ]

    static let allCases: [(String, String)] = {
        var all: [(String, String)] = strings
        all += numbers
        all += lists
        all += dicts
        all += defaults
        all += regexps
        all += versions
        all += pathsAndURLs
        all += misc
        return all
    }()

    @Test(arguments: allCases)
    func sprig(_ c: (String, String)) {
        #expect(render(c.0, Self.data) == c.1)
    }

    /// Every name of sprig's hermetic map is defined, and the non-hermetic ones are not.
    @Test func catalogue() {
        let names = Set(Sprig.all.map(\.name))
        #expect(names.count == 194)
        #expect(Sprig.all.count == 194)
        for excluded in ["date", "date_in_zone", "date_modify", "now", "htmlDate", "htmlDateInZone", "dateInZone", "dateModify",
                         "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randBytes", "uuidv4", "env", "expandenv", "getHostByName"] {
            #expect(!names.contains(excluded))
        }
    }
}
