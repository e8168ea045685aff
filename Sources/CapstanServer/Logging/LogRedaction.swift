public import Logging

/// Keeps secret values out of logs: metadata whose key names a credential is replaced by `<redacted>`.
/// `CapstanLogHandler` applies it to every record; call it yourself before putting metadata anywhere else
/// (an error message, a status report).
public enum LogRedaction {
    /// What a redacted value prints as.
    public static let placeholder = "<redacted>"

    /// Key fragments that mark a value as secret, matched case-insensitively anywhere in the key
    /// (`password`, `db_password`, `X-Gitlab-Token`, `Authorization`, `webhookSecret`, `X-Hub-Signature-256`).
    public static let sensitiveKeyFragments = [
        "password", "passwd", "token", "secret", "authorization", "apikey", "api_key", "api-key", "credential",
        "private_key", "privatekey", "private-key", "signature", "cookie",
    ]

    /// True when a value under `key` must not be logged.
    public static func isSensitive(key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveKeyFragments.contains { lowered.contains($0) }
    }

    /// `metadata` with every sensitive key's value replaced, at any depth of nested dictionaries.
    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var out = metadata
        for (key, value) in metadata {
            if isSensitive(key: key) {
                out[key] = .string(placeholder)
            } else if case .dictionary(let nested) = value {
                out[key] = .dictionary(redact(nested))
            } else if case .array(let items) = value {
                out[key] = .array(items.map { item in
                    if case .dictionary(let nested) = item { return .dictionary(redact(nested)) }
                    return item
                })
            }
        }
        return out
    }
}

extension Logger.Metadata {
    /// This metadata with secret values replaced (see `LogRedaction`).
    public var redacted: Logger.Metadata { LogRedaction.redact(self) }
}
