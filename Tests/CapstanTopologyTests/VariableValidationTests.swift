import CapstanModel
import Testing

@testable import CapstanTopology

/// Cases follow internal/topology/variables/cluster_variable_validation_test.go; messages are compared in
/// full (upstream checks `strings.Contains` on the same texts).
@Suite struct VariableValidationTests {
    func errors(_ defs: String, _ values: String, required: Bool = true) -> [String] {
        variableSet(defs).validate(clusterVariables(values), required: required, path: variablesPath, celRules: false).map(\.description)
    }

    @Test func requiredVariableMissing() {
        #expect(errors(#"[{"name":"cpu","required":true,"schema":{"type":"integer","minimum":1}}]"#, "[]")
            == [#"spec.topology.variables: Required value: required variable "cpu" must be set"#])
        #expect(errors(#"[{"name":"cpu","required":true,"schema":{"type":"integer"}}]"#, "[]", required: false).isEmpty)
    }

    @Test func maximumAndMinimum() {
        let defs = #"[{"name":"cpu","schema":{"type":"integer","minimum":1,"maximum":10}}]"#
        #expect(errors(defs, #"[{"name":"cpu","value":99}]"#)
            == [#"spec.topology.variables[cpu].value: Invalid value: "99": should be less than or equal to 10"#])
        #expect(errors(defs, #"[{"name":"cpu","value":0}]"#)
            == [#"spec.topology.variables[cpu].value: Invalid value: "0": should be greater than or equal to 1"#])
    }

    @Test func typeMismatch() {
        #expect(errors(#"[{"name":"cpu","schema":{"type":"integer"}}]"#, #"[{"name":"cpu","value":"1"}]"#)
            == [#"spec.topology.variables[cpu].value: Invalid value: "\"1\"": must be of type integer: "string""#])
        #expect(errors(#"[{"name":"location","schema":{"type":"string"}}]"#, #"[{"name":"location","value":1}]"#)
            == [#"spec.topology.variables[location].value: Invalid value: "1": must be of type string: "integer""#])
    }

    /// A catastrophic-backtracking pattern must not stall a render: patterns run on the linear-time RE2 engine.
    @Test func pathologicalPatternIsLinear() {
        let value = String(repeating: "a", count: 5_000) + "!"
        let clock = ContinuousClock()
        var errs: [String] = []
        let elapsed = clock.measure {
            errs = errors(#"[{"name":"v","schema":{"type":"string","pattern":"^(a+)+$"}}]"#, #"[{"name":"v","value":"\#(value)"}]"#)
        }
        #expect(errs.count == 1)
        #expect(errs.first?.hasSuffix("should match '^(a+)+$'") == true)
        #expect(elapsed < .seconds(10))
    }

    @Test func patternAndFormat() {
        #expect(errors(#"[{"name":"v","schema":{"type":"string","pattern":"^[0-9]+$"}}]"#, #"[{"name":"v","value":"000000a"}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "\"000000a\"": should match '^[0-9]+$'"#])
        #expect(errors(#"[{"name":"v","schema":{"type":"string","format":"uri"}}]"#, #"[{"name":"v","value":"not a URI"}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "\"not a URI\"": must be of type uri: "not a URI""#])
    }

    @Test func enumMismatchAndTypeTogether() {
        #expect(errors(#"[{"name":"location","schema":{"type":"string","enum":["us-east-1","us-east-2"]}}]"#, #"[{"name":"location","value":"us-east-invalid"}]"#)
            == [#"spec.topology.variables[location].value: Unsupported value: "\"us-east-invalid\"": supported values: "us-east-1", "us-east-2""#])
        // "Fails, expecting an enum of type string, got int": both the type and the enum error.
        #expect(errors(#"[{"name":"v","schema":{"type":"string","enum":["1","2"]}}]"#, #"[{"name":"v","value":3}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "3": must be of type string: "integer""#,
                #"spec.topology.variables[v].value: Unsupported value: "3": supported values: "1", "2""#])
    }

    @Test func nestedFieldsAndRequired() {
        let defs = #"[{"name":"httpProxy","schema":{"type":"object","required":["url"],"properties":{"url":{"type":"string"},"enabled":{"type":"boolean"}}}}]"#
        #expect(errors(defs, #"[{"name":"httpProxy","value":{"enabled":"true"}}]"#)
            == [#"spec.topology.variables[httpProxy].value.enabled: Invalid value: "{\"enabled\":\"true\"}": enabled in body must be of type boolean: "string""#,
                "spec.topology.variables[httpProxy].value.url: Required value"])
    }

    @Test func arrays() {
        #expect(errors(#"[{"name":"v","schema":{"type":"array","items":{"type":"string"},"minItems":3}}]"#, #"[{"name":"v","value":["value1","value2"]}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "[\"value1\",\"value2\"]": should have at least 3 items"#])
        #expect(errors(#"[{"name":"v","schema":{"type":"array","items":{"type":"string"},"uniqueItems":true}}]"#, #"[{"name":"v","value":["value1","value1"]}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "[\"value1\",\"value1\"]": shouldn't contain duplicates"#])
    }

    @Test func unknownFields() {
        let defs = #"[{"name":"testObject","schema":{"type":"object","properties":{"knownProperty":{"type":"boolean"}}}}]"#
        #expect(errors(defs, #"[{"name":"testObject","value":{"knownProperty":false,"unknownProperty":true}}]"#)
            == [#"spec.topology.variables[testObject]: Invalid value: "{\"knownProperty\":false,\"unknownProperty\":true}": failed validation: "unknownProperty" field(s) are not specified in the variable schema of variable "testObject""#])
        // Field names are case-sensitive.
        #expect(errors(defs, #"[{"name":"testObject","value":{"KnownProperty":false}}]"#).count == 1)
        // x-kubernetes-preserve-unknown-fields keeps undeclared members.
        #expect(errors(#"[{"name":"o","schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"a":{"type":"string"}}}}]"#,
                       #"[{"name":"o","value":{"a":"x","b":{"c":1}}}]"#).isEmpty)
    }

    @Test func nestedUnknownFieldsArePathsRelativeToTheValue() {
        let defs = #"[{"name":"testObject","schema":{"type":"object","properties":{"test":{"type":"object","properties":{"knownProperty":{"type":"boolean"}}}}}}]"#
        #expect(errors(defs, #"[{"name":"testObject","value":{"test":{"knownProperty":false,"unknownProperty":true}}}]"#)
            == [#"spec.topology.variables[testObject]: Invalid value: "{\"test\":{\"knownProperty\":false,\"unknownProperty\":true}}": failed validation: "test.unknownProperty" field(s) are not specified in the variable schema of variable "testObject""#])
    }

    @Test func oneOfWithTwoValidAlternatives() {
        let defs = #"""
            [{"name":"v","schema":{"type":"object","properties":{"propertyA":{"type":"boolean"},"propertyB":{"type":"boolean"}},
              "oneOf":[{"required":["propertyA"]},{"required":["propertyB"]}]}}]
            """#
        #expect(errors(defs, #"[{"name":"v","value":{"propertyA":true,"propertyB":true}}]"#)
            == [#"spec.topology.variables[v].value: Invalid value: "{\"propertyA\":true,\"propertyB\":true}": "" must validate one and only one schema (oneOf). Found 2 valid alternatives"#])
    }

    @Test func undefinedAndDuplicates() {
        #expect(errors(#"[{"name":"cpu","schema":{"type":"integer"}}]"#, #"[{"name":"location","value":"us-east-1"}]"#, required: false)
            == [#"spec.topology.variables[location]: Invalid value: "\"us-east-1\"": variable is not defined"#])
        #expect(errors(#"[{"name":"cpu","schema":{"type":"integer"}}]"#, #"[{"name":"cpu","value":1},{"name":"cpu","value":2}]"#)
            == [#"spec.topology.variables[cpu]: Invalid value: "2": variable "cpu" is set more than once"#])
    }

    @Test func intOrString() {
        let defs = #"[{"name":"v","schema":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}]"#
        #expect(errors(defs, #"[{"name":"v","value":3}]"#).isEmpty)
        #expect(errors(defs, #"[{"name":"v","value":"50%"}]"#).isEmpty)
        #expect(errors(defs, #"[{"name":"v","value":true}]"#).first?.contains(#"must be of type integer,string: "boolean""#) == true)
    }
}

/// CEL rules (`x-kubernetes-validations`), following the CEL cases of cluster_variable_validation_test.go.
@Suite struct VariableCELTests {
    func errors(_ defs: String, _ values: String) -> [String] {
        variableSet(defs).validate(clusterVariables(values), required: false, path: variablesPath, ).map(\.description)
    }

    @Test func failedRule() {
        let defs = #"[{"name":"cpu","schema":{"type":"integer","x-kubernetes-validations":[{"rule":"self <= 1"}]}}]"#
        #expect(errors(defs, #"[{"name":"cpu","value":99}]"#) == [#"spec.topology.variables[cpu].value: Invalid value: "99": failed rule: self <= 1"#])
        #expect(errors(defs, #"[{"name":"cpu","value":1}]"#).isEmpty)
    }

    @Test func messageAndMessageExpression() {
        let message = #"[{"name":"cpu","schema":{"type":"integer","x-kubernetes-validations":[{"rule":"self >= 1","message":"new value must be greater than or equal to 1"}]}}]"#
        #expect(errors(message, #"[{"name":"cpu","value":0}]"#) == [#"spec.topology.variables[cpu].value: Invalid value: "0": new value must be greater than or equal to 1"#])
        let expr = #"[{"name":"cpu","schema":{"type":"integer","x-kubernetes-validations":[{"rule":"self >= 1","messageExpression":"'new value must be greater than or equal to 1, but got %d'.format([self])"}]}}]"#
        #expect(errors(expr, #"[{"name":"cpu","value":0}]"#) == [#"spec.topology.variables[cpu].value: Invalid value: "0": new value must be greater than or equal to 1, but got 0"#])
    }

    @Test func nestedRuleAndTransitionRulesSkipped() {
        let defs = #"""
            [{"name":"cpu","schema":{"type":"object","properties":{"objectField":{"type":"object",
              "properties":{"field":{"type":"integer"}},"x-kubernetes-validations":[{"rule":"self.field <= 1"}]}},
              "x-kubernetes-validations":[{"rule":"self.objectField.field > oldSelf.objectField.field"}]}}]
            """#
        #expect(errors(defs, #"[{"name":"cpu","value":{"objectField":{"field":2}}}]"#)
            == [#"spec.topology.variables[cpu].value.objectField: Invalid value: "{\"objectField\":{\"field\":2}}": failed rule: self.field <= 1"#])
    }

    @Test func reasonAndFieldPath() {
        let defs = #"[{"name":"p","schema":{"type":"object","properties":{"a":{"type":"string"}},"x-kubernetes-validations":[{"rule":"has(self.a)","reason":"FieldValueRequired","fieldPath":".a","message":"a is needed"}]}}]"#
        #expect(errors(defs, #"[{"name":"p","value":{}}]"#) == ["spec.topology.variables[p].value.a: Required value: a is needed"])
    }

    @Test func compileErrorsAreReportedAtAdmission() {
        let errs = ClassVariableAdmission.validate([ClassVariable(index: 0, json(#"{"name":"x","schema":{"openAPIV3Schema":{"type":"integer","x-kubernetes-validations":[{"rule":"self >"}]}}}"#))])
        #expect(errs.count == 1)
        #expect(errs.first?.description.hasPrefix("spec.variables[x].schema.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: ") == true)
        #expect(errs.first?.description.contains("compilation failed:") == true)
    }
}
