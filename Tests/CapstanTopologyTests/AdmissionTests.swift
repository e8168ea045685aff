import CapstanModel
import Testing

@testable import CapstanTopology

/// ClusterClass and Cluster admission, following core/webhooks/admission/patch_validation_test.go,
/// clusterclass_test.go, cluster_test.go and variables/clusterclass_variable_validation_test.go.
@Suite struct AdmissionTests {
    static let templates = #"""
        "infrastructure":{"templateRef":{"apiVersion":"infra.example.com/v1","kind":"InfraClusterTemplate","name":"i"}},
        "controlPlane":{"templateRef":{"apiVersion":"cp.example.com/v1","kind":"CPTemplate","name":"c"}},
        "workers":{"machineDeployments":[{"class":"default","bootstrap":{"templateRef":{"apiVersion":"boot.example.com/v1","kind":"BootTemplate","name":"b"}},
          "infrastructure":{"templateRef":{"apiVersion":"infra.example.com/v1","kind":"MachineTemplate","name":"m"}}}]}
        """#

    func classErrors(_ specExtra: String) -> [String] {
        let obj = KubeObject(json(#"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"ClusterClass","metadata":{"name":"cc","namespace":"ns"},"spec":{"# + Self.templates + specExtra + "}}"))
        return ClusterClassAdmission.validate(ClusterClassModel(obj)).map(\.description)
    }

    @Test func validClassHasNoErrors() {
        #expect(classErrors("").isEmpty)
    }

    // patch_validation_test.go "error if patch name is empty/inline/duplicate"
    @Test func patchNames() {
        let p = #",\"patches\":[{\"name\":\"inline\",\"external\":{\"generatePatchesExtension\":\"x\"}},{\"name\":\"a\",\"definitions\":[]},{\"name\":\"a\",\"definitions\":[]}]"#
        let errs = classErrors(p.replacingOccurrences(of: "\\\"", with: "\""))
        #expect(errs.contains(#"spec.patches[0].name: Required value: "inline" can not be used as the name of a patch"#))
        #expect(errs.contains(#"spec.patches[2].name: Invalid value: "a": patch names must be unique. Patch with name "a" is defined more than once"#))
        #expect(errs.contains("spec.patches[0].external: Forbidden: patch.external can be used only if the RuntimeSDK feature flag is enabled"))
    }

    // "error if jsonPatch path does not start with /spec", index rules, unknown variable, builtin paths.
    @Test func jsonPatchRules() {
        let p = #"""
            ,"variables":[{"name":"v","required":false,"schema":{"openAPIV3Schema":{"type":"string"}}}],
            "patches":[{"name":"p","definitions":[{"selector":{"apiVersion":"infra.example.com/v1","kind":"InfraClusterTemplate","matchResources":{"infrastructureCluster":true}},
            "jsonPatches":[
              {"op":"add","path":"/status/x","value":1},
              {"op":"add","path":"/spec/list/1","value":1},
              {"op":"replace","path":"/spec/list/0","value":1},
              {"op":"add","path":"/spec/x","valueFrom":{"variable":"nope.x"}},
              {"op":"add","path":"/spec/x","valueFrom":{"variable":"builtin.cluster.nope"}},
              {"op":"add","path":"/spec/x","valueFrom":{"variable":"v"}},
              {"op":"add","path":"/spec/x","value":1,"valueFrom":{"variable":"v"}},
              {"op":"add","path":"/spec/x"}]}]}]
            """#
        let errs = classErrors(p)
        #expect(errs.contains { $0.hasPrefix("spec.patches[0].definitions[0].jsonPatches[0].path: Invalid value: ") && $0.hasSuffix(#"jsonPatch path must start with "/spec""#) })
        #expect(errs.contains(#"spec.patches[0].definitions[0].jsonPatches[1].path: Invalid value: "/spec/list/1": arrays can only be accessed using "0" (prepend) or "-" (append)"#))
        #expect(errs.contains(#"spec.patches[0].definitions[0].jsonPatches[2].path: Invalid value: "/spec/list/0": elements in arrays can not be accessed in a replace operation"#))
        #expect(errs.contains(#"spec.patches[0].definitions[0].jsonPatches[3].valueFrom.variable: Invalid value: "nope.x": variable with name nope.x cannot be found"#))
        #expect(errs.contains(#"spec.patches[0].definitions[0].jsonPatches[4].valueFrom.variable: Invalid value: "builtin.cluster.nope": not a defined builtin variable"#))
        #expect(!errs.contains { $0.hasPrefix("spec.patches[0].definitions[0].jsonPatches[5]") })
        #expect(errs.contains { $0.hasPrefix("spec.patches[0].definitions[0].jsonPatches[6]: Invalid value: ") && $0.hasSuffix("jsonPatch can not define both value and valueFrom") })
        #expect(errs.contains { $0.hasPrefix("spec.patches[0].definitions[0].jsonPatches[7]: Invalid value: ") && $0.hasSuffix("jsonPatch must define one of value or valueFrom") })
    }

    // "error if selector ... does not match" and selector name patterns.
    @Test func selectors() {
        let p = #"""
            ,"patches":[{"name":"p","definitions":[
              {"selector":{"apiVersion":"infra.example.com/v1","kind":"Other","matchResources":{"infrastructureCluster":true}},"jsonPatches":[]},
              {"selector":{"apiVersion":"infra.example.com/v1","kind":"MachineTemplate","matchResources":{"machineDeploymentClass":{"names":["def*","*ault","x*y"]}}},"jsonPatches":[]},
              {"selector":{"apiVersion":"infra.example.com/v1","kind":"MachineTemplate","matchResources":{}},"jsonPatches":[]}]}]
            """#
        let errs = classErrors(p)
        #expect(errs.contains("spec.patches[0].definitions[0].selector.matchResources.infrastructureCluster: Invalid value: true: selector is enabled but does not match the infrastructure ref"))
        #expect(errs.contains(#"spec.patches[0].definitions[1].selector.matchResources.machineDeploymentClass.names[2]: Invalid value: "x*y": "*" rune can only appear at the beginning, or ending of the selector"#))
        #expect(!errs.contains { $0.contains("names[0]") || $0.contains("names[1]") })
        #expect(errs.contains { $0.hasPrefix("spec.patches[0].definitions[2].selector: Invalid value: ") && $0.hasSuffix("no selector enabled") })
    }

    // clusterclass_variable_validation_test.go: reserved name, dots, duplicates, structural, bad default.
    @Test func variableDefinitions() {
        let v = #"""
            ,"variables":[
              {"name":"builtin","required":false,"schema":{"openAPIV3Schema":{"type":"string"}}},
              {"name":"a.b","required":false,"schema":{"openAPIV3Schema":{"type":"string"}}},
              {"name":"dup","required":false,"schema":{"openAPIV3Schema":{"type":"string"}}},
              {"name":"dup","required":false,"schema":{"openAPIV3Schema":{"type":"string"}}},
              {"name":"noType","required":false,"schema":{"openAPIV3Schema":{"properties":{"x":{"type":"string"}}}}},
              {"name":"badDefault","required":false,"schema":{"openAPIV3Schema":{"type":"integer","maximum":5,"default":7}}},
              {"name":"badEnum","required":false,"schema":{"openAPIV3Schema":{"type":"string","enum":["a",1]}}},
              {"name":"both","required":false,"schema":{"openAPIV3Schema":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}}}]
            """#
        let errs = classErrors(v)
        #expect(errs.contains(#"spec.variables[builtin].name: Invalid value: "builtin": "builtin" is a reserved variable name"#))
        #expect(errs.contains(#"spec.variables[a.b].name: Invalid value: "a.b": variable name cannot contain ".""#))
        #expect(errs.contains(#"spec.variables[dup].name: Invalid value: "dup": variable name must be unique. Variable with name "dup" is defined more than once"#))
        #expect(errs.contains("spec.variables[noType].schema.openAPIV3Schema.type: Required value: must not be empty for specified object fields"))
        #expect(errs.contains { $0.hasPrefix("spec.variables[badDefault].schema.openAPIV3Schema.default: Invalid value") && $0.contains("should be less than or equal to 5") })
        #expect(errs.contains { $0.hasPrefix("spec.variables[badEnum].schema.openAPIV3Schema.enum[1]: Invalid value") && $0.contains("must be of type string") })
        #expect(errs.contains("spec.variables[both].schema.openAPIV3Schema: Forbidden: additionalProperties and properties are mutually exclusive"))
    }

    // clusterclass_test.go template refs, unique classes, kubernetesVersions, health checks, naming.
    @Test func classStructure() {
        let obj = KubeObject(json(#"""
            {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"ClusterClass","metadata":{"name":"cc","namespace":"ns"},"spec":{
              "infrastructure":{"templateRef":{"apiVersion":"infra.example.com/v1","kind":"Template","name":""}},
              "controlPlane":{"templateRef":{"apiVersion":"cp.example.com/v1","kind":"CPTemplate","name":"c"},
                "healthCheck":{"checks":{"nodeStartupTimeoutSeconds":10}}, "naming":{"template":"{{ .cluster.name }}_cp"}},
              "workers":{"machineDeployments":[{"class":"a"},{"class":"a"}]},
              "kubernetesVersions":["v1.30.0","v1.32.0","v1.31.0"]}}
            """#))
        let errs = ClusterClassAdmission.validate(ClusterClassModel(obj)).map(\.description)
        #expect(errs.contains("spec.infrastructure.ref.name: Required value: template name must be defined"))
        #expect(errs.contains(#"spec.infrastructure.ref.kind: Invalid value: "Template": template kind must be of form "<name>Template""#))
        #expect(errs.contains(#"spec.workers.machineDeployments: Invalid value: "a": MachineDeployment class must be unique. MachineDeployment with class "a" is defined more than once"#))
        #expect(errs.contains("spec.controlPlane.healthCheck.checks.nodeStartupTimeoutSeconds: Invalid value: 10: must be at least 30s"))
        #expect(errs.contains("spec.controlPlane.healthCheck: Forbidden: can be only set if spec.controlPlane.machineInfrastructure is set"))
        #expect(errs.contains { $0.hasPrefix(#"spec.controlPlane.naming.template: Invalid value: "{{ .cluster.name }}_cp": a lowercase RFC 1123 subdomain"#) })
        #expect(errs.contains(#"spec.kubernetesVersion[1]: Invalid value: "v1.32.0": expecting a version with minor 30 or 31, found version 1.32.0"#))
        #expect(errs.contains(#"spec.kubernetesVersion[2]: Invalid value: "v1.31.0": version must be greater than v1.32.0"#))
    }

    // cluster_test.go: class name required, version, upgrade-concurrency.
    @Test func clusterChecks() {
        func errs(_ body: String) -> [String] {
            ClusterAdmission.validate(ClusterModel(KubeObject(json(body)))).map(\.description)
        }
        #expect(errs(#"{"metadata":{"name":"c","namespace":"n"},"spec":{"topology":{"version":"v1.30.0"}}}"#)
            == ["spec.topology.class: Required value: classRef.name cannot be empty"])
        #expect(errs(#"{"metadata":{"name":"c","namespace":"n"},"spec":{"topology":{"classRef":{"name":"x"},"version":"v1.30"}}}"#)
            == [#"spec.topology.version: Invalid value: "v1.30": version must be a valid semantic version"#])
        #expect(errs(#"{"metadata":{"name":"c","namespace":"n","annotations":{"topology.cluster.x-k8s.io/upgrade-concurrency":"0"}},"spec":{"topology":{"classRef":{"name":"x"},"version":"1.30.1"}}}"#)
            == [#"metadata.annotations.topology.cluster.x-k8s.io/upgrade-concurrency: Invalid value: "0": value cannot be less than 1"#])
    }
}
