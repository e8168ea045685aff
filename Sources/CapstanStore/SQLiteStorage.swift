public import CapstanCluster
import CapstanModel
import Foundation
import GRDB

/// The durable backend: one SQLite database in WAL mode through GRDB (a `DatabasePool`: one writer, many
/// concurrent readers). Each write is one transaction; it stores only — the Kubernetes rules live in
/// `ObjectServer`.
public final class SQLiteStorage: ObjectStorage {
    /// How hard a commit pushes data to disk.
    public enum Durability: String, Sendable {
        /// `synchronous=NORMAL` in WAL mode: a commit is written to the WAL (the OS holds it) before it
        /// returns, so it survives the process being killed (`kill -9`); only an OS crash or power loss can
        /// drop the last commits, never corrupt the database.
        case processCrash
        /// `synchronous=FULL`: every commit also fsyncs the WAL; survives power loss, at a large cost per write.
        case powerLoss
    }

    let pool: DatabasePool
    public let isReadOnly: Bool
    public let path: String

    /// Opens (creating and migrating when writable) the database at `path`.
    public init(path: String, readOnly: Bool, durability: Durability = .processCrash) throws {
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.label = "capstan-store"
        let sync = durability == .powerLoss ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            // 64 MB page cache and memory-mapped reads; checkpoint every ~40 MB of WAL so hot pages (indexes,
            // the counter) are copied back once per many commits instead of once per ~80.
            try db.execute(sql: "PRAGMA page_size = 8192; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456")
            if !readOnly { try db.execute(sql: "PRAGMA synchronous = \(sync); PRAGMA wal_autocheckpoint = 10000") }
        }
        pool = try DatabasePool(path: path, configuration: config)
        isReadOnly = readOnly
        self.path = path
        if !readOnly { try SQLiteSchema.migrator.migrate(pool) }
    }

    /// Closes the database (further use throws).
    public func close() throws { try pool.close() }

    public func read<T: Sendable>(_ body: @Sendable (any StorageReader) throws -> T) async throws -> T {
        try await pool.read { db in try body(SQLiteTransaction(db: db)) }
    }


    public func write<T: Sendable>(
        _ body: @Sendable (any StorageWriter) throws -> T, afterCommit: @Sendable (T) -> Void
    ) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction {
                result = try body(SQLiteTransaction(db: db))
                return .commit
            }
            // Still on the writer queue: the next write cannot commit before these events are published.
            afterCommit(result!)
            return result!
        }
    }

    /// Runs a synchronous read (used by consistency checks and tools).
    func readSync<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
}

/// Reads and writes inside one GRDB database access.
final class SQLiteTransaction: StorageWriter {
    let db: Database
    /// The JSON of the object last `put`, reused by the event that logs it (same object, same version).
    private var lastPut: (key: ObjectKey, rv: String?, json: String)?

    init(db: Database) { self.db = db }

    // MARK: Reading

    func object(_ key: ObjectKey) throws -> KubeObject? {
        let stmt = try db.cachedStatement(sql: "SELECT body FROM objects WHERE grp = ? AND kind = ? AND namespace = ? AND name = ?")
        guard let row = try Row.fetchOne(stmt, arguments: [key.group, key.kind, key.namespace, key.name]) else { return nil }
        return try Self.object(row, 0)
    }

