import CapstanModel
import Testing

@testable import CapstanTopology

/// Cases follow core/reconcilers/topology/cluster/patches/variables/value_test.go (`GetVariableValue`).
@Suite struct VariablePathTests {
    let variables: ObjectMap = [
        "location": "us-east",
        "cpu": 8,
        "userAccessKey": .map(["enabled": true, "accessKey": "key"]),
        "arr": .list([.map(["name": "a"]), .map(["name": "b"])]),
        "nullKey": .null,
    ]

    func lookup(_ path: String) -> String {
        do { return JSON.serialize(try VariablePath.lookup(variables, path)) } catch { return "error: \(error.message)" }
    }

    @Test func lookups() {
        #expect(lookup("location") == "\"us-east\"")
        #expect(lookup("cpu") == "8")
        #expect(lookup("userAccessKey.enabled") == "true")
        #expect(lookup("arr[1].name") == "\"b\"")
        #expect(lookup("arr[0]") == #"{"name":"a"}"#)
    }

    @Test func failures() {
        #expect(lookup("missing") == #"error: variable "missing" does not exist"#)
        #expect(lookup("userAccessKey.missing") == #"error: variable "userAccessKey.missing" does not exist: failed to lookup segment "missing""#)
        #expect(lookup("arr[5].name") == #"error: variable "arr[5].name" is invalid: array does not have index 5"#)
        #expect(lookup("arr[0.name").hasPrefix(#"error: variable "arr[0.name" is invalid: failed to parse path segment"#))
        #expect(lookup("cpu[0]").hasPrefix(#"error: variable "cpu[0]" is invalid: failed to get array"#))
        #expect(lookup("nullKey.x") == #"error: variable "nullKey.x" does not exist: failed to lookup segment "x""#)
    }
}
