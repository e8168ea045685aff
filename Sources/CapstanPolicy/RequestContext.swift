import CapstanCEL
import CapstanModel

/// The CEL values of one request, built once and shared by every policy it matches.
struct RequestContext {
    let object: CELValue
    let oldObject: CELValue
    let request: CELValue
    let namespaceObject: CELValue

    /// The fixed identity offline evaluations run as (docs/policies.md).
    static let userInfo: Value = [
        "username": "capstan", "groups": ["system:authenticated", "capstan:offline"],
    ]

    init(request r: AdmissionRequest, target: MatchTarget, engine: PolicyEngine) {
        object = r.object.map { CELValue($0.body) } ?? .null
        oldObject = r.oldObject.map { CELValue($0.body) } ?? .null
        let gvk = r.subject.gvk
        let kind: Value = ["group": .string(gvk.group), "version": .string(gvk.version), "kind": .string(gvk.kind)]
        let resource: Value = ["group": .string(gvk.group), "version": .string(gvk.version), "resource": .string(target.resource)]
        var attributes: ObjectMap = [
            "uid": "00000000-0000-0000-0000-000000000000", "kind": kind, "resource": resource, "requestKind": kind,
            "requestResource": resource, "name": .string(target.name),
        ]
        if target.namespaced { attributes["namespace"] = .string(target.namespace) }
        attributes["operation"] = .string(r.operation.rawValue)
        attributes["userInfo"] = Self.userInfo
        attributes["dryRun"] = false
        request = CELValue(.map(attributes))
        if target.namespaced {
            namespaceObject = CELValue(Self.namespaceObject(target.namespace, engine.params.namespace(named: target.namespace)))
        } else {
            namespaceObject = .null
        }
    }

    /// The Namespace as `namespaceObject`: the repository's object with the `kubernetes.io/metadata.name`
    /// label the apiserver adds, or a minimal Namespace when the repository does not define it.
    static func namespaceObject(_ name: String, _ defined: KubeObject?) -> Value {
        var ns = defined ?? KubeObject(apiVersion: "v1", kind: "Namespace", name: name)
        var labels = ns.labels
        labels["kubernetes.io/metadata.name"] = name
        ns.labels = labels
        return ns.body
    }
}
