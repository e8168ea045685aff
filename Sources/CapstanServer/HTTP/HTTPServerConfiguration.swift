/// Where the daemon's HTTP server listens and how its webhooks authenticate.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind (`127.0.0.1`, `0.0.0.0`, `::`).
    public var host: String
    /// The TCP port; 0 picks a free port (read it back with `CapstanHTTPServer.boundPort()`).
    public var port: Int
    public var webhooks: WebhookConfiguration

    /// A configuration; the defaults listen on loopback port 8080 with every webhook disabled.
    public init(host: String = "127.0.0.1", port: Int = 8080, webhooks: WebhookConfiguration = WebhookConfiguration()) {
        self.host = host
        self.port = port
        self.webhooks = webhooks
    }

    /// Reads a listen address as `capstan run --http-address` takes it: `host:port`, `:port` (every IPv4
    /// interface), or `[v6]:port`. Returns nil when it is none of these or the port is out of range.
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port), !host.contains(" ") else { return nil }
        return (host.isEmpty ? "0.0.0.0" : String(host), port)
    }
}

/// Secrets per webhook endpoint, the ref filter, and the body limit. An endpoint without a secret is disabled:
/// it answers 404 with a JSON body saying so, whatever the method.
public struct WebhookConfiguration: Sendable {
    public var github: WebhookSecret?
    public var gitlab: WebhookSecret?
    public var generic: WebhookSecret?
    /// Only pushes to this ref trigger a poll (`main`, `refs/heads/main`); nil lets every verified push trigger.
    public var watchedRef: String?
    /// Larger bodies are refused with 413 before any signature check.
    public var maxBodyBytes: Int

    /// Secrets per endpoint (nil disables it), an optional ref filter and the body limit (1 MiB by default).
    public init(
        github: WebhookSecret? = nil, gitlab: WebhookSecret? = nil, generic: WebhookSecret? = nil,
        watchedRef: String? = nil, maxBodyBytes: Int = 1 << 20
    ) {
        self.github = github
        self.gitlab = gitlab
        self.generic = generic
        self.watchedRef = watchedRef
        self.maxBodyBytes = maxBodyBytes
    }

    /// One secret for every endpoint (the daemon's single `webhook secret` setting).
    public init(secret: WebhookSecret?, watchedRef: String? = nil, maxBodyBytes: Int = 1 << 20) {
        self.init(github: secret, gitlab: secret, generic: secret, watchedRef: watchedRef, maxBodyBytes: maxBodyBytes)
    }

    /// The secret of `provider`'s endpoint, or nil when it is disabled.
    public func secret(for provider: WebhookProvider) -> WebhookSecret? {
        switch provider {
        case .github: github
        case .gitlab: gitlab
        case .generic: generic
        }
    }
}
