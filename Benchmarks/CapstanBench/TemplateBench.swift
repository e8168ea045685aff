import ArgumentParser
import CapstanModel
import CapstanTemplate

/// `capstan-bench template`: executions per second of a typical ClusterClass patch template (the proxy
/// example of the variables/patches spec §8.4) on one core, plus parse cost.
struct TemplateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Go text/template + sprig: parse and execute a patch template.")

    @Option(help: "Executions to time.") var iterations = 200_000
    @Option(help: "Template text to time instead of the built-in patch template.") var text: String?

    static let text = """
        path: /etc/proxy.env
        content: |
          HTTPS_PROXY={{ .proxy.url }}
          NO_PROXY={{ .proxy.noProxy | join "," }},{{ .builtin.cluster.network.serviceDomain }}
        {{- if semverCompare ">= 1.29.0" .builtin.controlPlane.version }}
        owner: root:root
        {{- end }}

        """

    static let variables = """
        {"proxy":{"url":"http://p:3128","noProxy":["a","b","10.0.0.0/8"]},
         "builtin":{"cluster":{"name":"c1","namespace":"fleet-a","network":{"serviceDomain":"cluster.local"}},
                    "controlPlane":{"version":"v1.30.2","replicas":3},
                    "machineDeployment":{"class":"linux-small","topologyName":"md-0","replicas":5}}}
        """

    func run() throws {
        let data = try JSON.parse(Self.variables)
        let clock = ContinuousClock()

        let parseCount = max(iterations / 20, 1)
        var parsed: GoTemplate?
        let parseTime = try clock.measure {
            for _ in 0..<parseCount { parsed = try GoTemplate(text ?? Self.text) }
        }
        let template = parsed!

        // Sanity: the output must be what the spec's example expects.
        let sample = try template.execute(json: data)
        guard text != nil || sample.contains("NO_PROXY=a,b,10.0.0.0/8,cluster.local") else {
            throw ValidationError("unexpected output: \(sample)")
        }

        var bytes = 0
        let execTime = try clock.measure {
            for _ in 0..<iterations { bytes &+= try template.execute(json: data).utf8.count }
        }
        let converted = TemplateValue(json: data)
        let execOnlyTime = try clock.measure {
            for _ in 0..<iterations { bytes &+= try template.execute(converted).utf8.count }
        }

        func perSecond(_ d: Duration, _ n: Int) -> String {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return String(Int(Double(n) / seconds))
        }
        func microseconds(_ d: Duration, _ n: Int) -> String {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            let us = seconds / Double(n) * 1e6
            return String(Double(Int(us * 100)) / 100)
        }
        print("parse:                    \(perSecond(parseTime, parseCount))/s (\(microseconds(parseTime, parseCount)) µs each)")
        print("execute(json:) incl. data conversion: \(perSecond(execTime, iterations))/s (\(microseconds(execTime, iterations)) µs each)")
        print("execute(prepared data):   \(perSecond(execOnlyTime, iterations))/s (\(microseconds(execOnlyTime, iterations)) µs each)")
        print("(\(bytes) bytes rendered)")
    }
}
