import CapstanCurl
import CapstanModel
import CapstanServer
import Testing

@Suite struct ProbeTests {
    @Test func healthzAnswersWhileRunning() async throws {
        try await withServer { server in
            let response = try await server.get("/healthz")
            #expect(response.status == 200)
            #expect(response.text == "ok\n")
        }
    }

    @Test func readyzFlipsAfterFirstSync() async throws {
        let gate = ReadinessGate()
        try await withServer(readiness: gate) { server in
            let before = try await server.get("/readyz")
            #expect(before.status == 503)
            #expect(before.headers["content-type"] == "application/json")
            let reason = try JSON.parse(before.body)
            #expect(reason["status"] == .string("not ready"))
            #expect(reason["reason"] == .string("waiting for the first successful sync"))

            gate.markReady()
            let after = try await server.get("/readyz")
            #expect(after.status == 200)
            #expect(try JSON.parse(after.body)["status"] == .string("ready"))

            gate.markNotReady(reason: "state directory locked")
            let again = try await server.get("/readyz")
            #expect(again.status == 503)
            #expect(try JSON.parse(again.body)["reason"] == .string("state directory locked"))
        }
    }

    @Test func readyzReadsAClosure() async throws {
        try await withServer(readiness: ReadinessClosure { .notReady(reason: "fetching") }) { server in
            let response = try await server.get("/readyz")
            #expect(response.status == 503)
            #expect(try JSON.parse(response.body)["reason"] == .string("fetching"))
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withServer { server in
            let post = try await server.post("/healthz")
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET")
            let delete = try await server.request("DELETE", "/metrics")
            #expect(delete.status == 405)
        }
    }

    @Test func unknownPathIs404() async throws {
        try await withServer { server in
            let response = try await server.get("/nope")
            #expect(response.status == 404)
        }
    }

    @Test func severalServersRunInOneProcess() async throws {
        let first = CapstanMetrics()
        let second = CapstanMetrics()
        first.recordFetchError(.auth)
        try await withServer(metrics: first) { a in
            try await withServer(metrics: second) { b in
                #expect(a.port != b.port)
                let textA = try await a.get("/metrics").text
                let textB = try await b.get("/metrics").text
                #expect(sample(textA, #"capstan_fetch_errors_total{reason="auth"}"#) == 1)
                #expect(sample(textB, #"capstan_fetch_errors_total{reason="auth"}"#) == nil)
            }
        }
    }

    @Test func busyPortFailsStartInsteadOfHanging() async throws {
        try await withServer { running in
            let clash = CapstanHTTPServer(
                configuration: HTTPServerConfiguration(host: "127.0.0.1", port: running.port),
                readiness: ReadinessGate(), metrics: CapstanMetrics(), webhookSink: .discarding, logger: quietLogger)
            let run = Task { try await clash.run() }
            await #expect(throws: (any Error).self) { _ = try await clash.boundPort() }
            await #expect(throws: (any Error).self) { try await run.value }
        }
    }
}
