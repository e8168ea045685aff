public import CapstanFleet
import Logging

/// Commits status reports (`StatusFiles`) through a `StatusWriter`, only when they changed since the last
/// commit. The daemon calls it at most once per status interval while things move. A write either lands as
/// one commit or not at all (the writer pushes one commit, never half of one).
public actor StatusPublisher {
    /// Makes the writer for a status target (a branch, or a directory on the source branch).
    public typealias WriterFactory = @Sendable (FleetConfig.StatusTarget) throws -> any StatusWriter

    let makeWriter: WriterFactory
    private var writer: (target: FleetConfig.StatusTarget, writer: any StatusWriter)?
    private var lastWritten: [String: [UInt8]]?
    /// Commits made (tests and logs).
    public private(set) var commits = 0

    public init(makeWriter: @escaping WriterFactory) {
        self.makeWriter = makeWriter
    }

    /// Writes the reports of `summary` when they differ from the last ones written. Returns the writer's
    /// result, or nil when nothing changed since the last write.
    @discardableResult
    public func publish(_ summary: StatusSummary, target: FleetConfig.StatusTarget, source: Revision?) async throws -> WriteResult? {
        let files = StatusFiles.render(summary)
        if files == lastWritten, writer?.target == target { return nil }
        if writer?.target != target { writer = (target, try makeWriter(target)) }
        let message = "capstan: status of \(summary.fleet)" + (summary.revision.map { " at \($0)" } ?? "")
        let result = try await writer!.writer.write(files: files, replacing: ["status", "drift"], message: message, source: source)
        lastWritten = files
        if case .committed = result { commits += 1 }
        return result
    }
}
