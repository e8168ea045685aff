import CapstanModel
import Testing

/// RFC 6901 §5 examples and RFC 7386 Appendix A, every row.
@Suite struct JSONPointerTests {
    static let document = #"""
    {"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}
    """#

    static let rfc6901: [(String, String)] = [
        ("", #"{"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4,"i\\j":5,"k\"l":6," ":7,"m~n":8}"#),
        ("/foo", #"["bar","baz"]"#), ("/foo/0", #""bar""#), ("/", "0"), ("/a~1b", "1"), ("/c%d", "2"),
        ("/e^f", "3"), ("/g|h", "4"), (#"/i\j"#, "5"), (#"/k"l"#, "6"), ("/ ", "7"), ("/m~0n", "8"),
    ]

    @Test(arguments: rfc6901.indices)
    func rfc6901Example(_ i: Int) throws {
        let (pointer, expected) = Self.rfc6901[i]
        let doc = try JSON.parse(Self.document)
        let p = try JSONPointer(pointer)
        #expect(p.evaluate(in: doc) == (try JSON.parse(expected)))
        #expect(p.description == pointer)
    }

    @Test func invalidPointers() {
        #expect(throws: JSONPointer.ParseError.self) { try JSONPointer("foo") }
        #expect(throws: JSONPointer.ParseError.self) { try JSONPointer("/a~2") }
        #expect(throws: JSONPointer.ParseError.self) { try JSONPointer("/a~") }
    }

    @Test func arrayIndexRules() throws {
        let doc = try JSON.parse(#"{"l":[10,20]}"#)
        #expect(try JSONPointer("/l/1").evaluate(in: doc) == 20)
        #expect(try JSONPointer("/l/01").evaluate(in: doc) == nil)
        #expect(try JSONPointer("/l/-").evaluate(in: doc) == nil)
        #expect(try JSONPointer("/l/2").evaluate(in: doc) == nil)
        #expect(try JSONPointer("/l/0/x").evaluate(in: doc) == nil)
    }
}

@Suite struct JSONMergePatchTests {
    static let rfc7386: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test(arguments: rfc7386.indices)
    func rfc7386Example(_ i: Int) throws {
        let (original, patch, result) = Self.rfc7386[i]
        let applied = JSONMergePatch.apply(try JSON.parse(patch), to: try JSON.parse(original))
        #expect(applied.isIdentical(to: try JSON.parse(result)), "\(applied) != \(result)")
    }

    @Test func diffProducesAPatchThatReproducesTheTarget() throws {
        let pairs = [
            (#"{"a":1,"b":{"c":2,"d":[1,2]},"e":"x"}"#, #"{"a":1,"b":{"c":3,"d":[1]},"f":true}"#),
            (#"{"a":{"b":{"c":1}}}"#, #"{"a":{"b":{}}}"#),
            (#"[1]"#, #"{"a":1}"#),
        ]
        for (s, t) in pairs {
            let source = try JSON.parse(s), target = try JSON.parse(t)
            let patch = try #require(JSONMergePatch.diff(from: source, to: target))
            #expect(JSONMergePatch.apply(patch, to: source) == target)
        }
        #expect(JSONMergePatch.diff(from: try JSON.parse(#"{"a":1,"b":2}"#), to: try JSON.parse(#"{"b":2,"a":1.0}"#)) == nil)
    }
}
