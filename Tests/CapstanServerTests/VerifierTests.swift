@testable import CapstanServer
import Testing

/// The verification rules without HTTP: known-answer HMAC, ref matching, form decoding.
@Suite struct VerifierTests {
    @Test func githubDocumentedTestVector() {
        // The example GitHub's webhook documentation gives for validating deliveries.
        let secret = WebhookSecret("It's a Secret to Everybody")!
        let body = Array("Hello, World!".utf8)
        let expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(secret.signature(for: body) == expected)
        #expect(secret.verifyHMACSHA256(hexSignature: Substring(expected), body: body))
        #expect(secret.verifyHMACSHA256(hexSignature: Substring(expected.uppercased()), body: body))
        #expect(!secret.verifyHMACSHA256(hexSignature: Substring(expected.dropLast(2)), body: body))
        #expect(!secret.verifyHMACSHA256(hexSignature: Substring(expected.dropLast() + "0"), body: body))
    }

    @Test func secretNeverPrints() {
        let secret = WebhookSecret("  hunter2\n")!
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.matchesToken("hunter2"))
        #expect(!secret.matchesToken("hunter2 "))
        #expect(WebhookSecret(" \n") == nil)
    }

    @Test func refMatching() {
        #expect(RefMatch.matches("refs/heads/main", watched: "main"))
        #expect(RefMatch.matches("refs/tags/v1", watched: "v1"))
        #expect(RefMatch.matches("refs/heads/main", watched: "refs/heads/main"))
        #expect(!RefMatch.matches("refs/tags/main", watched: "refs/heads/main"))
        #expect(!RefMatch.matches("refs/heads/main-2", watched: "main"))
    }

    @Test func formDecoding() {
        #expect(FormDecoding.value(of: "payload", in: Array("a=1&payload=%7B%22x%22%3A+1%7D".utf8)) == #"{"x": 1}"#)
        #expect(FormDecoding.value(of: "payload", in: Array("payload=%7".utf8)) == nil)
        #expect(FormDecoding.value(of: "payload", in: Array("other=1".utf8)) == nil)
    }

    @Test func pushWithoutRefIsABadRequestOnlyWhenFiltering() {
        let secret = WebhookSecret("k")!
        let body = Array("{}".utf8)
        let headers = ["x-github-event": "push", "x-hub-signature-256": "sha256=" + secret.signature(for: body)]
        let lookup: (String) -> String? = { headers[$0.lowercased()] }
        let filtered = WebhookVerifier(provider: .github, secret: secret, watchedRef: "main")
        let unfiltered = WebhookVerifier(provider: .github, secret: secret, watchedRef: nil)
        #expect(filtered.decide(header: lookup, body: body) == .badRequest(reason: "push payload has no \"ref\" to compare with the watched ref"))
        #expect(unfiltered.decide(header: lookup, body: body) == .trigger(PollRequest(provider: .github, event: "push")))
    }

    @Test func formLabelledJSONIsReadAsJSON() {
        let secret = WebhookSecret("k")!
        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        let headers = [
            "x-github-event": "push", "content-type": "application/x-www-form-urlencoded",
            "x-hub-signature-256": "sha256=" + secret.signature(for: body),
        ]
        let verifier = WebhookVerifier(provider: .github, secret: secret, watchedRef: "main")
        #expect(verifier.decide(header: { headers[$0.lowercased()] }, body: body)
            == .trigger(PollRequest(provider: .github, event: "push", ref: "refs/heads/main")))
    }

    @Test func gitlabSystemHookPushTriggers() {
        let secret = WebhookSecret("k")!
        let verifier = WebhookVerifier(provider: .gitlab, secret: secret, watchedRef: "main")
        let headers = ["x-gitlab-token": "k", "x-gitlab-event": "System Hook"]
        let push = Array(#"{"object_kind":"push","ref":"refs/heads/main","after":"c0ffee"}"#.utf8)
        let project = Array(#"{"event_name":"project_create"}"#.utf8)
        #expect(verifier.decide(header: { headers[$0.lowercased()] }, body: push)
            == .trigger(PollRequest(provider: .gitlab, event: "System Hook", ref: "refs/heads/main", revision: "c0ffee")))
        #expect(verifier.decide(header: { headers[$0.lowercased()] }, body: project)
            == .ignored(reason: "GitLab event System Hook does not trigger a poll (only Push Hook, Tag Push Hook)"))
    }

    @Test func addressParsing() {
        #expect(HTTPServerConfiguration.parseAddress("127.0.0.1:8080")! == ("127.0.0.1", 8080))
        #expect(HTTPServerConfiguration.parseAddress(":9090")! == ("0.0.0.0", 9090))
        #expect(HTTPServerConfiguration.parseAddress("[::1]:0")! == ("::1", 0))
        #expect(HTTPServerConfiguration.parseAddress("localhost") == nil)
        #expect(HTTPServerConfiguration.parseAddress("host:70000") == nil)
    }
}
