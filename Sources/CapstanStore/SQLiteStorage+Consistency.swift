import CapstanCluster
import CapstanModel
import GRDB

extension SQLiteStorage {
    /// Checks the database against its invariants and returns what is wrong (empty when consistent):
    /// SQLite's integrity check; every body parses and agrees with its key, uid and resourceVersion columns;
    /// the label and owner indexes match the bodies; no resourceVersion exceeds the recorded counter.
    public func consistencyProblems() throws -> [String] {
        try readSync { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems.append("integrity_check: \(integrity.joined(separator: "; "))") }
            let counter = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'resourceVersion'") ?? 0
            let compacted = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'compactedResourceVersion'") ?? 0
            var labelRows = Set<String>(), ownerRows = Set<String>()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, grp, kind, namespace, name, uid, rv, deleting, body FROM objects")
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let key = ObjectKey(group: row[1], kind: row[2], namespace: row[3], name: row[4])
                guard let obj = try? SQLiteTransaction.object(row, 8) else {
                    problems.append("\(key): body does not parse")
                    continue
                }
                if obj.key != key { problems.append("\(key): body is \(obj.key)") }
                if obj.uid != row[5] { problems.append("\(key): uid column \(row[5] as String) but body \(obj.uid ?? "none")") }
                let rv: Int64 = row[6]
                if obj.resourceVersion != String(rv) { problems.append("\(key): rv column \(rv) but body \(obj.resourceVersion ?? "none")") }
                if rv > counter { problems.append("\(key): resourceVersion \(rv) above the counter \(counter)") }
                if (row[7] as Int64 == 1) != obj.isDeleting { problems.append("\(key): deleting flag disagrees with deletionTimestamp") }
                for (k, v) in obj.labels { labelRows.insert("\(key.group)|\(key.kind)|\(k)|\(v)|\(id)") }
                for ref in obj.ownerReferences { ownerRows.insert("\(ref.uid)|\(id)") }
            }
            let indexedLabels = Set(try Row.fetchAll(db, sql: "SELECT grp, kind, key, value, object FROM labels").map {
                "\($0[0] as String)|\($0[1] as String)|\($0[2] as String)|\($0[3] as String)|\($0[4] as Int64)"
            })
            if indexedLabels != labelRows {
                problems.append("label index differs from bodies: \(indexedLabels.subtracting(labelRows).count) extra, \(labelRows.subtracting(indexedLabels).count) missing")
            }
            let indexedOwners = Set(try Row.fetchAll(db, sql: "SELECT owner_uid, object FROM owner_refs").map { "\($0[0] as String)|\($0[1] as Int64)" })
            if indexedOwners != ownerRows {
                problems.append("owner index differs from bodies: \(indexedOwners.subtracting(ownerRows).count) extra, \(ownerRows.subtracting(indexedOwners).count) missing")
            }
            if let maxEvent = try Int64.fetchOne(db, sql: "SELECT max(rv) FROM events"), maxEvent > counter {
                problems.append("event \(maxEvent) above the counter \(counter)")
            }
            if let minEvent = try Int64.fetchOne(db, sql: "SELECT min(rv) FROM events"), minEvent <= compacted {
                problems.append("event \(minEvent) at or below the compaction point \(compacted)")
            }
            return problems
        }
    }
}
