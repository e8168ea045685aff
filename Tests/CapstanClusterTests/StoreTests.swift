import CapstanCluster
import CapstanModel
import CapstanStore
import CapstanTesting
import Foundation
import Testing

/// The SQLite store's process-level guarantees: one owner per state directory, read-only opens beside it,
/// and acknowledged writes surviving `kill -9`.
@Suite(.timeLimit(.minutes(2))) struct StoreTests {
    static func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("capstan-store-\(UUID().uuidString)")
    }

    @Test func aSecondWriterIsRefusedAndReadersStillWork() async throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let owner = try await ClusterStore.open(stateDirectory: dir.path)
        _ = try await owner.cluster.create(Fixtures.machine("m1"), fieldManager: "t")

        do {
            _ = try await ClusterStore.open(stateDirectory: dir.path)
            Issue.record("a second read-write open must fail")
        } catch let e as StoreError {
            #expect(e == .locked(path: dir.appendingPathComponent("cluster.lock").path, ownerPID: getpid()))
            #expect(e.description == "state directory \(dir.path) is in use by process \(getpid()) (lock \(dir.path)/cluster.lock); stop that process or use another --state-dir")
        }

        let reader = try await ClusterStore.open(stateDirectory: dir.path, readOnly: true)
        #expect(try await reader.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m1")?.resourceVersion == "1")
        // The reader sees writes the owner commits after it opened.
        _ = try await owner.cluster.create(Fixtures.machine("m2"), fieldManager: "t")
        #expect(try await reader.cluster.list(Fixtures.machineGVK).items.map(\.name) == ["m1", "m2"])
        let err = await clusterError { _ = try await reader.cluster.create(Fixtures.machine("m3"), fieldManager: "t") }
        #expect(err?.caseName == "forbidden")
        try reader.close()

        try owner.close()
        let next = try await ClusterStore.open(stateDirectory: dir.path)
        #expect(try await next.cluster.list(Fixtures.machineGVK).resourceVersion == "2")
        #expect(try next.storage.consistencyProblems() == [])
        try next.close()
    }

    @Test func indexesFollowEveryKindOfWrite() async throws {
        let t = try await TestCluster.make(.sqlite)
        let owner = try await t.cluster.create(Fixtures.machine("owner", labels: ["a": "1"]), fieldManager: "t")
        var m = Fixtures.machine("m", labels: ["a": "1", "b": "2"])
        m.finalizers = ["example.com/f"]
        m.ownerReferences = [Fixtures.owner(owner)]
        _ = try await t.cluster.create(m, fieldManager: "t")
        try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: "m")
        // One update both relabels and drops the last finalizer of a deleting object: the object goes, and with
        // it the index rows of its stored version.
        var live = try #require(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m"))
        live.labels = ["c": "3"]
        live.finalizers = []
        live.ownerReferences = []
        _ = try await t.cluster.update(live, fieldManager: "t")
        #expect(try await t.cluster.get(Fixtures.machineGVK, namespace: "fleet", name: "m") == nil)
        _ = try await t.cluster.patch(Fixtures.machineGVK, namespace: "fleet", name: "owner", patch: .merge(["metadata": ["labels": ["a": .null, "z": "9"]]]),
                                      fieldManager: "t", subresource: .main)
        #expect(try t.store!.storage.consistencyProblems() == [])
        #expect(try await t.cluster.list(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "a")).items.isEmpty)
        #expect(try await t.cluster.list(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "z=9")).items.map(\.name) == ["owner"])
    }

    @Test func readOnlyOpenOfAMissingStoreSaysSo() async throws {
        let dir = Self.tempDir()
        do {
            _ = try await ClusterStore.open(stateDirectory: dir.path, readOnly: true)
            Issue.record("expected StoreError.missing")
        } catch let e as StoreError {
            #expect(e.description.hasPrefix("no embedded cluster at \(dir.path)/cluster.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path), "a read-only open creates nothing")
    }

    /// Starts `capstan __store-stress`, lets it acknowledge writes, SIGKILLs it mid-stream, then checks that
    /// every acknowledged write is in the reopened store and that the store is consistent.
    @Test func acknowledgedWritesSurviveKill9() async throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = CLI.productsDirectory.appendingPathComponent("capstan")
        process.arguments = ["__store-stress", "--state-dir", dir.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Read acknowledgements until enough have arrived; the child keeps writing meanwhile.
        let acks = try await Task.detached { () throws -> [(String, Int64)] in
            var acks: [(String, Int64)] = []
            var buffer = Data()
            let handle = out.fileHandleForReading
            while acks.count < 1500 {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let nl = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...nl)
                    let parts = line.split(separator: " ")
                    if parts.count == 3, parts[0] == "ack", let rv = Int64(parts[2]) { acks.append((String(parts[1]), rv)) }
                }
            }
            return acks
        }.value

        // While the child runs, the state directory is its own.
        do {
            _ = try await ClusterStore.open(stateDirectory: dir.path)
            Issue.record("the child holds the lock")
        } catch let e as StoreError {
            #expect(e == .locked(path: dir.appendingPathComponent("cluster.lock").path, ownerPID: process.processIdentifier))
        }

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(acks.count >= 1500, "the child acknowledged \(acks.count) writes before the kill")

        let store = try await ClusterStore.open(stateDirectory: dir.path)
        var latest: [String: Int64] = [:]
        for (name, rv) in acks { latest[name] = max(latest[name] ?? 0, rv) }
        let items = try await store.cluster.list(Fixtures.machineGVK, namespace: "stress", selector: nil).items
        let stored = Dictionary(uniqueKeysWithValues: items.map { ($0.name, Int64($0.resourceVersion!)!) })
        var missing: [String] = []
        for (name, rv) in latest where (stored[name] ?? 0) < rv { missing.append("\(name)@\(rv)") }
        #expect(missing.isEmpty, "acknowledged writes lost: \(missing.prefix(5))")
        #expect(try store.storage.consistencyProblems() == [])
        // The counter is at least every acknowledged resourceVersion, and new writes continue above it.
        let maxAck = acks.map(\.1).max() ?? 0
        let next = try await store.cluster.create(Fixtures.machine("after-crash"), fieldManager: "t")
        #expect(Int64(next.resourceVersion!)! > maxAck)
        try store.close()
    }
}
