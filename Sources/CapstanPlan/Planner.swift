import CapstanCluster
import CapstanDiff
public import CapstanFleet
public import CapstanModel
import CapstanPolicy
import CapstanTopology
import CapstanYAML
import Dispatch

/// What `capstan plan` compares: two fleet revisions, optionally the live state, and extra policies.
public struct PlanInput: Sendable {
    public var base: FleetSnapshot
    public var baseLabel: String
    public var head: FleetSnapshot
    public var headLabel: String
    /// Existing objects (files or a management cluster); nil assumes the base revision applied and settled.
    public var live: [KubeObject]?
    public var liveLabel: String
    /// Policies, bindings and parameters from `--policies` directories (the fleet's own are always used).
    public var policyObjects: [FleetObject]

    public init(base: FleetSnapshot, baseLabel: String, head: FleetSnapshot, headLabel: String, live: [KubeObject]? = nil,
                liveLabel: String = "", policyObjects: [FleetObject] = []) {
        self.base = base
        self.baseLabel = baseLabel
        self.head = head
        self.headLabel = headLabel
        self.live = live
        self.liveLabel = liveLabel
        self.policyObjects = policyObjects
    }
}

/// Computes a `Plan`: renders both revisions through the one renderer, compares per Cluster, traces the
/// Git changes, estimates machine impact and evaluates policies on what changes. Pure: no I/O.
public enum Planner {
    /// The plan for `input`. Never throws: problems in either revision become diagnostics in the plan.
    public static func plan(_ input: PlanInput) -> Plan {
        let baseErrors = input.base.diagnostics.filter { $0.severity == .error }
        let headErrors = input.head.diagnostics.filter { $0.severity == .error }
        let liveSource: LiveStateSource = input.live == nil ? .assumedFromBase : .given(input.liveLabel)
        var plan = Plan(
            base: RevisionSummary(label: input.baseLabel, errors: baseErrors, objectCount: input.base.objects.count),
            head: RevisionSummary(label: input.headLabel, errors: headErrors, objectCount: input.head.objects.count),
            liveState: liveSource)
        // A revision that does not load would show its unreadable files as deletions: compare nothing.
        guard baseErrors.isEmpty && headErrors.isEmpty else { return plan }

        let baseIndex = FleetIndex(snapshot: input.base), headIndex = FleetIndex(snapshot: input.head)
        let baseRender: FleetRender
        let headRenderer: TopologyRenderer
        if let live = input.live {
            let index = LiveObjectIndex(live)
            baseRender = renderFleet(TopologyRenderer(fleet: baseIndex, live: index))
            headRenderer = TopologyRenderer(fleet: headIndex, live: index)
        } else {
            baseRender = renderFleet(TopologyRenderer(fleet: baseIndex))
            headRenderer = TopologyRenderer(fleet: headIndex, live: LiveObjectIndex(SteadyState.objects(from: baseRender)))
        }
        var baseByKey: [ObjectKey: ClusterRender] = [:]
        for c in baseRender.clusters { baseByKey[c.cluster] = c }
        // A Cluster whose inputs (its object, its ClusterClass and templates, the CRDs) are the same in both
        // revisions renders the same against the same live state: it is not rendered again.
        let inputs = InputComparison(base: input.base, head: input.head)
        let toRender = headIndex.topologyClusters.filter { baseByKey[$0] == nil || !inputs.unchanged(cluster: $0) }
        let headRendered = concurrentMap(toRender) { headRenderer.render(cluster: $0) }
        var headByKey: [ObjectKey: ClusterRender] = [:]
        for c in headRendered { headByKey[c.cluster] = c }
        let headKeys = Set(headIndex.topologyClusters)
        let rendered = Set(headIndex.topologyClusters)
        let headPassthrough = headIndex.objects.filter { !rendered.contains($0.object.key) }
        plan.base.clusterCount = baseRender.clusters.count
        plan.head.clusterCount = headIndex.topologyClusters.count

        let diff = ObjectDiff()
        let context = Context(input: input, diff: diff, sources: SourceChanges(base: input.base, head: input.head, diff: diff),
                              engine: PolicyEngine(objects: input.head.objects + input.policyObjects),
                              hunks: YAMLHunks(emit: { YAML.emit($0) }))
        let keys = Set(baseByKey.keys).union(headKeys).sorted()
        let (baseClusters, headClusters) = (baseByKey, headByKey)
        plan.clusters = concurrentMap(keys) { key in
            if headKeys.contains(key), headClusters[key] == nil, let same = baseClusters[key] {
                return ClusterPlanner.unchanged(key: key, render: same, context: context)
            }
            return ClusterPlanner(key: key, base: baseClusters[key], head: headClusters[key], context: context).plan()
        }
        plan.fleetObjects = FleetObjectPlanner(context: context, base: baseRender.passthrough, head: headPassthrough,
                                               rendered: Set(baseByKey.keys).union(headKeys)).plan()
        plan.problems = context.engine.diagnostics + headRenderer.unusedClassDiagnostics()
        return plan
    }

    /// Renders every topology Cluster on all cores (rendering shares nothing mutable).
    static func renderFleet(_ renderer: TopologyRenderer) -> FleetRender {
        let clusters = concurrentMap(renderer.fleet.topologyClusters) { renderer.render(cluster: $0) }
        let rendered = Set(renderer.fleet.topologyClusters)
        return FleetRender(clusters: clusters, passthrough: renderer.fleet.objects.filter { !rendered.contains($0.object.key) },
                           diagnostics: renderer.unusedClassDiagnostics())
    }

    /// `transform` over `items` on all cores, results in order.
    static func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        if items.count < 8 { return items.map(transform) }
        let results = ResultBox<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in results.set(i, transform(items[i])) }
        return results.values
    }

    /// Shared, read-only inputs of every Cluster's planning.
    struct Context: Sendable {
        let input: PlanInput
        let diff: ObjectDiff
        let sources: SourceChanges
        let engine: PolicyEngine
        let hunks: YAMLHunks
    }
}

/// Fixed-size result slots written from `concurrentPerform` (each index exactly once).
final class ResultBox<R: Sendable>: @unchecked Sendable {  // @unchecked: each slot is written by one iteration only, read after all finish.
    private var slots: [R?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: R) { slots.withUnsafeMutableBufferPointer { $0[i] = value } }
    var values: [R] { slots.map { $0! } }
}


