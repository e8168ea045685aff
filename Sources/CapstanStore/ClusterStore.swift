public import CapstanCluster
import Foundation

/// The embedded management cluster on disk: `<state>/cluster.sqlite` served by an `ObjectServer`.
///
/// A read-write open takes the state directory's lock (one owner at a time), migrates the schema and finishes
/// garbage collection a crash interrupted. Read-only opens (`capstan get`) take no lock and work while the
/// daemon runs; their writes fail with `ClusterError.forbidden`.
public final class ClusterStore: Sendable {
    public static let databaseFileName = "cluster.sqlite"
    public static let lockFileName = "cluster.lock"

    /// The cluster API over this store.
    public let cluster: ObjectServer
    /// The SQLite backend.
    public let storage: SQLiteStorage
    private let lock: LockHolder

    /// Opens the store in `stateDirectory` (created when opening read-write).
    public static func open(
        stateDirectory: String, readOnly: Bool = false, durability: SQLiteStorage.Durability = .processCrash,
        clock: any WallClock = SystemClock(), uids: any UIDGenerator = RandomUIDGenerator(),
        options: ObjectServer.Options = ObjectServer.Options()
    ) async throws -> ClusterStore {
        let dir = URL(fileURLWithPath: stateDirectory)
        let dbPath = dir.appendingPathComponent(databaseFileName).path
        var lock: StateDirectoryLock?
        if readOnly {
            guard FileManager.default.fileExists(atPath: dbPath) else { throw StoreError.missing(path: dbPath) }
        } else {
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw StoreError.io("cannot create state directory \(stateDirectory): \(error.localizedDescription)")
            }
            lock = try StateDirectoryLock(path: dir.appendingPathComponent(lockFileName).path)
        }
        let storage: SQLiteStorage
        do {
            storage = try SQLiteStorage(path: dbPath, readOnly: readOnly, durability: durability)
        } catch {
            throw StoreError.io("cannot open \(dbPath): \(error)")
        }
        let cluster = try await ObjectServer(storage: storage, clock: clock, uids: uids, options: options)
        if !readOnly { try await cluster.recover() }
        return ClusterStore(cluster: cluster, storage: storage, lock: LockHolder(lock))
    }

    private init(cluster: ObjectServer, storage: SQLiteStorage, lock: LockHolder) {
        self.cluster = cluster
        self.storage = storage
        self.lock = lock
    }

    /// Closes the database and releases the state directory.
    public func close() throws {
        try storage.close()
        lock.release()
    }
}

/// Owns the lock until `release()` or deinit.
final class LockHolder: @unchecked Sendable {  // @unchecked: `lock` is only touched under `mutex`.
    private let mutex = NSLock()
    private var lock: StateDirectoryLock?

    init(_ lock: StateDirectoryLock?) { self.lock = lock }

    func release() {
        mutex.lock()
        lock = nil
        mutex.unlock()
    }
}

/// The real time.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}
