public import CapstanCluster

/// The in-memory management cluster for tests of code that talks to the `ManagementCluster` port: the real
/// object server (same Kubernetes semantics as the SQLite store) over `MemoryStorage`, with a manual clock
/// and deterministic uids so results can be compared with golden files.
public enum InMemoryCluster {
    /// A fresh, empty cluster; advance `clock` to move timestamps.
    public static func make(
        clock: ManualClock = ManualClock(), options: ObjectServer.Options = ObjectServer.Options()
    ) async throws -> ObjectServer {
        try await ObjectServer(storage: MemoryStorage(), clock: clock, uids: SequentialUIDGenerator(), options: options)
    }
}