    func objects(_ kind: GroupKind, namespace: String?, selector: LabelSelector?) throws -> [KubeObject] {
        var sql: String
        var args: StatementArguments = [kind.group, kind.kind]
        if let req = selector?.indexableRequirement, req.op == .equals || req.op == .in || req.op == .exists {
            sql = "SELECT o.body FROM labels l JOIN objects o ON o.id = l.object WHERE l.grp = ? AND l.kind = ? AND l.key = ?"
            _ = args.append(contentsOf: [req.key])
            if req.op != .exists {
                sql += " AND l.value IN (" + req.values.map { _ in "?" }.joined(separator: ",") + ")"
                _ = args.append(contentsOf: StatementArguments(req.values))
            }
            if let namespace {
                sql += " AND o.namespace = ?"
                _ = args.append(contentsOf: [namespace])
            }
        } else {
            sql = "SELECT body FROM objects WHERE grp = ? AND kind = ?"
            if let namespace {
                sql += " AND namespace = ?"
                _ = args.append(contentsOf: [namespace])
            }
        }
        var out: [KubeObject] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: args)
        while let row = try rows.next() {
            let obj = try Self.object(row, 0)
            if let selector, !selector.matches(obj) { continue }
            out.append(obj)
        }
        return out
    }

    func keys(inNamespace namespace: String) throws -> [ObjectKey] {
        try keys(sql: "SELECT grp, kind, namespace, name FROM objects WHERE namespace = ?", [namespace])
    }

    func key(forUID uid: String) throws -> ObjectKey? {
        try keys(sql: "SELECT grp, kind, namespace, name FROM objects WHERE uid = ?", [uid]).first
    }

    func dependents(ofOwner uid: String) throws -> [ObjectKey] {
        try keys(sql: """
            SELECT o.grp, o.kind, o.namespace, o.name FROM owner_refs r JOIN objects o ON o.id = r.object
            WHERE r.owner_uid = ?
            """, [uid])
    }

    func orphanedDependents() throws -> [ObjectKey] {
        try keys(sql: """
            SELECT DISTINCT o.grp, o.kind, o.namespace, o.name FROM owner_refs r JOIN objects o ON o.id = r.object
            WHERE NOT EXISTS (SELECT 1 FROM objects p WHERE p.uid = r.owner_uid)
            """, [])
    }

    func deletingObjects() throws -> [KubeObject] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT body FROM objects WHERE deleting = 1"))
        var out: [KubeObject] = []
        while let row = try rows.next() { out.append(try Self.object(row, 0)) }
        return out
    }

    func resourceVersion() throws -> Int64 { try meta("resourceVersion") }

    func compactedResourceVersion() throws -> Int64 { try meta("compactedResourceVersion") }

    func events(after: Int64, through: Int64, kind: GroupKind) throws -> [StoredEvent] {
        let stmt = try db.cachedStatement(sql: """
            SELECT rv, type, body, prev_labels FROM events WHERE rv > ? AND rv <= ? AND grp = ? AND kind = ? ORDER BY rv
            """)
        let rows = try Row.fetchCursor(stmt, arguments: [after, through, kind.group, kind.kind])
        var out: [StoredEvent] = []
        while let row = try rows.next() {
            let type = WatchEvent.EventType(rawValue: row[1]) ?? .modified
            var previous: [String: String]?
            if let text: String = row[3] {
                previous = KubeObject(.map(["metadata": .map(["labels": try Self.parse(text)])])).labels
            }
            out.append(StoredEvent(resourceVersion: row[0], type: type, object: try Self.object(row, 2), previousLabels: previous))
        }
        return out
    }

    private func meta(_ key: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [key]) ?? 0
    }

    private func keys(sql: String, _ args: StatementArguments) throws -> [ObjectKey] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: args)
        var out: [ObjectKey] = []
        while let row = try rows.next() { out.append(ObjectKey(group: row[0], kind: row[1], namespace: row[2], name: row[3])) }
        return out
    }

    // MARK: Writing

    func put(_ object: KubeObject, previous: KubeObject?) throws {
        let key = object.key
        let body = JSON.serialize(object.body)
        lastPut = (key, object.resourceVersion, body)
        let id = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO objects (grp, kind, namespace, name, uid, rv, deleting, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (grp, kind, namespace, name) DO UPDATE SET
                uid = excluded.uid, rv = excluded.rv, deleting = excluded.deleting, body = excluded.body
            RETURNING id
            """), arguments: [key.group, key.kind, key.namespace, key.name, object.uid ?? "", Int64(object.resourceVersion ?? "0") ?? 0,
                              object.isDeleting ? 1 : 0, body])!
        let oldLabels = previous?.labels ?? [:], newLabels = object.labels
        if oldLabels != newLabels {
            let del = try db.cachedStatement(sql: "DELETE FROM labels WHERE grp = ? AND kind = ? AND key = ? AND value = ? AND object = ?")
            for (k, v) in oldLabels where newLabels[k] != v { try del.execute(arguments: [key.group, key.kind, k, v, id]) }
            let ins = try db.cachedStatement(sql: "INSERT OR REPLACE INTO labels (grp, kind, key, value, object) VALUES (?, ?, ?, ?, ?)")
            for (k, v) in newLabels where oldLabels[k] != v { try ins.execute(arguments: [key.group, key.kind, k, v, id]) }
        }
        let oldOwners = Set(previous?.ownerReferences.map(\.uid) ?? []), newOwners = Set(object.ownerReferences.map(\.uid))
        if oldOwners != newOwners {
            let del = try db.cachedStatement(sql: "DELETE FROM owner_refs WHERE owner_uid = ? AND object = ?")
            for uid in oldOwners.subtracting(newOwners) { try del.execute(arguments: [uid, id]) }
            let ins = try db.cachedStatement(sql: "INSERT OR IGNORE INTO owner_refs (owner_uid, object) VALUES (?, ?)")
            for uid in newOwners.subtracting(oldOwners) { try ins.execute(arguments: [uid, id]) }
        }
    }

    func remove(_ object: KubeObject) throws {
        let key = object.key
        let stmt = try db.cachedStatement(sql: "DELETE FROM objects WHERE grp = ? AND kind = ? AND namespace = ? AND name = ? RETURNING id")
        guard let id = try Int64.fetchOne(stmt, arguments: [key.group, key.kind, key.namespace, key.name]) else { return }
        let delLabel = try db.cachedStatement(sql: "DELETE FROM labels WHERE grp = ? AND kind = ? AND key = ? AND value = ? AND object = ?")
        for (k, v) in object.labels { try delLabel.execute(arguments: [key.group, key.kind, k, v, id]) }
        let delOwner = try db.cachedStatement(sql: "DELETE FROM owner_refs WHERE owner_uid = ? AND object = ?")
        for uid in Set(object.ownerReferences.map(\.uid)) { try delOwner.execute(arguments: [uid, id]) }
    }

    func append(_ event: StoredEvent) throws {
        let key = event.object.key
        let prev = event.previousLabels.map { labels in
            JSON.serialize(.map(ObjectMap(labels.sorted { $0.key < $1.key }.map { ($0.key, Value.string($0.value)) })))
        }
        let json: String
        if let lastPut, lastPut.key == key, lastPut.rv == event.object.resourceVersion { json = lastPut.json } else { json = JSON.serialize(event.object.body) }
        try db.cachedStatement(sql: "INSERT INTO events (rv, type, grp, kind, body, prev_labels) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [event.resourceVersion, event.type.rawValue, key.group, key.kind, json, prev])
    }

    func setResourceVersion(_ rv: Int64) throws {
        try db.cachedStatement(sql: "UPDATE meta SET value = ? WHERE key = 'resourceVersion'").execute(arguments: [rv])
    }

    func compactEvents(through rv: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM events WHERE rv <= ?").execute(arguments: [rv])
        try db.cachedStatement(sql: "UPDATE meta SET value = max(value, ?) WHERE key = 'compactedResourceVersion'").execute(arguments: [rv])
    }

    // MARK: Decoding

    static func object(_ row: Row, _ index: Int) throws -> KubeObject {
        KubeObject(try row.withUnsafeData(atIndex: index) { data -> Value in
            guard let data else { throw ClusterError.storage("stored object has no body") }
            return try data.withUnsafeBytes { raw in try parse(raw.bindMemory(to: UInt8.self)) }
        })
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        do { return try JSON.parse(bytes: bytes) } catch { throw ClusterError.storage("stored JSON is corrupt: \(error)") }
    }

    static func parse(_ text: String) throws -> Value {
        do { return try JSON.parse(text) } catch { throw ClusterError.storage("stored JSON is corrupt: \(error)") }
    }
}
