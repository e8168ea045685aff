public import Logging

/// Capstan's swift-log handler: text or JSON lines, UTC timestamps, metadata with secrets redacted.
public struct CapstanLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let encoder: LogLineEncoder
    private let output: LogOutput
    private let clock: @Sendable () -> LogTimestamp

    /// A handler for the logger `label`. `clock` is for tests; the default reads the realtime clock.
    public init(
        label: String, format: LogFormat, level: Logger.Level = .info, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil, clock: @escaping @Sendable () -> LogTimestamp = LogTimestamp.now
    ) {
        self.label = label
        self.logLevel = level
        self.encoder = LogLineEncoder(format: format)
        self.output = output
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Precedence, lowest first: handler metadata, the provider's (task-local context), the call's own.
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string(String(describing: error)) }
        let line = encoder.encode(
            time: clock(), level: event.level, label: label, message: event.message.description,
            metadata: LogRedaction.redact(merged))
        output.write(line)
    }
}
