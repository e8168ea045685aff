import CapstanModel

/// Verifies and interprets webhook deliveries. Pure: headers and raw body in, a decision out; the HTTP glue
/// (method, size limit, status codes, the sink) lives in `CapstanHTTPServer+Webhooks.swift`.
struct WebhookVerifier: Sendable {
    let provider: WebhookProvider
    let secret: WebhookSecret
    /// Only pushes to this ref trigger (`main`, `refs/heads/main`, `v1.2`); nil means every push triggers.
    let watchedRef: String?

    /// Decides what to do with one delivery. `header` looks a header up case-insensitively.
    func decide(header: (String) -> String?, body: [UInt8]) -> WebhookDecision {
        if let failure = authenticate(header: header, body: body) { return .unauthorized(reason: failure) }
        switch provider {
        case .github:
            let event = header("X-GitHub-Event") ?? ""
            let delivery = header("X-GitHub-Delivery")
            switch event {
            case "ping": return .pong
            case "push": return push(event: event, payload: githubPayload(body, contentType: header("Content-Type")), delivery: delivery)
            default: return .ignored(reason: "GitHub event \(quoted(event)) does not trigger a poll (only push)")
            }
        case .gitlab:
            let event = header("X-Gitlab-Event") ?? ""
            let delivery = header("X-Gitlab-Event-UUID")
            switch event {
            case "Push Hook", "Tag Push Hook":
                return push(event: event, payload: body, delivery: delivery)
            case "System Hook" where ["push", "tag_push"].contains((try? JSON.parse(body))?["object_kind"]?.stringValue):
                // Instance-wide system hooks deliver pushes under this event name, told apart by `object_kind`.
                return push(event: event, payload: body, delivery: delivery)
            default:
                return .ignored(reason: "GitLab event \(quoted(event)) does not trigger a poll (only Push Hook, Tag Push Hook)")
            }
        case .generic:
            return generic(body: body, delivery: header("X-Capstan-Delivery"))
        }
    }

    /// Nil when the delivery proves knowledge of the secret, else why not (never containing the value sent).
    private func authenticate(header: (String) -> String?, body: [UInt8]) -> String? {
        guard let value = header(provider.credentialHeader) else { return "missing \(provider.credentialHeader) header" }
        switch provider {
        case .gitlab:
            return secret.matchesToken(value) ? nil : "\(provider.credentialHeader) does not match the configured secret"
        case .github, .generic:
            guard value.hasPrefix("sha256=") else { return "\(provider.credentialHeader) must be sha256=<hex HMAC-SHA256 of the body>" }
            let hex = value.dropFirst("sha256=".count)
            return secret.verifyHMACSHA256(hexSignature: hex, body: body)
                ? nil : "\(provider.credentialHeader) does not match the body signed with the configured secret"
        }
    }

    /// A verified push: triggers unless a ref filter is set and the payload names another ref.
    private func push(event: String, payload: [UInt8], delivery: String?) -> WebhookDecision {
        let object = try? JSON.parse(payload)
        let ref = object?["ref"]?.stringValue
        let after = object?["after"]?.stringValue ?? object?["checkout_sha"]?.stringValue
        if let watchedRef {
            guard let ref else { return .badRequest(reason: "push payload has no \"ref\" to compare with the watched ref") }
            guard RefMatch.matches(ref, watched: watchedRef) else {
                return .ignored(reason: "push to \(ref) is not the watched ref \(watchedRef)")
            }
        }
        return .trigger(PollRequest(provider: provider, event: event, ref: ref, revision: after, deliveryID: delivery))
    }

    /// A verified generic delivery: any body triggers; a JSON object with a `ref` is filtered like a push.
    private func generic(body: [UInt8], delivery: String?) -> WebhookDecision {
        let object = try? JSON.parse(body)
        let ref = object?["ref"]?.stringValue
        if let watchedRef, let ref, !RefMatch.matches(ref, watched: watchedRef) {
            return .ignored(reason: "request for \(ref) is not the watched ref \(watchedRef)")
        }
        let revision = object?["revision"]?.stringValue ?? object?["after"]?.stringValue
        return .trigger(PollRequest(provider: .generic, event: "generic", ref: ref, revision: revision, deliveryID: delivery))
    }

    /// GitHub sends JSON, or `payload=<url-encoded JSON>` when the hook's content type is form-encoded. A form
    /// body without that field is read as JSON itself (`curl --data` labels JSON as a form by default).
    private func githubPayload(_ body: [UInt8], contentType: String?) -> [UInt8] {
        guard let contentType, contentType.lowercased().hasPrefix("application/x-www-form-urlencoded"),
              let payload = FormDecoding.value(of: "payload", in: body)
        else { return body }
        return Array(payload.utf8)
    }

    private func quoted(_ event: String) -> String { event.isEmpty ? "(none)" : event }
}

/// Whether a pushed ref is the ref Capstan watches, given either a full ref or a short branch/tag name.
enum RefMatch {
    static func matches(_ ref: String, watched: String) -> Bool {
        if watched.hasPrefix("refs/") { return ref == watched }
        return ref == watched || ref == "refs/heads/\(watched)" || ref == "refs/tags/\(watched)"
    }
}

/// `application/x-www-form-urlencoded` reading, just enough for GitHub's `payload=` form.
enum FormDecoding {
    /// The decoded value of the first `name=` field, or nil.
    static func value(of name: String, in body: [UInt8]) -> String? {
        for field in body.split(separator: UInt8(ascii: "&")) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = decode(parts[0]), key == name else { continue }
            return decode(parts[1])
        }
        return nil
    }

    /// Percent-decoding with `+` as space; nil on a malformed escape or invalid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if c == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex,
                      let byte = Hex.decode(Substring(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self)))?.first
                else { return nil }
                out.append(byte)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return String(validating: out, as: UTF8.self)
    }
}
