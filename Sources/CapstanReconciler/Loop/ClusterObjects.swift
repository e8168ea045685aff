import CapstanFleet
import CapstanModel
import CapstanTopology

/// Turns a Cluster's render into the objects to apply: the Cluster split between what Git says (field manager
/// `capstan`) and what the topology owns (`capstan-topology`: the infrastructure and control-plane references,
/// topology labels and annotations), then every rendered object with the fleet label.
enum ClusterObjects {
    /// Apply order of the Cluster's Git part: before everything, so its uid exists for owner references.
    static let gitPartOrder = 0

    static func planned(render: ClusterRender, source: FleetObject, fleet: String, force: Bool, includeGitPart: Bool = true) -> [PlannedObject] {
        var out: [PlannedObject] = []
        for d in render.objects {
            if case .cluster = d.role {
                let (git, topology) = split(cluster: d.object, source: source.object)
                if includeGitPart {
                    out.append(PlannedObject(object: labelled(git, fleet: fleet, source: source), manager: Vocabulary.gitManager, force: force,
                                             order: gitPartOrder, location: source.location))
                }
                out.append(PlannedObject(object: topology, manager: Vocabulary.topologyManager, force: true, order: d.applyOrder,
                                         hints: d.hints, location: source.location))
            } else {
                var o = d.object
                o.labels[Vocabulary.fleetLabel] = fleet
                out.append(PlannedObject(object: o, manager: Vocabulary.topologyManager, force: true, order: d.applyOrder,
                                         hints: d.hints, location: source.location))
            }
        }
        return out.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }

    /// The fleet label, and for Git objects the source annotation (`path:line`).
    static func labelled(_ object: KubeObject, fleet: String, source: FleetObject?) -> KubeObject {
        var o = object
        o.labels[Vocabulary.fleetLabel] = fleet
        if let source { o.annotations[Vocabulary.sourceAnnotation] = "\(source.location.file):\(source.location.line)" }
        o.status = nil
        return o
    }

    /// The rendered Cluster as two apply configurations: the Git intent (everything but the references and
    /// the labels/annotations the Git document does not carry) and the topology part (just those).
    static func split(cluster rendered: KubeObject, source: KubeObject) -> (git: KubeObject, topology: KubeObject) {
        var git = rendered
        git.status = nil
        var topology = KubeObject(apiVersion: rendered.apiVersion, kind: rendered.kind, namespace: rendered.namespace, name: rendered.name)
        for ref in ["infrastructureRef", "controlPlaneRef"] {
            if let v = rendered.body[path: ["spec", ref]] {
                topology.body[path: ["spec", ref]] = v
                git.body[path: ["spec", ref]] = nil
            }
        }
        let gitLabels = source.labels, gitAnnotations = source.annotations
        var labels = git.labels, annotations = git.annotations
        var topoLabels: [String: String] = [:], topoAnnotations: [String: String] = [:]
        for (k, v) in labels where gitLabels[k] == nil {
            topoLabels[k] = v
            labels[k] = nil
        }
        for (k, v) in annotations where gitAnnotations[k] == nil {
            topoAnnotations[k] = v
            annotations[k] = nil
        }
        git.labels = labels
        git.annotations = annotations
        topology.labels = topoLabels
        topology.annotations = topoAnnotations
        return (git, topology)
    }
}
