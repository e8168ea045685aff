import CapstanModel
import Testing

@testable import CapstanTopology

/// Cases follow internal/topology/variables/cluster_variable_defaulting_test.go.
@Suite struct VariableDefaultingTests {
    // Test_DefaultClusterVariables "Default one variable of each valid type" (catalogue sorted by name).
    @Test func defaultsOneVariableOfEachType() {
        let set = variableSet(#"""
            [{"name":"cpu","required":true,"schema":{"type":"integer","default":1}},
             {"name":"location","required":true,"schema":{"type":"string","default":"us-east"}},
             {"name":"count","required":true,"schema":{"type":"number","default":0.1}},
             {"name":"correct","required":true,"schema":{"type":"boolean","default":true}}]
            """#)
        let (out, errs) = set.defaulted([], create: true, path: variablesPath)
        #expect(errs.isEmpty)
        #expect(raw(out) == ["correct=true", "count=0.1", "cpu=1", "location=\"us-east\""])
    }

    // "Don't default variable if variable creation is disabled"
    @Test func noCreationForOverrides() {
        let set = variableSet(#"[{"name":"cpu","schema":{"type":"integer","default":1}}]"#)
        let (out, errs) = set.defaulted([], create: false, path: variablesPath)
        #expect(errs.isEmpty && out.isEmpty)
    }

    // "Return error if variable is not defined in ClusterClass"
    @Test func undefinedVariableIsAnError() {
        let set = variableSet(#"[{"name":"cpu","schema":{"type":"integer"}}]"#)
        let (_, errs) = set.defaulted(clusterVariables(#"[{"name":"location","value":"us-east"}]"#), create: true, path: variablesPath)
        #expect(errs.map(\.description) == [#"spec.topology.variables[location]: Invalid value: "\"us-east\"": variable is not defined"#])
    }

    // "Error if a value is set twice."
    @Test func duplicateValueIsAnError() {
        let set = variableSet(#"[{"name":"cpu","schema":{"type":"integer"}}]"#)
        let (_, errs) = set.defaulted(clusterVariables(#"[{"name":"cpu","value":1},{"name":"cpu","value":2}]"#), create: true, path: variablesPath)
        #expect(errs.map(\.description) == [#"spec.topology.variables[cpu]: Invalid value: "2": variable "cpu" is set more than once"#])
    }

    // "Don't add variables that have no default schema" + existing values keep their order, defaults appended.
    @Test func existingOrderKeptDefaultsAppended() {
        let set = variableSet(#"""
            [{"name":"zone","schema":{"type":"string","default":"a"}},{"name":"cpu","schema":{"type":"integer"}},
             {"name":"another","schema":{"type":"string"}}]
            """#)
        let (out, _) = set.defaulted(clusterVariables(#"[{"name":"cpu","value":8}]"#), create: true, path: variablesPath)
        #expect(raw(out) == ["cpu=8", "zone=\"a\""])
    }

    // "Default new object variable if there is a top-level default": the default is inserted, then its
    // nested defaults are applied.
    @Test func nestedDefaultsApplyInsideInsertedDefault() {
        let set = variableSet(#"""
            [{"name":"httpProxy","schema":{"type":"object","default":{"url":"test-url"},
              "properties":{"enabled":{"type":"boolean","default":false},"url":{"type":"string"},"noProxy":{"type":"string"}}}}]
            """#)
        let (out, _) = set.defaulted([], create: true, path: variablesPath)
        #expect(raw(out) == [#"httpProxy={"enabled":false,"url":"test-url"}"#])
    }

    // "Don't default new object variable if there is no top-level default"
    @Test func noTopLevelDefaultNoVariable() {
        let set = variableSet(#"[{"name":"httpProxy","schema":{"type":"object","properties":{"enabled":{"type":"boolean","default":false}}}}]"#)
        let (out, _) = set.defaulted([], create: true, path: variablesPath)
        #expect(out.isEmpty)
    }

    // "Default nested fields of existing map variable" (additionalProperties).
    @Test func defaultsThroughAdditionalProperties() {
        let set = variableSet(#"""
            [{"name":"httpProxy","schema":{"type":"object","additionalProperties":{"type":"object",
              "properties":{"enabled":{"type":"boolean"},"url":{"type":"string","default":"https://example.com"}}}}}]
            """#)
        let (out, _) = set.defaulted(clusterVariables(#"[{"name":"httpProxy","value":{"proxy1":{"enabled":false},"proxy2":{"enabled":false}}}]"#),
                                     create: true, path: variablesPath)
        #expect(raw(out) == [#"httpProxy={"proxy1":{"enabled":false,"url":"https://example.com"},"proxy2":{"enabled":false,"url":"https://example.com"}}"#])
    }

    // Spec §4.2 example: an override of `{}` gets property defaults but not the top-level default.
    @Test func overrideObjectGetsPropertyDefaultsOnly() {
        let set = variableSet(#"""
            [{"name":"p","schema":{"type":"object","default":{"url":"u"},"properties":{"enabled":{"type":"boolean","default":false},"url":{"type":"string"}}}}]
            """#)
        let (out, _) = set.defaulted(clusterVariables(#"[{"name":"p","value":{}}]"#), create: false, path: variablesPath)
        #expect(raw(out) == [#"p={"enabled":false}"#])
    }

    // Spec §4.2 step 5: Go encoding/json normalisation (keys sorted, numbers through float64).
    @Test func valuesAreNormalisedLikeGoJSON() {
        let set = variableSet(#"[{"name":"v","schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}]"#)
        let (out, _) = set.defaulted(clusterVariables(#"[{"name":"v","value":{"b":1.50,"a":1e3,"c":12345678901234567890}}]"#), create: true, path: variablesPath)
        #expect(raw(out) == [#"v={"a":1000,"b":1.5,"c":12345678901234567000}"#])
    }

    // Null items of an array are replaced by the items default.
    @Test func nullArrayItemsGetItemDefault() {
        let set = variableSet(#"[{"name":"l","schema":{"type":"array","items":{"type":"string","default":"x"}}}]"#)
        let (out, _) = set.defaulted(clusterVariables(#"[{"name":"l","value":["a",null]}]"#), create: true, path: variablesPath)
        #expect(raw(out) == [#"l=["a","x"]"#])
    }
}
