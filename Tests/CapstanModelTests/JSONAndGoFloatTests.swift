import CapstanModel
import Testing

@Suite struct GoFloatTests {
    /// The samples of clusterclass-variables-patches.md §9.4 (Go `%v` on float64).
    static let gSamples: [(Double, String)] = [
        (3, "3"), (2.5, "2.5"), (100000, "100000"), (999999, "999999"), (1000000, "1e+06"),
        (1234567, "1.234567e+06"), (123456.7, "123456.7"), (0.0001, "0.0001"), (0.00001, "1e-05"),
        (12345678901234567890, "1.2345678901234567e+19"), (-2.5, "-2.5"), (0, "0"), (1e100, "1e+100"),
        (5e-324, "5e-324"), (0.1, "0.1"), (1.5e-7, "1.5e-07"),
    ]

    @Test(arguments: gSamples.indices)
    func formatG(_ i: Int) {
        #expect(GoFloat.formatG(Self.gSamples[i].0) == Self.gSamples[i].1)
    }

    @Test func jsonNumbersMatchGoEncodingJSON() {
        #expect(GoFloat.formatJSON(1.0) == "1")
        #expect(GoFloat.formatJSON(1e20) == "100000000000000000000")
        #expect(GoFloat.formatJSON(1e21) == "1e+21")
        #expect(GoFloat.formatJSON(0.000001) == "0.000001")
        #expect(GoFloat.formatJSON(1e-7) == "1e-7")
        #expect(GoFloat.formatJSON(.nan) == nil)
        #expect(GoFloat.formatF(1234.5) == "1234.5")
        #expect(GoFloat.formatE(1234.5) == "1.2345e+03")
    }
}

@Suite struct JSONTests {
    @Test func numbersAreIntOrDouble() throws {
        #expect(try JSON.parse("12").isIdentical(to: .int(12)))
        #expect(try JSON.parse("-9223372036854775808").isIdentical(to: .int(.min)))
        #expect(try JSON.parse("9223372036854775808").isIdentical(to: .double(9223372036854775808)))
        #expect(try JSON.parse("1.0").isIdentical(to: .double(1)))
        #expect(try JSON.parse("1e3").isIdentical(to: .double(1000)))
    }

    @Test func stringsAndEscapes() throws {
        #expect(try JSON.parse(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\né😀"))
        #expect(JSON.serialize(.string("a\"b\\c\n\u{1}")) == #""a\"b\\c\n\u0001""#)
    }

    /// The parser's fast paths (ASCII strings, integers of up to 18 digits) agree with the general ones.
    @Test func fastPathsAgreeWithGeneralParsing() throws {
        #expect(try JSON.parse("-0").isIdentical(to: .int(0)))
        #expect(try JSON.parse("999999999999999999").isIdentical(to: .int(999_999_999_999_999_999)))
        #expect(try JSON.parse("-1000000000000000000").isIdentical(to: .int(-1_000_000_000_000_000_000)))
        #expect(try JSON.parse("-9223372036854775809").isIdentical(to: .double(-9223372036854775809)))
        #expect(try JSON.parse(#"["plain","café","日本","😀x"]"#) == .list(["plain", "café", "日本", "😀x"]))
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse([0x22, 0x61, 0xC3, 0x28, 0x22]) }  // invalid UTF-8
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse([0x22, 0x61, 0x01, 0x22]) }  // raw control character
        let text = #"{"k":"mixed \"quotes\" and \\ back\tslash é","n":[1,-2,30]}"#
        #expect(JSON.serialize(try JSON.parse(text)) == text)
    }

    @Test func serializeKeepsOrderOrSorts() throws {
        let v = try JSON.parse(#"{"b":1,"a":[true,null,2.5]}"#)
        #expect(JSON.serialize(v) == #"{"b":1,"a":[true,null,2.5]}"#)
        #expect(JSON.serialize(v, sortKeys: true) == #"{"a":[true,null,2.5],"b":1}"#)
        #expect(JSON.serializePretty(["a": [1]]) == "{\n  \"a\": [\n    1\n  ]\n}")
    }

    @Test func syntaxErrorsAreLocated() {
        let error = #expect(throws: JSON.SyntaxError.self) { try JSON.parse("{\n  \"a\": tru\n}") }
        #expect(error?.line == 2)
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse("[1,]") }
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse("{\"a\":1} x") }
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse("01") }
        #expect(throws: JSON.SyntaxError.self) { try JSON.parse(String(repeating: "[", count: 20_000)) }
    }
}
