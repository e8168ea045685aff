public import Logging
import Synchronization

/// Process-wide logging setup for the executable (`--log-format`, `--log-level`). Libraries and tests create
/// `CapstanLogHandler`s directly; only `main` bootstraps.
public enum CapstanLogging {
    private static let done = Mutex(false)

    /// Bootstraps `LoggingSystem` with `CapstanLogHandler` once per process. `LoggingSystem.bootstrap` traps when
    /// called twice; here a second call returns false and changes nothing.
    @discardableResult
    public static func bootstrap(
        format: LogFormat, level: Logger.Level, output: LogOutput = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Bool {
        done.withLock { done in
            guard !done else { return false }
            done = true
            LoggingSystem.bootstrap({ label, provider in
                CapstanLogHandler(label: label, format: format, level: level, output: output, metadataProvider: provider)
            }, metadataProvider: metadataProvider)
            return true
        }
    }

    /// Parses a `--log-level` value: swift-log's names (`trace` … `critical`), case-insensitive, plus `warn`.
    public static func level(named name: String) -> Logger.Level? {
        let lowered = name.lowercased()
        if lowered == "warn" { return .warning }
        return Logger.Level(rawValue: lowered)
    }
}
