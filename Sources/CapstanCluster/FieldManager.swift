import CapstanModel

/// The apiserver's field manager: merges server-side applies and records which manager owns which fields
/// (`metadata.managedFields`) for applies and ordinary writes alike.
///
/// Apply (structured-merge-diff's `Updater.Apply`): the configuration is merged into the live object; the
/// manager's previous applied set minus everything any manager now owns is pruned; fields other managers own
/// whose values the apply adds or changes are conflicts (unless forced, which moves ownership); fields that
/// disappear lose every owner. Update: the writer gains what it added or changed and keeps what remains of its
/// fields; other managers lose what it changed or removed.
struct FieldManager {
    let rules: MergeRules

    /// Fields other managers own that an apply would change.
    struct Conflicts: Error {
        var conflicts: [FieldConflict]
    }

    /// `config` applied to `live` (a stored body, or a skeleton carrying only identity and system metadata when
    /// the object is new); returns the new body with its managed fields.
    func apply(
        live: Value, config: Value, manager: String, subresource: Subresource, force: Bool, now: Timestamp
    ) throws(Conflicts) -> Value {
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        let sm = StructuredMerge(rules: rules, apiVersion: apiVersion)
        let liveView = TrackedView.view(of: live, subresource)
        let configView = TrackedView.droppingNulls(TrackedView.view(of: config, subresource))
        var merged = sm.merge(liveView, configView)

        var entries = KubeObject(live).managedFields
        let applied = sm.fieldSet(of: configView)
        let me = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: apiVersion, time: nil,
                                    subresource: subresource.rawValue, fields: applied)
        let mine = entries.firstIndex { $0.identity == me.identity }
        let last = mine.map { entries[$0].fields }
        let previousTime = mine.flatMap { entries[$0].time }
        if let mine { entries[mine] = me } else { entries.append(me) }

        if let dropped = last?.difference(applied), !dropped.isEmpty {
            let owned = entries.reduce(FieldSet()) { $0.union($1.fields) }
            merged = Self.prune(merged, dropped: dropped, owned: owned)
        }

        let comparison = sm.compare(liveView, merged)
        let changed = comparison.modified.union(comparison.added)
        var conflicts: [FieldConflict] = []
        for i in entries.indices where entries[i].identity != me.identity {
            let overlap = entries[i].fields.intersection(changed)
            guard !overlap.isEmpty else { continue }
            conflicts += overlap.paths.map { FieldConflict(manager: entries[i].conflictName, path: $0.description) }
            entries[i].fields = entries[i].fields.difference(overlap)
        }
        if !conflicts.isEmpty && !force { throw Conflicts(conflicts: conflicts) }
        for i in entries.indices where entries[i].identity != me.identity {
            entries[i].fields = entries[i].fields.difference(comparison.removed)
        }
        let touched = !comparison.isEmpty || last != applied || previousTime == nil
        for i in entries.indices where entries[i].identity == me.identity {
            entries[i].time = touched ? now.description : previousTime
        }
        return finish(base: live, apiVersion: apiVersion, view: merged, subresource, entries: entries)
    }

    /// Records an ordinary write (create, update, patch, status update) of `new` over `live` by `manager`.
    func update(live: Value, new: Value, manager: String, subresource: Subresource, now: Timestamp) -> Value {
        let apiVersion = new["apiVersion"]?.stringValue ?? ""
        let sm = StructuredMerge(rules: rules, apiVersion: apiVersion)
        let liveView = TrackedView.view(of: live, subresource)
        let newView = TrackedView.droppingNulls(TrackedView.view(of: new, subresource))
        let comparison = sm.compare(liveView, newView)

        var entries = KubeObject(live).managedFields
        let me = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion, time: now.description,
                                    subresource: subresource.rawValue, fields: FieldSet())
        let changed = comparison.modified.union(comparison.added)
        for i in entries.indices where entries[i].identity != me.identity {
            entries[i].fields = entries[i].fields.difference(changed).difference(comparison.removed)
        }
        if let mine = entries.firstIndex(where: { $0.identity == me.identity }) {
            let fields = entries[mine].fields.difference(comparison.removed).union(changed)
            if !comparison.isEmpty { entries[mine].time = now.description }
            entries[mine].fields = fields
        } else if !changed.isEmpty {
            var entry = me
            entry.fields = changed
            entries.append(entry)
        }
        return finish(base: live, apiVersion: apiVersion, view: newView, subresource, entries: entries)
    }

    private func finish(base: Value, apiVersion: String, view: ObjectMap, _ subresource: Subresource, entries: [ManagedFieldsEntry]) -> Value {
        var b = base
        if subresource == .main, !apiVersion.isEmpty { b["apiVersion"] = .string(apiVersion) }
        var obj = KubeObject(TrackedView.compose(base: b, view: view, subresource))
        obj.managedFields = entries.filter { !$0.fields.isEmpty }
        return obj.body
    }

    /// Removes what the applier owned last time but does not apply now (`dropped`) and nobody else owns; then
    /// removes maps and lists left empty by that, up to the first one somebody owns something in. Fields nobody
    /// owned are never removed.
    static func prune(_ merged: ObjectMap, dropped: FieldSet, owned: FieldSet) -> ObjectMap {
        var v = Value.map(merged)
        var removed: [FieldPath] = []
        for p in dropped.paths where !owned.containsAny(atOrBelow: p) {
            if StructuredMerge.remove(p.elements[...], from: &v) { removed.append(p) }
        }
        for p in removed {
            var prefix = p.elements.dropLast()
            while !prefix.isEmpty {
                guard !owned.containsAny(atOrBelow: FieldPath(Array(prefix))),
                      let value = StructuredMerge.value(at: prefix, in: v), isEmptyContainer(value)
                else { break }
                StructuredMerge.remove(prefix, from: &v)
                prefix = prefix.dropLast()
            }
        }
        return v.mapValue ?? [:]
    }

    static func isEmptyContainer(_ v: Value) -> Bool {
        switch v {
        case .map(let m): m.isEmpty
        case .list(let l): l.isEmpty
        default: false
        }
    }
}
