public import CapstanFleet
public import CapstanModel
import CapstanYAML

/// A policy test file (`capstan-policy-test.yaml`, kind `PolicyTest`): which policy files and fixture
/// files to load, and the verdict expected for each fixture object (docs/policies.md has the format).
public struct PolicyTestSuite: Sendable {
    /// The outcome of evaluating one object, strongest first.
    public enum Outcome: String, Sendable, Hashable {
        /// A verdict with the Deny action.
        case deny
        /// Verdicts, none denying, one warning.
        case warn
        /// Only Audit verdicts.
        case audit
        /// Evaluated by a matching binding, no verdict.
        case pass
        /// No binding matched (or match conditions were false).
        case skip
    }

    /// One expected verdict.
    public struct Case: Sendable {
        /// `name (resource)`, or the resource alone.
        public var title: String { name.map { "\($0) (\(resource))" } ?? resource }

        /// A description (optional).
        public var name: String?
        /// `Kind namespace/name` (or `Kind name`) of an object in the resource files.
        public var resource: String
        /// Only verdicts of this policy count (default: every policy loaded).
        public var policy: String?
        public var operation: AdmissionOperation?
        /// The previous version for an UPDATE (inline in the test file).
        public var oldObject: KubeObject?
        public var expect: Outcome
        /// A substring one of the verdicts' messages must contain.
        public var message: String?
        public var location: SourceLocation
    }

    /// What a case produced.
    public struct Result: Sendable {
        public var testCase: Case
        public var passed: Bool
        public var outcome: Outcome?
        /// What went wrong, or the messages seen.
        public var detail: String
    }

    public static let kind = "PolicyTest"
    public static let fileName = "capstan-policy-test.yaml"

    public let name: String
    public let location: SourceLocation
    /// Policy files, relative to the test file's directory.
    public let policyFiles: [String]
    /// Fixture files (objects under test, Namespaces, parameter objects), relative to the test file.
    public let resourceFiles: [String]
    public let cases: [Case]
    /// Problems with the test file itself.
    public let problems: [Diagnostic]

    /// Reads a `PolicyTest` object.
    public init(_ object: FleetObject) {
        var reader = SpecReader(object)
        name = object.object.name
        location = object.location
        policyFiles = reader.strings(["policies"])
        resourceFiles = reader.strings(["resources"])
        if policyFiles.isEmpty { reader.problem("policies must list at least one policy file", at: ["policies"]) }
        var cases: [Case] = []
        for (i, _) in reader.list(["cases"]).enumerated() {
            let p: [PathElement] = ["cases", .index(i)]
            guard let resource = reader.string(p + ["resource"], required: true) else { continue }
            guard let expect = reader.choice(p + ["expect"], Outcome.self) else {
                if reader.value(p + ["expect"]) == nil { reader.problem("required field is missing (pass, deny, warn, audit or skip)", at: p + ["expect"]) }
                continue
            }
            var old: KubeObject?
            if reader.isMap(p + ["oldObject"]), let v = reader.value(p + ["oldObject"]) { old = KubeObject(v) }
            cases.append(Case(
                name: reader.string(p + ["name"]), resource: resource,
                policy: reader.string(p + ["policy"]), operation: reader.choice(p + ["operation"], AdmissionOperation.self),
                oldObject: old, expect: expect, message: reader.string(p + ["message"]), location: reader.location(p)))
        }
        if cases.isEmpty { reader.problem("cases must list at least one case", at: ["cases"]) }
        self.cases = cases
        problems = reader.diagnostics
    }

    /// Runs every case with `engine` over the fixture objects `resources`.
    public func run(engine: PolicyEngine, resources: [FleetObject]) -> [Result] {
        let policyNames = Set(engine.policies.map(\.name))
        return cases.map { c in
            guard let fixture = resources.first(where: { Self.identifies(c.resource, $0.key) }) else {
                return Result(testCase: c, passed: false, outcome: nil, detail: "no object \(c.resource) in the resource files")
            }
            if let policy = c.policy, !policyNames.contains(policy) {
                return Result(testCase: c, passed: false, outcome: nil, detail: "no policy named \(policy) in the policy files")
            }
            let request: AdmissionRequest
            switch c.operation ?? (c.oldObject == nil ? .create : .update) {
            case .update:
                guard let old = c.oldObject else {
                    return Result(testCase: c, passed: false, outcome: nil, detail: "operation UPDATE needs oldObject")
                }
                request = .update(fixture.object, from: old, at: fixture.location)
            case .delete:
                request = .delete(fixture.object, at: fixture.location)
            case .create, .connect:
                request = AdmissionRequest(operation: c.operation ?? .create, object: fixture.object, location: fixture.location)
            }
            let evaluation = engine.evaluate(request)
            let verdicts = evaluation.verdicts.filter { c.policy == nil || $0.policy == c.policy }
            let evaluated = evaluation.evaluated.contains { c.policy == nil || $0.policy == c.policy }
            let outcome = Self.outcome(verdicts, evaluated: evaluated)
            var passed = outcome == c.expect
            var detail = verdicts.map { "\($0.policy): \($0.primaryAction.rawValue): \($0.message)" }.joined(separator: "; ")
            if passed, let needle = c.message, !verdicts.contains(where: { $0.message.contains(needle) }) {
                passed = false
                detail = "no message contains \"\(needle)\"" + (detail.isEmpty ? "" : "; got " + detail)
            }
            return Result(testCase: c, passed: passed, outcome: outcome, detail: detail)
        }
    }

    /// The strongest outcome of a set of verdicts.
    static func outcome(_ verdicts: [PolicyVerdict], evaluated: Bool) -> Outcome {
        if verdicts.contains(where: { $0.actions.contains(.deny) }) { return .deny }
        if verdicts.contains(where: { $0.actions.contains(.warn) }) { return .warn }
        if !verdicts.isEmpty { return .audit }
        return evaluated ? .pass : .skip
    }

    /// True when `reference` (`Kind ns/name` or `Kind name`) names `key`.
    static func identifies(_ reference: String, _ key: ObjectKey) -> Bool {
        let parts = reference.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == key.kind else { return false }
        if let slash = parts[1].firstIndex(of: "/") {
            return parts[1][..<slash] == key.namespace && parts[1][parts[1].index(after: slash)...] == key.name
        }
        return key.name == parts[1] && key.namespace.isEmpty
    }
}
