import CapstanModel
import Testing

@testable import CapstanTemplate

/// The worked inline-patch example of spec §8.4, rendered the way the patch engine renders it.
@Suite struct PatchExampleTests {
    static let valueTemplate = """
        path: /etc/proxy.env
        content: |
          HTTPS_PROXY={{ .proxy.url }}
          NO_PROXY={{ .proxy.noProxy | join "," }},{{ .builtin.cluster.network.serviceDomain }}

        """
    static let enabledIf = "{{ if .proxy }}true{{ end }}"

    static let variables = json(#"""
        {"proxy":{"url":"http://p:3128","noProxy":["a","b"]},
         "builtin":{"cluster":{"name":"c1","network":{"serviceDomain":"cluster.local"}},
                    "machineDeployment":{"class":"linux-small","topologyName":"md-0"}}}
        """#)

    @Test func valueTemplateRendersTheProxyFile() throws {
        let out = try GoTemplate(Self.valueTemplate).execute(json: Self.variables)
        #expect(out == "path: /etc/proxy.env\ncontent: |\n  HTTPS_PROXY=http://p:3128\n  NO_PROXY=a,b,cluster.local\n")
    }

    @Test func enabledIfIsTrueWithTheVariable() throws {
        #expect(try GoTemplate(Self.enabledIf).execute(json: Self.variables) == "true")
    }

    @Test func withoutTheVariableEnabledIfIsEmptyAndTheValuePrintsNoValue() throws {
        let noProxy = json(#"{"builtin":{"cluster":{"network":{"serviceDomain":"cluster.local"}}}}"#)
        #expect(try GoTemplate(Self.enabledIf).execute(json: noProxy) == "")
        // join over a missing list: strslice(nil) is empty, so only the separator-free remainder is left.
        let out = try GoTemplate(Self.valueTemplate).execute(json: noProxy)
        #expect(out == "path: /etc/proxy.env\ncontent: |\n  HTTPS_PROXY=<no value>\n  NO_PROXY=,cluster.local\n")
    }

    /// Per-item builtins make a patch apply to some templates only (spec §8.2).
    @Test func enabledIfOnHolderBuiltins() throws {
        let t = try GoTemplate(#"{{ if hasPrefix "linux-" .builtin.machineDeployment.class }}true{{ end }}"#)
        #expect(try t.execute(json: Self.variables) == "true")
        let windows = json(#"{"builtin":{"machineDeployment":{"class":"win-large"}}}"#)
        #expect(try t.execute(json: windows) == "")
    }

    /// A typical version-gated patch value.
    @Test func semverGate() throws {
        let t = try GoTemplate(#"{{ if semverCompare ">= 1.29.0" .builtin.controlPlane.version }}kubeletExtraArgs{{ else }}legacy{{ end }}"#)
        #expect(try t.execute(json: json(#"{"builtin":{"controlPlane":{"version":"v1.30.2"}}}"#)) == "kubeletExtraArgs")
        #expect(try t.execute(json: json(#"{"builtin":{"controlPlane":{"version":"v1.28.9"}}}"#)) == "legacy")
    }
}
