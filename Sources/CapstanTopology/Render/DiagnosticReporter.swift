import CapstanModel

/// Turns render failures into `Diagnostic`s that name the Cluster and the file:line of the element at
/// fault (a Cluster variable, a ClusterClass variable or patch, a template).
final class DiagnosticReporter {
    let cluster: SourceObject
    let renderer: TopologyRenderer
    var classContext: ClassContext?

    init(cluster: SourceObject, renderer: TopologyRenderer) {
        self.cluster = cluster
        self.renderer = renderer
    }

    var objectName: String { "Cluster \(cluster.object.namespace)/\(cluster.object.name)" }

    /// `Cluster.cluster.x-k8s.io "c1" is invalid: ...`, located at the first field at fault.
    func invalidCluster(_ errs: [FieldError]) -> TopologyError {
        TopologyError(errs.invalidMessage(kind: "Cluster.cluster.x-k8s.io", name: cluster.object.name),
                      origin: errs.first.map { .cluster(Self.pointer($0.field, in: cluster.object.body)) })
    }

    /// `ClusterClass.cluster.x-k8s.io "cc" is invalid: ...`, located at the first class element at fault.
    func invalidClass(_ ctx: ClassContext) -> TopologyError {
        let body = ctx.source?.object.body ?? ctx.model.object.body
        return TopologyError(ctx.admissionErrors.invalidMessage(kind: "ClusterClass.cluster.x-k8s.io", name: ctx.key.name),
                             origin: ctx.admissionErrors.first.map { .clusterClass(Self.pointer($0.field, in: body)) })
    }

    /// JSON pointer tokens for a field path, resolving `[key]` steps to the list index whose `name`
    /// (or `class`) equals the key.
    static func pointer(_ path: FieldPath, in root: Value) -> [String] {
        var tokens: [String] = []
        var node: Value? = root
        for step in path.steps {
            switch step {
            case .child(let n):
                tokens.append(n)
                node = node?[n]
            case .index(let i):
                tokens.append(String(i))
                node = node?[i]
            case .key(let k):
                guard let list = node?.listValue,
                      let i = list.firstIndex(where: { $0["name"]?.stringValue == k || $0["class"]?.stringValue == k }) else {
                    return tokens
                }
                tokens.append(String(i))
                node = list[i]
            }
        }
        return tokens
    }

    func location(_ origin: ErrorOrigin?) -> SourceLocation? {
        switch origin {
        case .cluster(let tokens)?:
            return cluster.location(of: tokens)
        case .clusterClass(let tokens)?:
            return classContext?.source?.location(of: tokens)
        case .object(let key, let tokens)?:
            return renderer.fleet.source(key)?.location(of: tokens)
        case nil:
            return nil
        }
    }

    func error(_ e: TopologyError) -> Diagnostic {
        let at = location(e.origin)
        var message = e.message
        if let at, let own = cluster.location, at.file != own.file || at.line != own.line {
            let what: String
            switch e.origin {
            case .clusterClass?: what = classContext?.displayName ?? "ClusterClass"
            case .object(let k, _)?: what = k.description
            default: what = objectName
            }
            message += " (\(what) at \(at); Cluster at \(own))"
        }
        return Diagnostic(.error, at: at ?? cluster.location, object: objectName, message: message)
    }

    func warning(_ message: String) -> Diagnostic {
        Diagnostic(.warning, at: cluster.location, object: objectName, message: message)
    }
}
