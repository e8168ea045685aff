public import CapstanModel

extension ObjectServer {
    public func watch(
        _ gvk: GroupVersionKind, namespace: String?, selector: LabelSelector?, fromResourceVersion: String?
    ) async throws -> WatchStream {
        let filter = WatchFilter(kind: gvk.groupKind, namespace: namespace, selector: selector)
        var from: Int64?
        if let text = fromResourceVersion, !text.isEmpty, text != "0" {
            guard let rv = Int64(text), rv >= 0 else { throw ClusterError.badRequest("invalid resource version \"\(text)\"") }
            from = rv
        }
        // Register first, so every event after `published` reaches the channel; then read what came before.
        let (channel, published) = hub.register(filter, limit: options.watchBufferLimit)
        let subscription = WatchSubscription(channel: channel, hub: hub)
        if let from {
            let backlog = try await read { r -> [StoredEvent] in
                let oldest = try r.compactedResourceVersion()
                if from < oldest { throw ClusterError.gone(requested: from, oldest: oldest) }
                return try r.events(after: from, through: published, kind: filter.kind)
            }
            channel.activate(backlog: backlog.compactMap(filter.translate), after: max(from, published))
        } else {
            // Kubernetes' "start at most recent": the current objects as ADDED, then changes after the list.
            let (items, rv) = try await read { r in
                (try r.objects(filter.kind, namespace: namespace, selector: selector), try r.resourceVersion())
            }
            let initial = Self.sortedByNamespaceAndName(items).map { WatchEvent(type: .added, object: $0) }
            channel.activate(backlog: initial, after: rv)
        }
        return WatchStream(subscription: subscription)
    }
}
