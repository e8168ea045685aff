import CapstanModel
import CapstanServer
import Logging
import Testing

private let fixedTime = LogTimestamp(seconds: 1_795_240_800, nanoseconds: 123_456_789)

private func logger(_ format: LogFormat, _ lines: LineCollector, level: Logger.Level = .info) -> Logger {
    Logger(label: "reconciler") { CapstanLogHandler(label: $0, format: format, level: level, output: lines.output, clock: { fixedTime }) }
}

@Suite struct LoggingTests {
    @Test func textLineHasTheDocumentedShape() {
        let lines = LineCollector()
        logger(.text, lines).info("sync finished", metadata: ["revision": "4f2a9c1", "objects": "12"])
        #expect(lines.all == ["2026-11-21T06:00:00Z info reconciler: sync finished objects=12 revision=4f2a9c1"])
    }

    @Test func textQuotesAndEscapes() {
        let lines = LineCollector()
        var log = logger(.text, lines)
        log[metadataKey: "fleet"] = "prod"
        log.warning("two\nlines", metadata: [
            "path": "clusters/a b.yaml", "empty": "", "quote": "say \"hi\"", "nested": ["name": "a", "ns": "default"],
            "list": ["x", "y"],
        ])
        #expect(lines.all == [
            #"2026-11-21T06:00:00Z warning reconciler: two\nlines empty="" fleet=prod list=[x,y] nested.name=a nested.ns=default path="clusters/a b.yaml" quote="say \"hi\"""#
        ])
    }

    @Test func levelFiltersRecords() {
        let lines = LineCollector()
        let log = logger(.text, lines, level: .notice)
        log.info("dropped")
        log.debug("dropped")
        log.notice("kept")
        log.error("kept too")
        #expect(lines.all.count == 2)
        #expect(lines.all[1].hasPrefix("2026-11-21T06:00:00Z error reconciler: kept too"))
    }

    @Test func jsonLinesParse() throws {
        let lines = LineCollector()
        let log = logger(.json, lines)
        log.info("applied \"Cluster\"\n", metadata: ["cluster": ["name": "a", "namespace": "default"], "count": .stringConvertible(3)])
        log.error("fetch failed")
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { !$0.contains("\n") })
        let first = try JSON.parse(lines.all[0])
        #expect(first.keysInOrder == ["time", "level", "label", "message", "metadata"])
        #expect(first["time"] == .string("2026-11-21T06:00:00.123Z"))
        #expect(first["level"] == .string("info"))
        #expect(first["label"] == .string("reconciler"))
        #expect(first["message"] == .string("applied \"Cluster\"\n"))
        #expect(first[dotted: "metadata.cluster.namespace"] == .string("default"))
        #expect(first[dotted: "metadata.count"] == .string("3"))
        let second = try JSON.parse(lines.all[1])
        #expect(second["level"] == .string("error"))
        #expect(second["metadata"] == .map(ObjectMap()))
    }

    @Test func secretsAreRedactedInBothFormats() throws {
        for format in LogFormat.allCases {
            let lines = LineCollector()
            logger(format, lines).info("connecting", metadata: [
                "password": "hunter2", "X-Gitlab-Token": "glpat-123", "Authorization": "Bearer abc",
                "webhookSecret": "s3", "git": ["url": "https://example.com/fleet.git", "access_token": "ghp_x"],
                "user": "capstan",
            ])
            let line = try #require(lines.all.first)
            for leaked in ["hunter2", "glpat-123", "Bearer abc", "s3\"", "ghp_x"] { #expect(!line.contains(leaked), "\(format)") }
            #expect(line.contains("capstan"))
            #expect(line.contains("https://example.com/fleet.git"))
            if format == .json {
                let object = try JSON.parse(line)
                #expect(object[dotted: "metadata.password"] == .string("<redacted>"))
                #expect(object[dotted: "metadata.git.access_token"] == .string("<redacted>"))
            }
        }
    }

    @Test func redactionHelper() {
        let metadata: Logger.Metadata = ["db_password": "x", "api-key": "y", "name": "z", "inner": ["Cookie": "c", "ok": "o"]]
        let redacted = metadata.redacted
        #expect(redacted["db_password"] == .string("<redacted>"))
        #expect(redacted["api-key"] == .string("<redacted>"))
        #expect(redacted["name"] == .string("z"))
        #expect(redacted["inner"] == .dictionary(["Cookie": .string("<redacted>"), "ok": .string("o")]))
        #expect(LogRedaction.isSensitive(key: "X-Hub-Signature-256"))
        #expect(!LogRedaction.isSensitive(key: "revision"))
    }

    @Test func errorAndProviderMetadataAreIncluded() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let lines = LineCollector()
        let provider = Logger.MetadataProvider { ["trace": "t-1", "revision": "from-provider"] }
        let log = Logger(label: "daemon") {
            CapstanLogHandler(label: $0, format: .json, output: lines.output, metadataProvider: provider, clock: { fixedTime })
        }
        log.error("step failed", error: Boom(), metadata: ["revision": "own"])
        let object = try JSON.parse(try #require(lines.all.first))
        #expect(object[dotted: "metadata.trace"] == .string("t-1"))
        #expect(object[dotted: "metadata.revision"] == .string("own"))
        #expect(object[dotted: "metadata.error"] == .string("boom"))
    }

    @Test func timestampsFormatAsUTC() {
        #expect(LogTimestamp(seconds: 0).rfc3339(milliseconds: false) == "1970-01-01T00:00:00Z")
        #expect(LogTimestamp(seconds: 1_709_251_199, nanoseconds: 999_999_999).rfc3339(milliseconds: true) == "2024-02-29T23:59:59.999Z")
        #expect(LogTimestamp(seconds: -1).rfc3339(milliseconds: false) == "1969-12-31T23:59:59Z")
        #expect(LogTimestamp(seconds: -2_203_891_200).rfc3339(milliseconds: false) == "1900-03-01T00:00:00Z")
        #expect(LogTimestamp(seconds: 4_107_587_405).rfc3339(milliseconds: false) == "2100-03-01T12:30:05Z")
    }

    @Test func levelNamesParse() {
        #expect(CapstanLogging.level(named: "DEBUG") == .debug)
        #expect(CapstanLogging.level(named: "warn") == .warning)
        #expect(CapstanLogging.level(named: "critical") == .critical)
        #expect(CapstanLogging.level(named: "loud") == nil)
        #expect(LogFormat(rawValue: "json") == .json)
        #expect(LogFormat(rawValue: "yaml") == nil)
    }
}

extension Value {
    /// The keys of a map in document order, or nil for other values.
    var keysInOrder: [String]? { if case .map(let m) = self { m.keys } else { nil } }
}
