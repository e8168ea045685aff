import CapstanFleet

extension FleetReconciler {
    /// Step 1: find the revision to work on. A poll asks the source for the newest revision (one ref listing
    /// when nothing moved); a revision already processed makes the run a no-op. Live-change and drift runs
    /// work on the last loaded revision.
    func fetchSource(_ scope: inout SyncScope) async throws {
        switch scope.trigger {
        case .live, .drift:
            guard let state else {
                scope.upToDate = true
                return
            }
            scope.revision = state.revision
            scope.state = state
        case .interval, .webhook:
            let revision: Revision
            do {
                revision = try await env.source.poll()
            } catch let e as SourceError {
                env.metrics.fetchError(e.reason)
                throw SyncFailure.source(e)
            }
            scope.revision = revision
            if revision.id == processedRevisionID, let state {
                scope.state = state
                scope.upToDate = true
            }
        }
    }
}
