import CapstanModel
import CapstanYAML
import Testing

/// Emitter layout and quoting: quotes exactly where a plain scalar would change type or fail to re-read.
@Suite struct EmitterTests {
    @Test(arguments: [
        ("yes", "\"yes\""), ("No", "\"No\""), ("on", "\"on\""), ("y", "\"y\""), ("true", "\"true\""),
        ("1.20", "\"1.20\""), ("012", "\"012\""), ("0x1F", "\"0x1F\""), ("1_000", "\"1_000\""), ("+1", "\"+1\""),
        (".5", "\".5\""), ("1e3", "\"1e3\""), ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""), (".inf", "\".inf\""),
        ("-.inf", "\"-.inf\""), (".nan", "\".nan\""), ("08", "\"08\""), ("0b-101", "\"0b-101\""),
        ("- item", "\"- item\""), ("-", "\"-\""), ("?", "\"?\""), (":", "\":\""), ("a: b", "\"a: b\""), ("a #b", "\"a #b\""),
        ("#c", "\"#c\""), ("&a", "\"&a\""), ("*a", "\"*a\""), ("!t", "\"!t\""), ("|", "\"|\""), (">", "\">\""),
        ("'q'", "\"'q'\""), ("\"d\"", "\"\\\"d\\\"\""), ("%p", "\"%p\""), ("@x", "\"@x\""), ("`x", "\"`x\""),
        ("[a]", "\"[a]\""), ("{a}", "\"{a}\""), (",a", "\",a\""), (" lead", "\" lead\""), ("trail ", "\"trail \""),
        ("end:", "\"end:\""), ("---", "\"---\""), ("--- x", "\"--- x\""), ("...", "\"...\""), ("a\tb", "\"a\\tb\""),
        ("bell\u{7}", "\"bell\\a\""), ("nel\u{85}", "\"nel\\N\""), ("ls\u{2028}", "\"ls\\L\""), ("bom\u{FEFF}", "\"bom\\uFEFF\""),
        ("del\u{7F}", "\"del\\x7F\""), ("c1\u{9B}", "\"c1\\x9B\""), ("back\\slash", "back\\slash"),
        // Plain where it is safe.
        ("hello world", "hello world"), ("v1.2.3", "v1.2.3"), ("2024-01-01", "2024-01-01"), ("--leader-elect", "--leader-elect"),
        ("-x", "-x"), ("::1", "::1"), ("a:b", "a:b"), ("a#b", "a#b"), ("http://x:80/p?q=1#f", "http://x:80/p?q=1#f"),
        ("1:20", "1:20"), ("<<", "<<"), ("it's", "it's"), ("a, b", "a, b"), ("x[0]", "x[0]"), ("ünïcödé ✓", "ünïcödé ✓"),
        ("yes please", "yes please"), ("😀", "😀"), ("nbsp\u{A0}", "nbsp\u{A0}"),
    ])
    func stringValues(_ string: String, _ expected: String) throws {
        let text = YAML.emit(.map(["k": .string(string)]))
        #expect(text == "k: \(expected)\n")
        #expect(try YAML.parseFirst(text, options: .kubernetes) == .map(["k": .string(string)]))
    }

    @Test(arguments: [
        ("8080", "8080"), ("true", "true"), ("1.5", "1.5"), ("yes", "\"yes\""), ("1.0", "\"1.0\""), ("012", "\"012\""),
        ("null", "\"null\""), ("<<", "\"<<\""), ("", "\"\""), ("a b", "a b"), (".inf", ".inf"), (".Inf", "\".Inf\""),
    ])
    func keys(_ key: String, _ expected: String) throws {
        let text = YAML.emit(.map([key: "v"]))
        #expect(text == "\(expected): v\n")
        #expect(try YAML.parseFirst(text, options: .kubernetes) == .map([key: "v"]))
    }

    @Test(arguments: [
        ("a\nb", "|-\n  a\n  b\n"), ("a\nb\n", "|\n  a\n  b\n"), ("a\nb\n\n", "|+\n  a\n  b\n\n"),
        ("a\n\nb\n", "|\n  a\n\n  b\n"), ("\nlead\n", "|\n\n  lead\n"), ("x\n  indented\n", "|\n  x\n    indented\n"),
        ("x\n\tt\n", "|\n  x\n  \tt\n"),
        // Not representable as a literal block: double-quoted instead.
        ("  first\nsecond", "\"  first\\nsecond\""), ("trailing \nspace", "\"trailing \\nspace\""),
        ("cr\r\nlf", "\"cr\\r\\nlf\""), ("\n", "\"\\n\""), ("\n\n", "\"\\n\\n\""), ("\tt\nx", "\"\\tt\\nx\""),
        ("end space\nx ", "\"end space\\nx \""),
    ])
    func multiLine(_ string: String, _ expected: String) throws {
        let text = YAML.emit(.map(["k": .string(string)]))
        #expect(text == "k: \(expected)" + (expected.hasPrefix("|") ? "" : "\n"))
        #expect(try YAML.parseFirst(text, options: .kubernetes) == .map(["k": .string(string)]))
    }

    @Test func numbersAndLiterals() throws {
        let value: Value = [
            "i": 42, "neg": -7, "big": .int(Int64.max), "d": 1.5, "tiny": 1e-7, "huge": 1e300, "whole": 3.0,
            "t": true, "f": false, "n": .null, "em": .map([:]), "el": .list([]),
        ]
        #expect(YAML.emit(value) == """
            i: 42
            neg: -7
            big: 9223372036854775807
            d: 1.5
            tiny: 1e-07
            huge: 1e+300
            whole: 3
            t: true
            f: false
            "n": null
            em: {}
            el: []

            """)
        #expect(YAML.emit(.double(.infinity)) == ".inf\n")
        #expect(YAML.emit(.double(-.infinity)) == "-.inf\n")
        #expect(YAML.emit(.double(.nan)) == ".nan\n")
    }

    @Test func layout() throws {
        let value: Value = [
            "apiVersion": "apps/v1",
            "spec": [
                "containers": [
                    ["name": "web", "args": ["--port", "80"], "env": []],
                    ["name": "side", "script": "#!/bin/sh\necho hi\n"],
                ],
                "matrix": [[1, 2], [], [["a": 1]]],
                "empty": [:],
            ],
            "items": ["a", ["b": "c"]],
        ]
        let expected = """
            apiVersion: apps/v1
            spec:
              containers:
              - name: web
                args:
                - --port
                - "80"
                env: []
              - name: side
                script: |
                  #!/bin/sh
                  echo hi
              matrix:
              - - 1
                - 2
              - []
              - - a: 1
              empty: {}
            items:
            - a
            - b: c

            """
        #expect(YAML.emit(value) == expected)
        #expect(try YAML.parseFirst(expected, options: .kubernetes).isIdentical(to: value))
        let indented = YAML.emit(.map(["a": [1, ["b": [2]]]]), options: YAMLEmitOptions(indentSequences: true))
        #expect(indented == "a:\n  - 1\n  - b:\n      - 2\n")
        #expect(try YAML.parseFirst(indented) == .map(["a": [1, ["b": [2]]]]))
    }

    @Test func sortKeysAndStreams() throws {
        let value: Value = ["b": 1, "a": ["z": 1, "m": 2], "C": 3]
        #expect(YAML.emit(value, options: YAMLEmitOptions(sortKeys: true)) == "C: 3\na:\n  m: 2\n  z: 1\nb: 1\n")
        let stream = YAML.emitStream([["a": 1], "text", [1], .null, "multi\nline"])
        #expect(stream == "a: 1\n---\ntext\n---\n- 1\n---\nnull\n---\n|-\n  multi\n  line\n")
        let docs = try YAML.parseStream(stream, file: "s.yaml")
        #expect(docs.map(\.value) == [["a": 1], "text", [1], .null, "multi\nline"])
    }

    @Test func longKeysUseExplicitForm() throws {
        let long = String(repeating: "k", count: 1500)
        let value: Value = .map([long: ["x": 1], "short": [1, 2]])
        let text = YAML.emit(value)
        #expect(text.hasPrefix("? kkk"))
        #expect(try YAML.parseFirst(text, options: .kubernetes) == value)
    }
}
