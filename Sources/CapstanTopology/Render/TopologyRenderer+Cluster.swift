public import CapstanModel

extension TopologyRenderer {
    /// Renders one topology Cluster of the fleet. On any error the result has no objects and one error
    /// diagnostic with the upstream-style message; nothing of that Cluster may be applied.
    public func render(cluster key: ObjectKey) -> ClusterRender {
        var out = ClusterRender(cluster: key)
        guard let source = fleet.source(key) else {
            out.diagnostics.append(Diagnostic(object: "Cluster \(key.namespace)/\(key.name)", message: "Cluster is not in the fleet"))
            return out
        }
        let reporter = DiagnosticReporter(cluster: source, renderer: self)
        do {
            var warnings: [String] = []
            let result = try renderSteps(source, warnings: &warnings, context: reporter)
            out = result
            out.diagnostics += warnings.map { reporter.warning($0) }
        } catch {
            out.objects = []
            out.deletions = []
            out.diagnostics.append(reporter.error(error))
        }
        return out
    }

    /// The pipeline of core/reconcilers/topology/cluster/cluster_controller.go `reconcile`, offline.
    func renderSteps(_ source: SourceObject, warnings: inout [String], context reporter: DiagnosticReporter) throws(TopologyError) -> ClusterRender {
        let gitCluster = ClusterModel(Conversion.toV1Beta2(source.object))
        let clusterErrs = ClusterAdmission.validate(gitCluster)
        if !clusterErrs.isEmpty { throw reporter.invalidCluster(clusterErrs) }
        let classKey = ObjectKey.capi("ClusterClass", gitCluster.classRefNamespace, gitCluster.classRefName)
        guard let ctx = classContext(classKey) else {
            throw TopologyError("failed to retrieve ClusterClass \(classKey.namespace)/\(classKey.name): ClusterClass \(GoQuote.quote(classKey.name)) not found in the fleet or the live state",
                                origin: .cluster(["spec", "topology", "classRef"]))
        }
        reporter.classContext = ctx
        if let ext = ctx.model.externalPatches.first {
            let names = ext.external?.names.map { GoQuote.quote($0) }.joined(separator: ", ") ?? ""
            throw TopologyError("ClusterClass \(classKey.namespace)/\(classKey.name) uses external patch \(GoQuote.quote(ext.name)) served by Runtime Extension \(names); Runtime Extensions cannot be called offline, so this Cluster is not rendered",
                                origin: .clusterClass(["spec", "patches", String(ext.index)]))
        }
        if !ctx.admissionErrors.isEmpty { throw reporter.invalidClass(ctx) }
        let classErrs = ClusterAdmission.validate(gitCluster, against: ctx.model)
        if !classErrs.isEmpty { throw reporter.invalidCluster(classErrs) }
        let cluster = try defaultAndValidateVariables(gitCluster, ctx, reporter: reporter, warnings: &warnings)
        let blueprint = try ctx.blueprint.wrappedError("error reading the ClusterClass")
        let contract = try ctx.contract.wrappedError("error reading the ClusterClass")
        if let w = ctx.contractWarning { warnings.append(w) }

        let liveCluster = live.object(source.object.key)
        let uid = liveCluster?.uid ?? ""
        let placeholder = uid.isEmpty
        if placeholder {
            warnings.append("Cluster \(cluster.namespace)/\(cluster.name) is not live yet: owner references carry the placeholder uid \(Self.placeholderClusterUID); apply the Cluster first and render again")
        }
        let current: CurrentState
        do {
            current = try CurrentState.read(cluster: cluster, live: liveCluster, contract: contract, from: live)
        } catch {
            throw error.wrapped("error reading current state of the Cluster topology")
        }
        let scope = RenderScope(
            cluster: cluster, liveCluster: liveCluster, context: ctx, blueprint: blueprint, contract: contract,
            names: NameGenerator(namespace: cluster.namespace, clusterName: cluster.name), live: live,
            ownerReference: TemplateClone.ownerReference(clusterName: cluster.name, uid: placeholder ? Self.placeholderClusterUID : uid),
            current: current, tracker: UpgradeTracker(concurrency: cluster.upgradeConcurrency))
        var generator = DesiredStateGenerator(s: scope)
        var desired: DesiredState
        do throws(TopologyError) {
            desired = try generator.generate()
            do {
                try PatchEngine(scope: generator.s).apply(&desired)
            } catch {
                throw error.wrapped("failed to apply patches")
            }
        } catch {
            throw error.wrapped("error computing the desired state of the Cluster topology")
        }
        warnings += generator.s.warnings
        var plan = ReconcilePlanner(scope: generator.s, desired: desired, placeholderUID: placeholder)
        return plan.plan(key: source.object.key)
    }
}
