import CapstanCluster
import CapstanFleet
import CapstanModel
import CapstanPolicy
import CapstanTopology

extension FleetReconciler {
    /// Step 2: load the fleet at the revision. Only files whose content changed are parsed; when no YAML file
    /// changed, the last revision's state carries over and nothing else runs. Otherwise the configuration,
    /// policy engine, input hashes and renderer are rebuilt.
    func loadFleet(_ scope: inout SyncScope) async throws {
        guard let revision = scope.revision, scope.state == nil else { return }
        let tree: any FileTree
        let loaded: FleetFileCache.Loaded
        do {
            tree = try env.source.tree(at: revision)
            loaded = try files.load(tree: tree, displayPrefix: env.displayPrefix)
        } catch let e as SourceError {
            throw SyncFailure.source(e)
        }
        scope.changedPaths = loaded.changedPaths
        scope.filesParsed = loaded.filesParsed
        if let state, RevisionState.onlyStatusFiles(loaded.changedPaths, target: state.config.status.target, displayPrefix: env.displayPrefix) {
            // With status on the source branch (`status.path`), a commit that changes no fleet file — Capstan's own
            // status commit above all — leaves the fleet at the revision it was at. Reporting the new commit
            // would change STATUS.md, which would make another commit, and so on forever.
            scope.state = state
            scope.upToDate = true
            processedRevisionID = revision.id
            return
        }
        if loaded.changedPaths.isEmpty, var state {
            state.revision = revision
            self.state = state
            scope.state = state
            return
        }
        let built = try await buildState(revision: revision, snapshot: loaded.snapshot)
        state = built
        scope.state = built
        if inventory?.fleet != built.config.fleetName {
            inventory = try await Inventory.load(fleet: built.config.fleetName, from: env.cluster)
            storedInventory = inventory
        }
        refreshRecords(built)
    }

    /// Everything derived from a snapshot.
    func buildState(revision: Revision, snapshot raw: FleetSnapshot) async throws -> RevisionState {
        let (config, configProblems, configValid) = RevisionState.configuration(of: raw, operatorLayers: env.operatorLayers)
        let snapshot = RevisionState.withoutStatusDirectory(raw, target: config.status.target, displayPrefix: env.displayPrefix)
        var problems = snapshot.diagnostics
        problems += configProblems
        let policyPrefixes = config.policyDirectories.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        func inPolicyDirectory(_ o: FleetObject) -> Bool { policyPrefixes.contains { o.path.hasPrefix($0) } }
        let policyObjects = snapshot.objects.filter { inPolicyDirectory($0) && !RevisionState.isPolicyFixture($0.path) }
        for dir in config.policyDirectories where !snapshot.files.contains(where: { $0.path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/") }) {
            problems.append(Diagnostic(.error, message: "policy directory \(env.displayPrefix)\(dir) (from capstan.yaml spec.policies) has no YAML files in this revision"))
        }
        let fleetObjects = snapshot.objects.filter { $0.key.group != Vocabulary.configGroup && !inPolicyDirectory($0) }
        let fileIDs = Dictionary(snapshot.files.map { ($0.path, $0.contentID) }, uniquingKeysWith: { a, _ in a })
        let policyHash = RevisionState.policyHash(policyObjects: policyObjects, fleet: fleetObjects, localPolicies: env.localPolicies) {
            StableHash.of([$0.path, fileIDs[$0.path] ?? "", String($0.documentIndex), $0.itemIndex.map(String.init) ?? "-"])
        }
        let engine: PolicyEngine
        if let cached = policyCache, cached.hash == policyHash {
            engine = cached.engine
        } else {
            engine = PolicyEngine(objects: fleetObjects + policyObjects + env.localPolicies)
            policyCache = (policyHash, engine)
        }
        problems += engine.diagnostics
        let configHash = StableHash.of([config.fleetName, String(config.force)])
        let fleetSnapshot = FleetSnapshot(objects: fleetObjects, diagnostics: [], files: snapshot.files)
        let hashes = InputHashes(snapshot: fleetSnapshot, configHash: configHash, policyHash: policyHash)

        var gitObjects: [FleetObject] = []
        var clusters: [ClusterID: FleetObject] = [:]
        var deletionRequests = Set<ClusterID>()
        var classTemplates = Set<ObjectKey>()
        var seen = Set<ObjectKey>()
        for o in fleetObjects where seen.insert(o.key).inserted && !o.object.name.isEmpty && !o.object.kind.isEmpty {
            let isCluster = o.key.group == Vocabulary.capiGroup && o.key.kind == "Cluster"
            if isCluster && RevisionState.asksForDeletion(o) {
                deletionRequests.insert(ClusterID(namespace: o.key.namespace, name: o.key.name))
            } else if RevisionState.isTopologyCluster(o) {
                clusters[ClusterID(namespace: o.key.namespace, name: o.key.name)] = o
            } else {
                gitObjects.append(o)
            }
            if o.key.group == Vocabulary.capiGroup && o.key.kind == "ClusterClass" {
                for r in InputHashes.references(in: o.object.body) {
                    classTemplates.insert(ObjectKey(group: r.group, kind: r.kind, namespace: o.key.namespace, name: r.name))
                }
            }
        }
        if !configValid {
            problems.append(Diagnostic(.error, message: "the fleet configuration (\(env.displayPrefix)\(Vocabulary.fleetConfigFile)) has errors: nothing of this revision is applied"))
        }

        let fleetReads = LiveReads()
        try await LiveReader(cluster: env.cluster).prefetchDefinitions(into: fleetReads)
        let index = FleetIndex(snapshot: fleetSnapshot)
        var renderer = TopologyRenderer(fleet: index, live: RoutedLive(fleetWide: fleetReads))
        let misses = fleetReads.takeMisses()
        if !misses.isEmpty {
            try await LiveReader(cluster: env.cluster).fetch(misses, into: fleetReads)
            renderer = TopologyRenderer(fleet: index, live: RoutedLive(fleetWide: fleetReads))
        }
        return RevisionState(
            revision: revision, snapshot: fleetSnapshot, config: config, problems: problems, policies: engine,
            policyHash: policyHash, hashes: hashes, gitObjects: gitObjects, clusters: clusters,
            deletionRequests: deletionRequests, classTemplates: classTemplates, denied: [:], renderer: renderer,
            fleetReads: fleetReads, configValid: configValid)
    }

    /// Brings the per-Cluster records in line with the revision: where each Cluster is written, its class and
    /// version; Clusters Git no longer lists are marked unwanted.
    func refreshRecords(_ state: RevisionState) {
        for id in records.keys where state.clusters[id] == nil { records[id]?.wanted = false }
        for (id, o) in state.clusters {
            var r = records[id] ?? ClusterRecord(id: id)
            r.wanted = true
            r.deleted = false
            r.location = o.location
            r.className = InputHashes.classKey(of: o.object).map { "\($0.namespace)/\($0.name)" }
            // As the Cluster webhook defaults it (and the renderer reads it): "1.31.2" is "v1.31.2".
            r.topologyVersion = o.object.body[path: ["spec", "topology", "version"]]?.stringValue.map { v in
                v.isEmpty || v.hasPrefix("v") ? v : "v" + v
            }
            records[id] = r
        }
    }
}
