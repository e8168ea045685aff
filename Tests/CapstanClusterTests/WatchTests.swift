import CapstanCluster
import CapstanModel
import Testing

/// Watches: ordering, resumption, selectors, fan-out and compaction, on every backend.
@Suite(.timeLimit(.minutes(1))) struct WatchTests {
    /// Reads `count` events from a stream.
    static func take(_ count: Int, from stream: WatchStream) async throws -> [WatchEvent] {
        var out: [WatchEvent] = []
        if count == 0 { return out }
        for try await e in stream {
            out.append(e)
            if out.count == count { break }
        }
        return out
    }

    static func summary(_ events: [WatchEvent]) -> [String] {
        events.map { "\($0.type.rawValue) \($0.object.name)@\($0.resourceVersion)" }
    }

    @Test(arguments: Backend.allCases)
    func watchFromAResourceVersionGetsExactlyTheLaterEvents(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Fixtures.machine("a"), fieldManager: "t")           // rv 1
        let b = try await t.cluster.create(Fixtures.machine("b"), fieldManager: "t")       // rv 2
        _ = try await t.cluster.create(Fixtures.configMap("cm"), fieldManager: "t")        // rv 3, other kind
        var b2 = b
        b2.spec?["version"] = "v1.31.0"
        _ = try await t.cluster.update(b2, fieldManager: "t")                              // rv 4
        let stream = try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "2")
        try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: "a")   // rv 5, live
        _ = try await t.cluster.create(Fixtures.machine("c", namespace: "other"), fieldManager: "t")  // rv 6
        let events = try await Self.take(3, from: stream)
        #expect(Self.summary(events) == ["MODIFIED b@4", "DELETED a@5", "ADDED c@6"])
        #expect(events[0].object.spec?["version"] == "v1.31.0")
    }

    @Test(arguments: Backend.allCases)
    func watchWithoutAVersionStartsWithTheCurrentObjects(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        _ = try await t.cluster.create(Fixtures.machine("b"), fieldManager: "t")
        _ = try await t.cluster.create(Fixtures.machine("a"), fieldManager: "t")
        _ = try await t.cluster.create(Fixtures.machine("x", namespace: "elsewhere"), fieldManager: "t")
        let stream = try await t.cluster.watch(Fixtures.machineGVK, namespace: "fleet", selector: nil, fromResourceVersion: nil)
        _ = try await t.cluster.create(Fixtures.machine("c"), fieldManager: "t")
        let events = try await Self.take(3, from: stream)
        #expect(Self.summary(events) == ["ADDED a@2", "ADDED b@1", "ADDED c@4"])
    }

    @Test(arguments: Backend.allCases)
    func selectorWatchesSeeLabelTransitions(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        var m = try await t.cluster.create(Fixtures.machine("m", labels: ["pool": "a"]), fieldManager: "t")  // rv 1
        let stream = try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "pool=b"), fromResourceVersion: "0")
        m.labels = ["pool": "b"]
        m = try await t.cluster.update(m, fieldManager: "t")     // rv 2: starts matching
        m.spec?["version"] = "v2"
        m = try await t.cluster.update(m, fieldManager: "t")     // rv 3: still matching
        m.labels = ["pool": "c"]
        m = try await t.cluster.update(m, fieldManager: "t")     // rv 4: stops matching
        m.labels = ["pool": "d"]
        _ = try await t.cluster.update(m, fieldManager: "t")     // rv 5: invisible
        _ = try await t.cluster.create(Fixtures.machine("n", labels: ["pool": "b"]), fieldManager: "t")  // rv 6
        let events = try await Self.take(4, from: stream)
        #expect(Self.summary(events) == ["ADDED m@2", "MODIFIED m@3", "DELETED m@4", "ADDED n@6"])
        // Resuming the same selector watch from rv 1 replays the log with the same translation.
        let replay = try await Self.take(4, from: try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: try LabelSelector(parsing: "pool=b"), fromResourceVersion: "1"))
        #expect(Self.summary(replay) == Self.summary(events))
    }

    @Test(arguments: Backend.allCases)
    func manyWatchersSeeEveryEventInOrder(_ backend: Backend) async throws {
        let t = try await TestCluster.make(backend)
        let watchers = 8, writes = 200
        var streams: [WatchStream] = []
        for _ in 0..<watchers { streams.append(try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "0")) }
        // Concurrent writers: the watch order must still be the resourceVersion order.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    for i in 0..<(writes / 4) { _ = try await t.cluster.create(Fixtures.machine("m-\(w)-\(i)"), fieldManager: "t") }
                }
            }
            try await group.waitForAll()
        }
        let results = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for s in streams { group.addTask { try await Self.take(writes, from: s).map { Int64($0.resourceVersion)! } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == watchers)
        for r in results { #expect(r == Array(1...Int64(writes))) }
    }

    @Test(arguments: Backend.allCases)
    func compactedVersionsAreGone(_ backend: Backend) async throws {
        var options = ObjectServer.Options()
        options.eventRetention = 10
        options.compactionInterval = 5
        let t = try await TestCluster.make(backend, options: options)
        for i in 0..<30 { _ = try await t.cluster.create(Fixtures.machine("m\(i)"), fieldManager: "t") }
        let err = await clusterError { _ = try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "3") }
        #expect(err?.caseName == "gone")
        #expect(err?.code == 410)
        #expect(err?.description == "too old resource version: 3 (20)")
        let recent = try await Self.take(5, from: try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "25"))
        #expect(recent.map(\.resourceVersion) == ["26", "27", "28", "29", "30"])
        let bad = await clusterError { _ = try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "abc") }
        #expect(bad?.caseName == "badRequest")
    }

    @Test func watchResumesAfterReopeningTheSQLiteStore() async throws {
        let t = try await TestCluster.make(.sqlite)
        _ = try await t.cluster.create(Fixtures.machine("a"), fieldManager: "t")
        let b = try await t.cluster.create(Fixtures.machine("b"), fieldManager: "t")
        let seen = b.resourceVersion!
        try await t.cluster.delete(Fixtures.machineGVK, namespace: "fleet", name: "a")
        _ = try await t.cluster.create(Fixtures.machine("c"), fieldManager: "t")
        let reopened = try await t.reopen()
        let stream = try await reopened.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: seen)
        _ = try await reopened.cluster.create(Fixtures.machine("d"), fieldManager: "t")
        let events = try await Self.take(3, from: stream)
        #expect(Self.summary(events) == ["DELETED a@3", "ADDED c@4", "ADDED d@5"])
    }

    @Test func slowConsumersAreClosedNotSilentlyDropped() async throws {
        var options = ObjectServer.Options()
        options.watchBufferLimit = 5
        let t = try await TestCluster.make(.memory, options: options)
        let stream = try await t.cluster.watch(Fixtures.machineGVK, namespace: nil, selector: nil, fromResourceVersion: "0")
        for i in 0..<10 { _ = try await t.cluster.create(Fixtures.machine("m\(i)"), fieldManager: "t") }
        var delivered: [String] = []
        let err = await clusterError { for try await e in stream { delivered.append(e.resourceVersion) } }
        #expect(delivered == ["1", "2", "3", "4", "5"])
        #expect(err?.caseName == "watchClosed")
    }
}
