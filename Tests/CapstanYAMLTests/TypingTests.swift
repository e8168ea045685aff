import CapstanModel
import CapstanYAML
import Testing

/// The YAML 1.1 typing table (spec §9.5, go-yaml v2 `resolve.go`) as Kubernetes reads manifests.
@Suite struct TypingTests {
    /// Parses `v: <text>` and returns the value.
    func typed(_ text: String, options: YAMLParseOptions = .kubernetes) throws -> Value {
        let doc = try YAML.parseStream("v: \(text)\n", file: "t.yaml", options: options)
        return try #require(doc.first?.value["v"])
    }

    @Test(arguments: ["true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON"])
    func trueWords(_ word: String) throws {
        #expect(try typed(word).isIdentical(to: .bool(true)))
    }

    @Test(arguments: ["false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF"])
    func falseWords(_ word: String) throws {
        #expect(try typed(word).isIdentical(to: .bool(false)))
    }

    @Test(arguments: ["", "~", "null", "Null", "NULL"])
    func nullWords(_ word: String) throws {
        #expect(try typed(word).isIdentical(to: .null))
    }

    @Test(arguments: [
        ("123", Int64(123)), ("+1", 1), ("-7", -7), ("1_000", 1000), ("012", 10), ("0o17", 15), ("0O17", 15),
        ("0x1F", 31), ("0X1f", 31), ("-0x1F", -31), ("0b101", 5), ("-0b101", -5), ("0b-101", -5), ("08", 8),
        ("09", 9), ("0", 0), ("-0", 0), ("00", 0), ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min), ("1_", 1),
    ])
    func integers(_ text: String, _ expected: Int64) throws {
        #expect(try typed(text).isIdentical(to: .int(expected)))
    }

    @Test(arguments: [("1.5", 1.5), (".5", 0.5), ("-.5", -0.5), ("+.5", 0.5), ("1.20", 1.2), ("1.5e3", 1500.5 - 0.5),
                      ("6.02e23", 6.02e23), ("1e-7", 1e-7), ("1_000.5", 1000.5), (".5_5", 0.55), ("0.1", 0.1)])
    func doubles(_ text: String, _ expected: Double) throws {
        let v = try typed(text)
        if expected.rounded() == expected, let i = Int64(exactly: expected) {
            #expect(v.isIdentical(to: .int(i)))
        } else {
            #expect(v.isIdentical(to: .double(expected)))
        }
    }

    /// sigs.k8s.io/yaml → JSON → unstructured turns an integral float into an int.
    @Test(arguments: [("1.0", Int64(1)), ("1e3", 1000), ("1.", 1), ("2.50e1", 25), ("-0.0", 0), ("1e-400", 0)])
    func integralFloatsBecomeInts(_ text: String, _ expected: Int64) throws {
        #expect(try typed(text).isIdentical(to: .int(expected)))
        // Without the JSON step they stay doubles.
        #expect(try typed(text, options: YAMLParseOptions(typing: .yaml11)).isIdentical(to: .double(Double(expected))))
    }

    @Test func largeNumbersStayDoubles() throws {
        #expect(try typed("9223372036854775808").isIdentical(to: .double(9223372036854775808.0)))
        #expect(try typed("18446744073709551615").isIdentical(to: .double(18446744073709551615.0)))
        #expect(try typed("0xFFFFFFFFFFFFFFFF").isIdentical(to: .double(18446744073709551615.0)))
        #expect(try typed("1e20").isIdentical(to: .double(1e20)))
        #expect(try typed("-9223372036854775809").isIdentical(to: .int(Int64.min)))  // rounds to -2^63 as a float
    }

    @Test(arguments: [
        "2024-01-01", "2001-12-14t21:59:43.10-05:00", "v1.2.3", "map[a:b]", "1:20", "<no value>", "0x", "0b2",
        "1e400", "1__0x", "yes please", "nULL", "TrUe", "._5", "1.2.3", "0o8", "+", ".", "..", "1e", "1e+",
        "0xG", "-0b-1", "-x", "12:30:45", "1,000", "<<", "=",
    ])
    func strings(_ text: String) throws {
        #expect(try typed(text).isIdentical(to: .string(text)))
    }

    @Test(arguments: ["\"yes\"", "'1.20'", "\"012\"", "\"\"", "'~'", "!!str 123", "!!str yes", "! 12", "!custom 7", "|\n  12\n"])
    func quotedAndTaggedAreStrings(_ text: String) throws {
        let v = try typed(text)
        #expect(v.stringValue != nil, "\(text) gave \(v)")
    }

    @Test(arguments: [".inf", ".Inf", "-.inf", "+.INF", ".nan", ".NaN", "!!float .inf"])
    func infinityAndNaNAreErrors(_ text: String) throws {
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream("a: 1\nv: \(text)\n", file: "f.yaml") }
        #expect(error?.location == SourceLocation(file: "f.yaml", line: 2, column: 4))
        #expect(error?.message.contains("JSON") == true)
    }

    @Test func explicitTags() throws {
        #expect(try typed("!!int \"12\"").isIdentical(to: .int(12)))
        #expect(try typed("!!int 012").isIdentical(to: .int(10)))
        #expect(try typed("!!float 1").isIdentical(to: .int(1)))  // a float 1.0, made an int by the JSON step
        #expect(try typed("!!float 1", options: YAMLParseOptions(typing: .yaml11)).isIdentical(to: .double(1)))
        #expect(try typed("!!float 1.5").isIdentical(to: .double(1.5)))
        #expect(try typed("!!bool \"yes\"").isIdentical(to: .bool(true)))
        #expect(try typed("!!null ''").isIdentical(to: .null))
        #expect(try typed("!!null ~").isIdentical(to: .null))
        #expect(try typed("!!binary aGVsbG8=").isIdentical(to: .string("hello")))
        #expect(try typed("!!binary |\n  aGVs\n  bG8=\n").isIdentical(to: .string("hello")))
        #expect(try typed("!!timestamp 2024-01-02").isIdentical(to: .string("2024-01-02")))
        #expect(try typed("!!timestamp 2001-12-14T21:59:43.10-05:00").isIdentical(to: .string("2001-12-14T21:59:43.10-05:00")))
        #expect(try typed("!!merge <<").isIdentical(to: .string("<<")))
    }

    @Test(arguments: [
        ("!!int abc", "cannot decode !!str `abc` as a !!int"),
        ("!!int 1.5", "cannot decode !!float `1.5` as a !!int"),
        ("!!bool 1", "cannot decode !!int `1` as a !!bool"),
        ("!!null x", "cannot decode !!str `x` as a !!null"),
        ("!!float yes", "cannot decode !!bool `yes` as a !!float"),
        ("!!timestamp 2024-13-01", "cannot decode !!str `2024-13-01` as a !!timestamp"),
        ("!!binary a$b=", "!!binary value contains invalid base64 data"),
    ])
    func badTags(_ text: String, _ message: String) throws {
        let error = #expect(throws: YAMLError.self) { try typed(text) }
        #expect(error?.message == message)
        #expect(error?.location.line == 1)
    }

    @Test func keysBecomeStrings() throws {
        let text = "1: a\n012: b\n1.0: c\n1.5: d\nyes: e\noff: f\n1e3: g\n123456789.0: h\n.inf: i\n0x1F: j\n\"2\": k\n"
        // `1.0` becomes the key "1" again: a duplicate under the manifest options ...
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream(text, file: "k.yaml") }
        #expect(error?.description == "k.yaml:3:1: mapping key \"1\" already defined at line 1")
        // ... and the later value under last-wins.
        let last = try YAML.parseStream(text, file: "k.yaml", options: .templateOutput)
        #expect(last.first?.value.mapValue?.keys == ["1", "10", "1.5", "true", "false", "1000", "1.2345679e+08", ".inf", "31", "2"])
        #expect(last.first?.value["1"] == .string("c"))
    }

    @Test func nullKeyIsAnError() throws {
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream("a: 1\n~: x\n", file: "n.yaml") }
        #expect(error?.location == SourceLocation(file: "n.yaml", line: 2, column: 1))
        #expect(error?.message.contains("null mapping key") == true)
        #expect(throws: YAMLError.self) { try YAML.parseStream("? [a]\n: b\n", file: "n.yaml") }
        #expect(throws: YAMLError.self) { try YAML.parseStream("{a: 1}: b\n", file: "n.yaml") }
    }

    @Test func parseFirstUsesOnlyTheFirstDocument() throws {
        #expect(try YAML.parseFirst("a: 1\n---\nb: [").isIdentical(to: .map(["a": 1])))
        #expect(try YAML.parseFirst("").isIdentical(to: .null))
        #expect(try YAML.parseFirst("   \n").isIdentical(to: .null))
        #expect(try YAML.parseFirst("# only a comment\n").isIdentical(to: .null))
        #expect(try YAML.parseFirst(" true\n").isIdentical(to: .bool(true)))
        #expect(try YAML.parseFirst("[1, 2, ]").isIdentical(to: .list([1, 2])))
        #expect(try YAML.parseFirst("{a: 1, a: 2}").isIdentical(to: .map(["a": 2])))
        let error = #expect(throws: YAMLError.self) { try YAML.parseFirst("a: b: c") }
        #expect(error?.description == "<input>:1:5: mapping values are not allowed in this context")
    }
}
