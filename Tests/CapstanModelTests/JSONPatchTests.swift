import CapstanModel
import Testing

/// RFC 6902 Appendix A, every example, plus the evanphx/json-patch index quirks ClusterClass patches rely on.
@Suite struct JSONPatchTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var doc: String
        var patch: String
        var result: String?  // nil = the patch must fail
        var testDescription: String { name }
    }

    static let rfcExamples: [Example] = [
        Example(name: "A.1 adding an object member", doc: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, result: #"{"baz":"qux","foo":"bar"}"#),
        Example(name: "A.2 adding an array element", doc: #"{"foo":["bar","baz"]}"#,
                patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, result: #"{"foo":["bar","qux","baz"]}"#),
        Example(name: "A.3 removing an object member", doc: #"{"baz":"qux","foo":"bar"}"#,
                patch: #"[{"op":"remove","path":"/baz"}]"#, result: #"{"foo":"bar"}"#),
        Example(name: "A.4 removing an array element", doc: #"{"foo":["bar","qux","baz"]}"#,
                patch: #"[{"op":"remove","path":"/foo/1"}]"#, result: #"{"foo":["bar","baz"]}"#),
        Example(name: "A.5 replacing a value", doc: #"{"baz":"qux","foo":"bar"}"#,
                patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, result: #"{"baz":"boo","foo":"bar"}"#),
        Example(name: "A.6 moving a value", doc: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
                patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
                result: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        Example(name: "A.7 moving an array element", doc: #"{"foo":["all","grass","cows","eat"]}"#,
                patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, result: #"{"foo":["all","cows","eat","grass"]}"#),
        Example(name: "A.8 testing a value: success", doc: #"{"baz":"qux","foo":["a",2,"c"]}"#,
                patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
                result: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        Example(name: "A.9 testing a value: error", doc: #"{"baz":"qux"}"#,
                patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, result: nil),
        Example(name: "A.10 adding a nested member object", doc: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#, result: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        Example(name: "A.11 ignoring unrecognized elements", doc: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, result: #"{"foo":"bar","baz":"qux"}"#),
        Example(name: "A.12 adding to a nonexistent target", doc: #"{"foo":"bar"}"#,
                patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, result: nil),
        Example(name: "A.14 ~ escape ordering", doc: #"{"/":9,"~1":10}"#,
                patch: #"[{"op":"test","path":"/~01","value":10}]"#, result: #"{"/":9,"~1":10}"#),
        Example(name: "A.15 comparing strings and numbers", doc: #"{"/":9,"~1":10}"#,
                patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, result: nil),
        Example(name: "A.16 adding an array value", doc: #"{"foo":["bar"]}"#,
                patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, result: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test(arguments: rfcExamples)
    func rfc6902Example(_ example: Example) throws {
        let doc = try JSON.parse(example.doc)
        let patch = try JSONPatch(JSON.parse(example.patch))
        if let expected = example.result {
            let result = try patch.apply(to: doc)
            #expect(result == (try JSON.parse(expected)))
        } else {
            #expect(throws: JSONPatch.ApplyError.self) { try patch.apply(to: doc) }
        }
    }

    @Test func a13InvalidDocumentIsRejected() throws {
        // A.13: an operation object with two "op" members. Our JSON reader keeps the last member (as Go does),
        // which turns it into a remove of a missing key; either way the patch must not apply.
        let patch = try JSONPatch(JSON.parse(#"[{"op":"add","path":"/baz","value":"qux","op":"remove"}]"#))
        #expect(throws: JSONPatch.ApplyError.self) { try patch.apply(to: JSON.parse(#"{"foo":"bar"}"#)) }
    }

    @Test func failedPatchLeavesNoPartialResult() throws {
        let doc = try JSON.parse(#"{"a":1}"#)
        let patch = try JSONPatch(JSON.parse(#"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}]"#))
        let error = try #require(throws: JSONPatch.ApplyError.self) { try patch.apply(to: doc) }
        #expect(error.operationIndex == 1)
        #expect(doc == (try JSON.parse(#"{"a":1}"#)))
    }

    @Test func strictModeRejectsNegativeAndLeadingZeroIndexes() throws {
        let doc = try JSON.parse(#"{"l":[1,2,3]}"#)
        for path in ["/l/-1", "/l/01"] {
            let patch = JSONPatch([.replace(path: try JSONPointer(path), value: 9)])
            #expect(throws: JSONPatch.ApplyError.self) { try patch.apply(to: doc, options: .rfc6902) }
        }
    }

    @Test func evanphxIndexQuirks() throws {
        let doc = try JSON.parse(#"{"l":[1,2,3]}"#)
        func apply(_ op: JSONPatch.Operation) throws -> Value {
            try JSONPatch([op]).apply(to: doc, options: .evanphx)
        }
        // add: -1 appends, -2 inserts before the last element.
        #expect(try apply(.add(path: JSONPointer("/l/-1"), value: 9)) == (try JSON.parse(#"{"l":[1,2,3,9]}"#)))
        #expect(try apply(.add(path: JSONPointer("/l/-2"), value: 9)) == (try JSON.parse(#"{"l":[1,2,9,3]}"#)))
        // replace/remove: -1 is the last element; "01" reads as 1.
        #expect(try apply(.replace(path: JSONPointer("/l/-1"), value: 9)) == (try JSON.parse(#"{"l":[1,2,9]}"#)))
        #expect(try apply(.remove(path: JSONPointer("/l/01"))) == (try JSON.parse(#"{"l":[1,3]}"#)))
        // n == len appends; n > len fails.
        #expect(try apply(.add(path: JSONPointer("/l/3"), value: 9)) == (try JSON.parse(#"{"l":[1,2,3,9]}"#)))
        #expect(throws: JSONPatch.ApplyError.self) { try apply(.add(path: JSONPointer("/l/4"), value: 9)) }
    }

    @Test func evanphxErrorTexts() throws {
        let doc = try JSON.parse(#"{"spec":{"a":null}}"#)
        func message(_ op: JSONPatch.Operation) -> String? {
            do {
                _ = try JSONPatch([op]).apply(to: doc, options: .evanphx)
                return nil
            } catch { return error.message }
        }
        #expect(message(.add(path: try JSONPointer("/spec/x/y"), value: 1))
            == #"add operation does not apply: doc is missing path: "/spec/x/y": missing value"#)
        #expect(message(.replace(path: try JSONPointer("/spec/b"), value: 1))
            == "replace operation does not apply: doc is missing key: /spec/b: missing value")
        #expect(message(.remove(path: try JSONPointer("/spec/b")))
            == "error in remove for path: '/spec/b': unable to remove nonexistent key: b: missing value")
        // A key holding null counts as existing for replace.
        #expect(message(.replace(path: try JSONPointer("/spec/a"), value: 1)) == nil)
        // Adding under a null parent fails like a missing parent.
        #expect(message(.add(path: try JSONPointer("/spec/a/b"), value: 1)) != nil)
    }

    @Test func roundTripsThroughJSONForm() throws {
        let text = #"[{"op":"add","path":"/a~1b","value":[1]},{"op":"move","from":"/x","path":"/y"},{"op":"test","path":"/z","value":null}]"#
        let patch = try JSONPatch(JSON.parse(text))
        #expect(try JSONPatch(patch.value) == patch)
        #expect(JSON.serialize(patch.value) == text)
    }

    @Test func decodeErrorsNameTheOperation() throws {
        #expect(throws: JSONPatch.DecodeError.self) { try JSONPatch(JSON.parse(#"[{"op":"frobnicate","path":"/a"}]"#)) }
        #expect(throws: JSONPatch.DecodeError.self) { try JSONPatch(JSON.parse(#"[{"op":"add","path":"/a"}]"#)) }
        #expect(throws: JSONPatch.DecodeError.self) { try JSONPatch(JSON.parse(#"{"op":"add"}"#)) }
    }
}
