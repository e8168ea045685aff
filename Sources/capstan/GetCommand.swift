import ArgumentParser
import CapstanCluster
import CapstanModel
import CapstanStore
import CapstanYAML
import Foundation

/// `capstan get KIND [NAME]`: prints objects from the embedded management cluster, read-only (works while
/// the daemon owns the state directory).
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print objects from the embedded management cluster.",
        discussion: """
            KIND is a kind, plural or short name (machine, machines, ma), optionally qualified with its group.
            The state directory is opened read-only, so this works while `capstan run` holds it.

            Examples:
              capstan get clusters -A
              capstan get machines -n team-a -l cluster.x-k8s.io/cluster-name=prod-1
              capstan get kubeadmcontrolplane -n team-a prod-1-abcde -o yaml
            """)

    @Argument(help: "Kind, plural or short name (case-insensitive).")
    var kind: String

    @Argument(help: "Object name (all objects when omitted).")
    var name: String?

    @Option(name: .shortAndLong, help: "Namespace (default: \"default\").")
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List across all namespaces.")
    var allNamespaces = false

    @Option(name: [.customShort("l"), .customLong("selector")], help: "Label selector (a=b,c in (d,e),!f).")
    var selector: String?

    @Option(name: .shortAndLong, help: "Output format: table (default), json, yaml or name.")
    var output: OutputFormat = .table

    @Option(help: "State directory holding cluster.sqlite (default: $CAPSTAN_STATE_DIR or .state).")
    var stateDir: String?

    @Option(help: ArgumentHelp("Current time for AGE (RFC 3339; tests).", visibility: .hidden))
    var now: String?

    /// How objects are printed.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, yaml, name
    }

    func run() async throws {
        do {
            emit(try await render())
        } catch let e as ClusterError {
            FileHandle.standardError.write(Data("Error from server (\(e.reason)): \(e.description)\n".utf8))
            throw ExitCode.failure
        } catch let e as GetError {
            FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            throw ExitCode.failure
        } catch let e as StoreError {
            FileHandle.standardError.write(Data("error: \(e.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func emit(_ lines: String) {
        FileHandle.standardOutput.write(Data(lines.utf8))
    }

    /// The output for these arguments.
    func render() async throws -> String {
        let dir = stateDir ?? ProcessInfo.processInfo.environment["CAPSTAN_STATE_DIR"] ?? ".state"
        let store = try await ClusterStore.open(stateDirectory: dir, readOnly: true)
        defer { try? store.close() }
        let cluster = store.cluster
        let candidates = cluster.kindRegistry.resolve(kind)
        guard let info = candidates.first else {
            throw GetError(message: "the server doesn't have a resource type \"\(kind)\"")
        }
        if candidates.count > 1 {
            let names = candidates.map { "\($0.plural).\($0.group)" }.joined(separator: ", ")
            throw GetError(message: "\"\(kind)\" is ambiguous (\(names)); qualify it with its group")
        }
        let ns: String? = !info.namespaced ? nil : (allNamespaces && name == nil ? nil : (namespace ?? "default"))
        var items: [KubeObject]
        if let name {
            guard let obj = try await cluster.get(info.gvk, namespace: ns ?? "", name: name) else {
                throw ClusterError.notFound(cluster.kindRegistry.ref(ObjectKey(group: info.group, kind: info.kind, namespace: ns ?? "", name: name)))
            }
            items = [obj]
        } else {
            let sel = try selector.map { try LabelSelector(parsing: $0) }
            items = try await cluster.list(info.gvk, namespace: ns, selector: sel).items
        }
        switch output {
        case .json, .yaml:
            let doc: Value = name != nil ? items[0].body
                : .map(["apiVersion": "v1", "kind": "List", "items": .list(items.map(\.body)), "metadata": ["resourceVersion": ""]])
            return output == .json ? JSON.serializePretty(doc) + "\n" : YAML.emit(doc)
        case .name:
            let prefix = info.group.isEmpty ? info.kind.lowercased() : "\(info.kind.lowercased()).\(info.group)"
            return items.map { "\(prefix)/\($0.name)\n" }.joined()
        case .table:
            if items.isEmpty {
                let scope = ns.map { " in \($0) namespace" } ?? ""
                FileHandle.standardError.write(Data("No resources found\(scope).\n".utf8))
                return ""
            }
            let clock = now.flatMap(Timestamp.init(rfc3339:)) ?? SystemClock().now()
            return ObjectTable(kind: info, showNamespace: info.namespaced && ns == nil, now: clock).render(items)
        }
    }
}

/// A user-facing `get` failure.
struct GetError: Error {
    var message: String
}
