public import CapstanCluster
public import CapstanModel

/// An object Capstan wants in the management cluster, with the field manager it applies it with.
public struct IntendedObject: Sendable {
    public var object: KubeObject
    /// `FieldManagers.git` or `FieldManagers.topology`.
    public var manager: String
    /// The topology Cluster the object belongs to (the Cluster itself included); nil for other fleet objects.
    public var cluster: ObjectKey?
    /// True when the object may legitimately not exist yet (the renderer holds its creation).
    public var mayBeAbsent: Bool
    /// Where the object (or the Cluster it is rendered from) is written.
    public var location: SourceLocation?

    public init(object: KubeObject, manager: String, cluster: ObjectKey? = nil, mayBeAbsent: Bool = false, location: SourceLocation? = nil) {
        self.object = object
        self.manager = manager
        self.cluster = cluster
        self.mayBeAbsent = mayBeAbsent
        self.location = location
    }
}

/// A field whose live value is not the desired one.
public struct FieldDrift: Sendable, Hashable, CustomStringConvertible {
    public var path: FieldPath
    /// What Capstan applies.
    public var desired: Value?
    /// What the management cluster holds (nil: the field is missing).
    public var live: Value?
    /// The managers owning the live value now (who changed it), from `managedFields`.
    public var managers: [String]

    public init(path: FieldPath, desired: Value?, live: Value?, managers: [String] = []) {
        self.path = path
        self.desired = desired
        self.live = live
        self.managers = managers
    }

    /// `spec.replicas: desired 3, live 5 (set by kubectl)`.
    public var description: String {
        let live = self.live.map { FieldChange.short($0) } ?? "(missing)"
        let by = managers.isEmpty ? "" : " (set by \(managers.joined(separator: ", ")))"
        return "\(path.display): desired \(FieldChange.short(desired)), live \(live)\(by)"
    }
}

/// How one object differs from what Capstan applied.
public enum DriftState: Sendable, Hashable {
    /// Fields Capstan sets hold other values.
    case drifted([FieldDrift])
    /// Capstan wants the object and it does not exist (or is being deleted).
    case missing
    /// Capstan applied the object, and the fleet no longer wants it (pruning would delete it).
    case notDesired

    /// `drifted`, `missing`, `notDesired`.
    public var name: String {
        switch self {
        case .drifted: "drifted"
        case .missing: "missing"
        case .notDesired: "notDesired"
        }
    }
}

/// One object's drift, and what correcting it did.
public struct ObjectDrift: Sendable, Hashable {
    public var key: ObjectKey
    public var apiVersion: String
    public var state: DriftState
    /// The manager a correction applies with.
    public var manager: String
    public var location: SourceLocation?
    /// Set in correct mode: whether re-applying succeeded.
    public var corrected: Bool?
    /// Set in correct mode when re-applying failed.
    public var error: String?

    public init(key: ObjectKey, apiVersion: String, state: DriftState, manager: String, location: SourceLocation? = nil) {
        self.key = key
        self.apiVersion = apiVersion
        self.state = state
        self.manager = manager
        self.location = location
    }
}

/// The drift of one topology Cluster (its Cluster object and everything rendered from it), or of the
/// fleet's other objects (`cluster == nil`).
public struct DriftReport: Sendable {
    public var cluster: ObjectKey?
    /// Objects compared (desired ones found live, plus inventory objects checked).
    public var checked: Int
    /// Objects with drift, in apply order.
    public var objects: [ObjectDrift]
    /// Problems that kept part of the comparison from happening (a Cluster that does not render).
    public var diagnostics: [Diagnostic]

    public init(cluster: ObjectKey?, checked: Int = 0, objects: [ObjectDrift] = [], diagnostics: [Diagnostic] = []) {
        self.cluster = cluster
        self.checked = checked
        self.objects = objects
        self.diagnostics = diagnostics
    }

    /// No drift and nothing kept the comparison from happening.
    public var isClean: Bool { objects.isEmpty && diagnostics.allSatisfy { $0.severity != .error } }

    /// Counts by state name.
    public var counts: (drifted: Int, missing: Int, notDesired: Int) {
        var c = (drifted: 0, missing: 0, notDesired: 0)
        for o in objects {
            switch o.state {
            case .drifted: c.drifted += 1
            case .missing: c.missing += 1
            case .notDesired: c.notDesired += 1
            }
        }
        return c
    }
}

/// Compares what Capstan applies with what the management cluster holds.
///
/// A field is drift when Capstan's desired configuration sets it and the live value differs — whoever
/// owns it now (an `Update` by `kubectl scale` takes ownership away from the applier, so ownership alone
/// cannot tell). Fields Capstan does not set are never drift: status, defaults filled in by webhooks,
/// fields controllers or other managers add. Keyed lists are matched by key, set lists as sets.
/// `ignoredManagers` hands fields over: a field whose live value one of them owns is not drift (an
/// autoscaler owning `replicas`, say).
public struct DriftDetector: Sendable {
    public var rules: MergeRules
    public var ignoredManagers: Set<String>

    public init(rules: MergeRules = .kubernetes, ignoredManagers: Set<String> = []) {
        self.rules = rules
        self.ignoredManagers = ignoredManagers
    }

