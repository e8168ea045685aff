import Logging
import CapstanCurl
import CapstanModel
import CapstanServer
import Testing

private let secretText = "s3cret-for-tests"
private let secret = WebhookSecret(secretText)!
private let pushBody = Array(#"{"ref":"refs/heads/main","after":"4f2a9c1e","repository":{"name":"fleet"}}"#.utf8)

@Suite struct GitHubWebhookTests {
    private func github(_ event: String, _ body: [UInt8], signature: String?) -> [(String, String)] {
        var headers = [("X-GitHub-Event", event), ("X-GitHub-Delivery", "d-123"), ("Content-Type", "application/json")]
        if let signature { headers.append(("X-Hub-Signature-256", signature)) }
        return headers
    }

    @Test func signedPushTriggersOnePoll() async throws {
        let polls = PollRecorder()
        let metrics = CapstanMetrics()
        let response = try await withServer(webhooks: WebhookConfiguration(github: secret), metrics: metrics, sink: polls.sink) {
            try await $0.post("/webhook/github", headers: github("push", pushBody, signature: hmacHeader(secretText, pushBody)), body: pushBody)
        }
        #expect(response.status == 202)
        #expect(try JSON.parse(response.body)["result"] == .string("triggered"))
        #expect(polls.all == [PollRequest(provider: .github, event: "push", ref: "refs/heads/main", revision: "4f2a9c1e", deliveryID: "d-123")])
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(sample(text, #"capstan_webhook_requests_total{provider="github",result="triggered"}"#) == 1)
    }

    @Test func badSignatureIs401WithoutTrigger() async throws {
        let polls = PollRecorder()
        try await withServer(webhooks: WebhookConfiguration(github: secret), sink: polls.sink) { server in
            let wrongKey = try await server.post("/webhook/github", headers: github("push", pushBody, signature: hmacHeader("other", pushBody)), body: pushBody)
            #expect(wrongKey.status == 401)
            let tampered = pushBody + [UInt8(ascii: " ")]
            let wrongBody = try await server.post("/webhook/github", headers: github("push", tampered, signature: hmacHeader(secretText, pushBody)), body: tampered)
            #expect(wrongBody.status == 401)
            let notHex = try await server.post("/webhook/github", headers: github("push", pushBody, signature: "sha256=zz"), body: pushBody)
            #expect(notHex.status == 401)
            let sha1 = try await server.post("/webhook/github", headers: github("push", pushBody, signature: "sha1=0123"), body: pushBody)
            #expect(sha1.status == 401)
        }
        #expect(polls.all.isEmpty)
    }

    @Test func missingSignatureIs401() async throws {
        let polls = PollRecorder()
        let response = try await withServer(webhooks: WebhookConfiguration(github: secret), sink: polls.sink) {
            try await $0.post("/webhook/github", headers: github("push", pushBody, signature: nil), body: pushBody)
        }
        #expect(response.status == 401)
        #expect(try JSON.parse(response.body)["error"] == .string("missing X-Hub-Signature-256 header"))
        #expect(polls.all.isEmpty)
    }

    @Test func pingAnswers200WithoutTrigger() async throws {
        let polls = PollRecorder()
        let body = Array(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
        let response = try await withServer(webhooks: WebhookConfiguration(github: secret), sink: polls.sink) {
            try await $0.post("/webhook/github", headers: github("ping", body, signature: hmacHeader(secretText, body)), body: body)
        }
        #expect(response.status == 200)
        #expect(try JSON.parse(response.body)["result"] == .string("pong"))
        #expect(polls.all.isEmpty)
    }

    @Test func otherEventsAndRefsAreIgnoredWith202() async throws {
        let polls = PollRecorder()
        let config = WebhookConfiguration(github: secret, watchedRef: "main")
        try await withServer(webhooks: config, sink: polls.sink) { server in
            let issue = Array(#"{"action":"opened"}"#.utf8)
            let other = try await server.post("/webhook/github", headers: github("issues", issue, signature: hmacHeader(secretText, issue)), body: issue)
            #expect(other.status == 202)
            #expect(try JSON.parse(other.body)["result"] == .string("ignored"))

            let dev = Array(#"{"ref":"refs/heads/dev","after":"abc"}"#.utf8)
            let ignored = try await server.post("/webhook/github", headers: github("push", dev, signature: hmacHeader(secretText, dev)), body: dev)
            #expect(ignored.status == 202)
            #expect(try JSON.parse(ignored.body)["reason"] == .string("push to refs/heads/dev is not the watched ref main"))
            #expect(polls.all.isEmpty)

            let main = try await server.post("/webhook/github", headers: github("push", pushBody, signature: hmacHeader(secretText, pushBody)), body: pushBody)
            #expect(main.status == 202)
            #expect(polls.all.count == 1)
        }
    }

    @Test func formEncodedPayloadIsRead() async throws {
        let polls = PollRecorder()
        let form = Array("payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%2C%22after%22%3A%22cafe%22%7D".utf8)
        var headers = [("X-GitHub-Event", "push"), ("X-Hub-Signature-256", hmacHeader(secretText, form))]
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        let response = try await withServer(webhooks: WebhookConfiguration(github: secret, watchedRef: "refs/heads/main"), sink: polls.sink) {
            try await $0.post("/webhook/github", headers: headers, body: form)
        }
        #expect(response.status == 202)
        #expect(polls.all.map(\.revision) == ["cafe"])
    }
}

@Suite struct GitLabWebhookTests {
    @Test func tokenPushTriggers() async throws {
        let polls = PollRecorder()
        let body = Array(#"{"object_kind":"push","ref":"refs/heads/main","after":"beef","checkout_sha":"beef"}"#.utf8)
        try await withServer(webhooks: WebhookConfiguration(gitlab: secret, watchedRef: "main"), sink: polls.sink) { server in
            let push = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Token", secretText), ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "u-1")], body: body)
            #expect(push.status == 202)
            let tagBody = Array(#"{"object_kind":"tag_push","ref":"refs/tags/main"}"#.utf8)
            let tag = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Token", secretText), ("X-Gitlab-Event", "Tag Push Hook")], body: tagBody)
            #expect(tag.status == 202)
        }
        #expect(polls.all.map(\.event) == ["Push Hook", "Tag Push Hook"])
        #expect(polls.all.first == PollRequest(provider: .gitlab, event: "Push Hook", ref: "refs/heads/main", revision: "beef", deliveryID: "u-1"))
    }

    @Test func wrongOrMissingTokenIs401() async throws {
        let polls = PollRecorder()
        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        try await withServer(webhooks: WebhookConfiguration(gitlab: secret), sink: polls.sink) { server in
            for token in ["wrong", secretText + "x", String(secretText.dropLast())] {
                let response = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Token", token), ("X-Gitlab-Event", "Push Hook")], body: body)
                #expect(response.status == 401, "token \(token.count) chars")
            }
            let missing = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Event", "Push Hook")], body: body)
            #expect(missing.status == 401)
        }
        #expect(polls.all.isEmpty)
    }

    @Test func otherEventsAreIgnored() async throws {
        let polls = PollRecorder()
        let response = try await withServer(webhooks: WebhookConfiguration(gitlab: secret), sink: polls.sink) {
            try await $0.post("/webhook/gitlab", headers: [("X-Gitlab-Token", secretText), ("X-Gitlab-Event", "Merge Request Hook")], body: Array("{}".utf8))
        }
        #expect(response.status == 202)
        #expect(try JSON.parse(response.body)["result"] == .string("ignored"))
        #expect(polls.all.isEmpty)
    }
}

@Suite struct GenericWebhookTests {
    @Test func signedRequestTriggers() async throws {
        let polls = PollRecorder()
        let body = Array(#"{"ref":"refs/heads/main","revision":"f00d"}"#.utf8)
        try await withServer(webhooks: WebhookConfiguration(generic: secret), sink: polls.sink) { server in
            let response = try await server.post("/webhook/generic", headers: [("X-Capstan-Signature", hmacHeader(secretText, body))], body: body)
            #expect(response.status == 202)
            let empty = try await server.post("/webhook/generic", headers: [("X-Capstan-Signature", hmacHeader(secretText, []))])
            #expect(empty.status == 202)
        }
        #expect(polls.all == [
            PollRequest(provider: .generic, event: "generic", ref: "refs/heads/main", revision: "f00d"),
            PollRequest(provider: .generic, event: "generic"),
        ])
    }

    @Test func badOrMissingSignatureIs401() async throws {
        let polls = PollRecorder()
        let body = Array("poll please".utf8)
        try await withServer(webhooks: WebhookConfiguration(generic: secret), sink: polls.sink) { server in
            let bad = try await server.post("/webhook/generic", headers: [("X-Capstan-Signature", hmacHeader("nope", body))], body: body)
            #expect(bad.status == 401)
            let missing = try await server.post("/webhook/generic", body: body)
            #expect(missing.status == 401)
            #expect(try JSON.parse(missing.body)["error"] == .string("missing X-Capstan-Signature header"))
        }
        #expect(polls.all.isEmpty)
    }
}

@Suite struct WebhookEndpointTests {
    @Test func endpointWithoutSecretIsDisabled() async throws {
        let polls = PollRecorder()
        let metrics = CapstanMetrics()
        try await withServer(webhooks: WebhookConfiguration(github: secret), metrics: metrics, sink: polls.sink) { server in
            let body = Array("{}".utf8)
            let post = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Token", secretText), ("X-Gitlab-Event", "Push Hook")], body: body)
            #expect(post.status == 404)
            #expect(try JSON.parse(post.body)["error"] == .string("webhook /webhook/gitlab is disabled: no secret is configured for gitlab"))
            #expect(try await server.get("/webhook/generic").status == 404)
        }
        #expect(polls.all.isEmpty)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(sample(text, #"capstan_webhook_requests_total{provider="gitlab",result="disabled"}"#) == 1)
    }

    @Test func oversizedBodyIs413BeforeVerification() async throws {
        let polls = PollRecorder()
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
        let exact = [UInt8](repeating: UInt8(ascii: " "), count: 1 << 20)
        try await withServer(webhooks: WebhookConfiguration(secret: secret), sink: polls.sink) { server in
            let signed = [("X-Capstan-Signature", hmacHeader(secretText, big))]
            let declared = try await server.post("/webhook/generic", headers: signed, body: big)
            #expect(declared.status == 413)
            let chunked = try await server.post("/webhook/generic", headers: signed + [("Transfer-Encoding", "chunked")], body: big)
            #expect(chunked.status == 413)
            // The connection stays usable and a body of exactly the limit is accepted.
            let atLimit = try await server.post("/webhook/generic", headers: [("X-Capstan-Signature", hmacHeader(secretText, exact))], body: exact)
            #expect(atLimit.status == 202)
        }
        #expect(polls.all.count == 1)
    }

    @Test func wrongMethodIs405() async throws {
        try await withServer(webhooks: WebhookConfiguration(secret: secret)) { server in
            for provider in WebhookProvider.allCases {
                let response = try await server.get(provider.path)
                #expect(response.status == 405)
                #expect(response.headers["allow"] == "POST")
            }
            #expect(try await server.request("PUT", "/webhook/github").status == 405)
        }
    }

    @Test func logsNeverCarryTheSecretOrSignature() async throws {
        let lines = LineCollector()
        var logger = Logger(label: "capstan.server") { CapstanLogHandler(label: $0, format: .json, level: .trace, output: lines.output) }
        logger.logLevel = .trace
        let goodSignature = hmacHeader(secretText, pushBody)
        let badSignature = hmacHeader("guess", pushBody)
        try await withServer(webhooks: WebhookConfiguration(secret: secret), logger: logger) { server in
            _ = try await server.post("/webhook/github", headers: [("X-GitHub-Event", "push"), ("X-Hub-Signature-256", goodSignature)], body: pushBody)
            _ = try await server.post("/webhook/github", headers: [("X-GitHub-Event", "push"), ("X-Hub-Signature-256", badSignature)], body: pushBody)
            _ = try await server.post("/webhook/gitlab", headers: [("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", "guessed-token")], body: pushBody)
        }
        let all = lines.all.joined(separator: "\n")
        #expect(all.contains("webhook requested a poll"))
        #expect(all.contains("webhook rejected"))
        for forbidden in [secretText, String(goodSignature.dropFirst(7)), String(badSignature.dropFirst(7)), "guessed-token"] {
            #expect(!all.contains(forbidden))
        }
    }
}

@Suite struct WebhookSinkTests {
    @Test func coalescingStreamKeepsOnlyTheNewestPendingRequest() async throws {
        let (sink, requests) = WebhookSink.coalescingStream()
        try await withServer(webhooks: WebhookConfiguration(secret: secret), sink: sink) { server in
            for revision in ["a1", "b2", "c3"] {
                let body = Array(#"{"revision":"\#(revision)"}"#.utf8)
                _ = try await server.post("/webhook/generic", headers: [("X-Capstan-Signature", hmacHeader(secretText, body))], body: body)
            }
        }
        // The first element, or nil after 5 s, so a lost request fails the test instead of hanging it.
        let first = await withTaskGroup(of: PollRequest?.self) { group in
            group.addTask {
                var iterator = requests.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return nil
            }
            let winner = await group.next() ?? nil
            group.cancelAll()
            return winner
        }
        #expect(first?.revision == "c3")
    }
}
