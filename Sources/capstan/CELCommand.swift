import ArgumentParser
import CapstanCEL
import CapstanModel
import CapstanYAML
import Foundation

/// `capstan cel`: evaluates a CEL expression for policy authors, against objects read from YAML or
/// JSON files, or (with `--jsonl`) evaluates one typed-JSON request per stdin line. See docs/cel.md.
struct CELCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cel",
        abstract: "Evaluate a CEL expression (Kubernetes CEL libraries) against YAML/JSON objects.",
        discussion: """
            Variables: `object` (--object) and `oldObject` (--old-object) are always declared (null when not given); \
            --var NAME=FILE binds more. Prints the result as a CEL literal and its type. \
            With --jsonl, each stdin line is {"expr": "...", "bindings": {"name": VALUE}} and each output line \
            {"value": VALUE} or {"error": "message"}, VALUE in typed JSON (docs/cel.md).

            Examples:
              capstan cel '1 + 2'
              capstan cel 'object.spec.topology.controlPlane.replicas % 2 == 1' --object fleet-example/clusters/team-a/prod-1.yaml
              capstan cel 'semver(object.spec.topology.version.substring(1)).isGreaterThan(semver("1.30.0"))' --object cluster.yaml
              echo '{"expr": "x * 2", "bindings": {"x": {"int": "21"}}}' | capstan cel --jsonl
            """)

    @Argument(help: "The CEL expression (omit with --jsonl).") var expression: String?
    @Option(help: "YAML or JSON file bound to `object`.") var object: String?
    @Option(name: .customLong("old-object"), help: "YAML or JSON file bound to `oldObject`.") var oldObject: String?
    @Option(name: .customLong("var"), help: "Bind NAME to the YAML/JSON document in FILE (repeatable).")
    var vars: [String] = []
    @Option(name: .customLong("cost-limit"), help: "Evaluation cost limit (Kubernetes' per-expression limit by default).")
    var costLimit: Int = CELLimits.default.costLimit
    @Flag(help: "Read typed-JSON requests from stdin, one per line; write one result per line.") var jsonl = false

    func run() throws {
        let limits = CELLimits(costLimit: costLimit)
        if jsonl {
            guard expression == nil, object == nil, oldObject == nil, vars.isEmpty else {
                throw ValidationError("--jsonl reads expressions and bindings from stdin; do not pass EXPR, --object, --old-object or --var")
            }
            var session = JSONLSession(limits: limits)
            if !session.run() { throw ExitCode(1) }
            return
        }
        guard let expression else { throw ValidationError("missing the CEL expression (or pass --jsonl)") }
        var bindings: [String: CELValue] = ["object": .null, "oldObject": .null]
        do {
            if let object { bindings["object"] = CELValue(try Self.readDocument(object)) }
            if let oldObject { bindings["oldObject"] = CELValue(try Self.readDocument(oldObject)) }
            for v in vars {
                guard let eq = v.firstIndex(of: "="), !v[..<eq].isEmpty else {
                    throw CommandFailure("--var expects NAME=FILE, got '\(v)'")
                }
                let name = String(v[..<eq])
                guard name.first.map({ $0 == "_" || $0.isLetter }) == true, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
                    throw CommandFailure("--var name '\(name)' is not a CEL identifier")
                }
                bindings[name] = CELValue(try Self.readDocument(String(v[v.index(after: eq)...])))
            }
        } catch let failure as CommandFailure {
            Self.fail(failure.message)
        }
        let environment = CELEnvironment.kubernetes.declaring(bindings.keys)
        let program: CELProgram
        do {
            program = try CELProgram(expression, environment: environment)
        } catch {
            Self.fail(error.description)
        }
        switch program.evaluate(bindings, limits: limits) {
        case .success(let value):
            print("\(value.literal) : \(Self.typeName(value))")
        case .failure(let error):
            Self.fail(error.description)
        }
    }

    /// The runtime type, with list element types spelled out when uniform (`list(string)`).
    static func typeName(_ v: CELValue) -> String {
        switch v {
        case .list(let l):
            let types = Set(l.map { typeName($0) })
            return types.count == 1 ? "list(\(types.first!))" : "list(dyn)"
        case .map(let m):
            let keys = Set(m.keys.map { typeName($0) })
            let values = Set(m.entries.map { typeName($0.value) })
            return "map(\(keys.count == 1 ? keys.first! : "dyn"), \(values.count == 1 ? values.first! : "dyn"))"
        case .optional(let o):
            return "optional_type(\(o.value.map { typeName($0) } ?? "dyn"))"
        default:
            return v.celType.name
        }
    }

    /// The first document of a YAML or JSON file, typed as Kubernetes reads manifests.
    static func readDocument(_ path: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path)")
        }
        do {
            let docs = try YAML.parseStream(Array(data), file: path)
            return docs.first?.value ?? .null
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("capstan cel: " + message + "\n").utf8))
        Foundation.exit(1)
    }
}

/// A user-facing failure message.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// `capstan cel --jsonl`: one request per line in, one result per line out. Programs are cached by
/// expression and declared variable names, so repeated expressions compile once.
struct JSONLSession {
    let limits: CELLimits
    var cache: [String: Result<CELProgram, CELError>] = [:]

    init(limits: CELLimits) { self.limits = limits }

    /// Processes stdin; false if any line was not a valid request.
    mutating func run() -> Bool {
        var ok = true
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let result: Value
            switch handle(line) {
            case .success(let v): result = ["value": v.typedJSON]
            case .failure(let e):
                if e.kind == .conversion { ok = false }
                let located = e.location.map { "\($0): " } ?? ""
                let prefix = e.kind == .conversion ? "line \(lineNumber): " : ""
                result = ["error": .string(prefix + located + e.message)]
            }
            print(JSON.serialize(result))
        }
        return ok
    }

    mutating func handle(_ line: String) -> Result<CELValue, CELError> {
        let request: Value
        do { request = try JSON.parse(line) } catch {
            return .failure(CELError(.conversion, "invalid JSON: \(error.description)"))
        }
        guard case .string(let expr) = request["expr"] ?? .null else {
            return .failure(CELError(.conversion, "request needs \"expr\": a string"))
        }
        var bindings: [String: CELValue] = [:]
        if let b = request["bindings"] {
            guard case .map(let m) = b else { return .failure(CELError(.conversion, "\"bindings\" must be an object")) }
            for e in m.entries {
                do { bindings[e.key] = try CELValue(typedJSON: e.value) } catch {
                    return .failure(CELError(.conversion, "binding \(e.key): \(error.message)"))
                }
            }
        }
        let key = bindings.keys.sorted().joined(separator: ",") + "\u{0}" + expr
        let compiled: Result<CELProgram, CELError>
        if let hit = cache[key] {
            compiled = hit
        } else {
            do {
                compiled = .success(try CELProgram(expr, environment: CELEnvironment.kubernetes.declaring(bindings.keys)))
            } catch {
                compiled = .failure(error)
            }
            cache[key] = compiled
        }
        switch compiled {
        case .success(let program): return program.evaluate(bindings, limits: limits)
        case .failure(let e): return .failure(e)
        }
    }
}