    /// The fields of `desired` whose value in `live` differs (Secret values masked).
    public func compare(desired: KubeObject, live: KubeObject) -> [FieldDrift] {
        var d = Normalizer.normalize(Normalizer.resolvePlaceholderOwners(desired, from: live))
        let apiVersion = d.apiVersion
        // Identity is not compared: the version an object is served at, its kind, name and namespace.
        if case .map(var top) = d.body {
            top.removeValue(forKey: "apiVersion")
            top.removeValue(forKey: "kind")
            if case .map(var meta)? = top["metadata"] {
                meta.removeValue(forKey: "name")
                meta.removeValue(forKey: "namespace")
                top["metadata"] = .map(meta)
            }
            d.body = .map(top)
        }
        var walker = Walker(rules: rules, apiVersion: apiVersion)
        walker.walk(d.body, live.body)
        var out: [FieldDrift] = []
        let entries = walker.out.isEmpty ? [] : live.managedFields
        for var f in walker.out {
            f.managers = Array(Set(entries.filter { $0.fields.containsAny(atOrBelow: f.path) }.map(\.manager))).sorted()
            if !ignoredManagers.isEmpty && f.managers.contains(where: ignoredManagers.contains) { continue }
            if SecretMask.isSecret(live.key), let top = f.path.leadingFields.first, SecretMask.maskedFields.contains(top) {
                f.desired = f.desired.map { _ in .string(SecretMask.hidden) }
                f.live = f.live.map { _ in .string(SecretMask.changed) }
            }
            out.append(f)
        }
        return out
    }

    /// Drift per Cluster: desired objects compared with live ones, missing ones, and live objects Capstan
    /// manages that nothing desires any more (except `retained` ones, which something else still needs).
    /// Reports come sorted: fleet-level objects (`cluster == nil`) first, then Clusters by namespace/name.
    public func detect(intended: [IntendedObject], live: [KubeObject], retained: Set<ObjectKey> = []) -> [DriftReport] {
        var liveByKey: [ObjectKey: KubeObject] = [:]
        for o in live { liveByKey[o.key] = o }
        var reports: [ObjectKey?: DriftReport] = [:]
        var clusters = Set<ObjectKey>()
        var desiredKeys = Set<ObjectKey>()
        for item in intended {
            let key = item.object.key
            desiredKeys.insert(key)
            if let c = item.cluster { clusters.insert(c) }
            var report = reports[item.cluster] ?? DriftReport(cluster: item.cluster)
            if let l = liveByKey[key], !l.isDeleting {
                report.checked += 1
                let fields = compare(desired: item.object, live: l)
                if !fields.isEmpty {
                    report.objects.append(ObjectDrift(key: key, apiVersion: item.object.apiVersion, state: .drifted(fields),
                                                      manager: FieldManagers.applier(of: l) ?? item.manager, location: item.location))
                }
            } else if !item.mayBeAbsent {
                report.objects.append(ObjectDrift(key: key, apiVersion: item.object.apiVersion, state: .missing, manager: item.manager, location: item.location))
            }
            reports[item.cluster] = report
        }
        for l in live.sorted(by: { $0.key < $1.key }) where !desiredKeys.contains(l.key) && !retained.contains(l.key) && !l.isDeleting {
            guard FieldManagers.managesAnything(l) else { continue }
            let owner = l.labels["cluster.x-k8s.io/cluster-name"].map {
                ObjectKey(group: "cluster.x-k8s.io", kind: "Cluster", namespace: l.namespace, name: $0)
            }
            let group: ObjectKey? = owner.flatMap { clusters.contains($0) ? $0 : nil }
            var report = reports[group] ?? DriftReport(cluster: group)
            report.checked += 1
            report.objects.append(ObjectDrift(key: l.key, apiVersion: l.apiVersion, state: .notDesired, manager: FieldManagers.applier(of: l) ?? FieldManagers.git))
            reports[group] = report
        }
        return reports.values.sorted { a, b in
            switch (a.cluster, b.cluster) {
            case (nil, _): return b.cluster != nil
            case (_, nil): return false
            case (let x?, let y?): return x < y
            }
        }
    }

    /// Walks the desired configuration and compares each field it sets with the live object.
    struct Walker {
        let rules: MergeRules
        let apiVersion: String
        var path: [PathElement] = []
        var schema: [String] = []
        var out: [FieldDrift] = []

        init(rules: MergeRules, apiVersion: String) {
            self.rules = rules
            self.apiVersion = apiVersion
        }

        mutating func emit(_ d: Value, _ l: Value?) {
            out.append(FieldDrift(path: FieldPath(path), desired: d, live: l))
        }

        mutating func walk(_ d: Value, _ l: Value?) {
            switch d {
            case .null:
                return
            case .map(let dm):
                guard case .map(let lm)? = l else { emit(d, l); return }
                if !schema.isEmpty && rules.isAtomicMap(at: schema[...], apiVersion: apiVersion) {
                    if !ObjectDiff.equal(d, l!) { emit(d, l) }
                    return
                }
                for e in dm where !e.value.isNull {
                    path.append(.field(e.key)); schema.append(e.key)
                    walk(e.value, lm[e.key].flatMap { $0.isNull ? nil : $0 })
                    path.removeLast(); schema.removeLast()
                }
            case .list(let dl):
                guard case .list(let ll)? = l else { emit(d, l); return }
                let type = rules.listType(at: schema[...], apiVersion: apiVersion)
                guard let de = type.itemElements(dl), let le = type.itemElements(ll) else {
                    if !ObjectDiff.equal(d, l!) { emit(d, l) }
                    return
                }
                var liveIndex: [PathElement: Int] = [:]
                for (i, e) in le.enumerated() { liveIndex[e] = i }
                schema.append("[]")
                for (i, e) in de.enumerated() {
                    path.append(e)
                    if let j = liveIndex[e] {
                        if case .map = type { walk(dl[i], ll[j]) }
                    } else {
                        emit(dl[i], nil)
                    }
                    path.removeLast()
                }
                schema.removeLast()
            default:
                if l != d { emit(d, l) }
            }
        }
    }
}
