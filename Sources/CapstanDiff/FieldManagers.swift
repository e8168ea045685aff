public import CapstanModel

/// The field-manager names Capstan writes with (server-side apply), shared by the daemon, `capstan drift`
/// and the tests so that ownership read back from `managedFields` means the same thing everywhere.
public enum FieldManagers {
    /// Objects written in Git and applied as they are (Namespaces, ClusterClasses, templates, the Cluster).
    public static let git = "capstan"
    /// Objects the topology renderer generates for a Cluster (control plane, MachineDeployments, templates).
    public static let topology = "capstan-topology"
    /// Every manager Capstan applies with.
    public static let all: Set<String> = [git, topology]

    /// The manager that applies an object: the Git one for objects written in the repository (a topology
    /// Cluster included, since Git holds it), the topology one for rendered objects.
    public static func manager(rendered: Bool) -> String { rendered ? topology : git }

    /// The Capstan manager that last applied `live`, when exactly one did (so a re-apply keeps ownership
    /// where it already is, whichever side applied it first).
    public static func applier(of live: KubeObject) -> String? {
        let appliers = Set(live.body[path: ["metadata", "managedFields"]]?.listValue?.compactMap { entry -> String? in
            guard entry["operation"]?.stringValue == "Apply", let m = entry["manager"]?.stringValue, all.contains(m) else { return nil }
            return m
        } ?? [])
        return appliers.count == 1 ? appliers.first : nil
    }

    /// Whether a Capstan manager owns anything in `live` (the object is in Capstan's inventory).
    public static func managesAnything(_ live: KubeObject) -> Bool {
        live.body[path: ["metadata", "managedFields"]]?.listValue?.contains { entry in
            entry["manager"].flatMap(\.stringValue).map(all.contains) ?? false
        } ?? false
    }
}
