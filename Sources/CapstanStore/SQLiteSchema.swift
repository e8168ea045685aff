import GRDB

/// The database layout and its migrations (GRDB's `DatabaseMigrator` records applied ones in
/// `grdb_migrations`; `meta.schemaVersion` mirrors the latest for tools that only speak SQL).
///
/// - `objects`: one row per object, keyed by (group, kind, namespace, name) — version-independent identity —
///   with uid, resourceVersion, a deleting flag and the JSON body. Rowid table: bodies are kilobytes.
/// - `labels`: (group, kind, key, value) → object, the index label-selector lists start from.
/// - `owner_refs`: owner uid → dependent object, for garbage collection.
/// - `events`: the watch log, one row per resourceVersion, compacted from the old end.
/// - `meta`: the last resourceVersion, the compaction point and the schema version.
enum SQLiteSchema {
    static let version = 1

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO meta (key, value) VALUES ('resourceVersion', 0), ('compactedResourceVersion', 0), ('schemaVersion', 1);
                CREATE TABLE objects (
                    id INTEGER PRIMARY KEY,
                    grp TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                    uid TEXT NOT NULL, rv INTEGER NOT NULL, deleting INTEGER NOT NULL, body TEXT NOT NULL);
                CREATE UNIQUE INDEX objects_key ON objects (grp, kind, namespace, name);
                CREATE UNIQUE INDEX objects_uid ON objects (uid);
                CREATE INDEX objects_namespace ON objects (namespace);
                CREATE INDEX objects_deleting ON objects (deleting) WHERE deleting = 1;
                CREATE TABLE labels (
                    grp TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, object INTEGER NOT NULL,
                    PRIMARY KEY (grp, kind, key, value, object)) WITHOUT ROWID;
                CREATE TABLE owner_refs (
                    owner_uid TEXT NOT NULL, object INTEGER NOT NULL, PRIMARY KEY (owner_uid, object)) WITHOUT ROWID;
                CREATE TABLE events (
                    rv INTEGER PRIMARY KEY, type TEXT NOT NULL, grp TEXT NOT NULL, kind TEXT NOT NULL,
                    body TEXT NOT NULL, prev_labels TEXT);
                """)
        }
        return m
    }
}
