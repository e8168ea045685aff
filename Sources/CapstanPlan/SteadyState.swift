import CapstanDiff
public import CapstanModel
public import CapstanTopology
public import CapstanFleet

/// The live state a plan assumes when none is given: the base revision applied and settled. Every rendered
/// object exists as rendered, each control plane reports the version it was asked for (so it is neither
/// provisioning nor upgrading), and each Cluster has a uid (the placeholder, so owner references compare
/// equal with the base render). Rendering the head revision against it shows what merging starts: which
/// templates rotate, which upgrades begin and which wait.
public enum SteadyState {
    /// Live objects for `snapshot` applied and settled (rendered with no live state first).
    public static func objects(settling snapshot: FleetSnapshot) -> [KubeObject] {
        objects(from: Planner.renderFleet(TopologyRenderer(fleet: FleetIndex(snapshot: snapshot))))
    }

    /// Live objects for a settled base render.
    public static func objects(from render: FleetRender) -> [KubeObject] {
        var out: [KubeObject] = []
        for c in render.clusters where !c.failed {
            for d in c.objects {
                var o = d.object
                switch d.role {
                case .cluster:
                    o.body[path: ["metadata", "uid"]] = .string(Normalizer.placeholderUID)
                case .controlPlane:
                    if let v = o.body[path: ["spec", "version"]] { o.body[path: ["status", "version"]] = v }
                default:
                    break
                }
                out.append(o)
            }
        }
        return out
    }
}
