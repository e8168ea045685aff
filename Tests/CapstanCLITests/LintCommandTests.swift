import CapstanTesting
import Foundation
import Testing

/// `capstan lint` run as a built binary on generated files: each bad input gives one located line, exit 1,
/// in under a second, and the other files are still reported.
@Suite(.serialized) struct LintCommandTests {
    /// A scratch directory with one good manifest and every kind of bad input from the issue.
    final class Fixture {
        let directory: URL
        let badFiles: [String: String]  // file name → expected start of its one error line (after the path)

        init() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-lint-\(UUID().uuidString)")
            self.directory = directory
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("nested"), withIntermediateDirectories: true)
            func write(_ name: String, _ bytes: [UInt8]) throws {
                try Data(bytes).write(to: directory.appendingPathComponent(name))
            }
            try write("good.yaml", Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n  namespace: default\ndata:\n  k: v\n".utf8))
            try write("notes.txt", Array("not: [yaml\n".utf8))
            try write("malformed.yaml", Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n".utf8))
            try write("tabs.yaml", Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n".utf8))
            try write("dupkeys.yaml", Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n".utf8))
            try write("badutf8.yaml", Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf".utf8) + [0xE9, 0x0A])
            try write("deep.yaml", Array((String(repeating: "[", count: 10_000) + "\n").utf8))
            var bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            for i in 1...9 { bomb += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
            try write("bomb.yaml", Array(bomb.utf8))
            var seed: UInt64 = 0x1234_5678
            let garbage = (0..<65_536).map { _ -> UInt8 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 33)
            }
            try write("nested/binary.yaml", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + garbage)
            // 100 MB of otherwise valid YAML comments.
            let huge = directory.appendingPathComponent("huge.yaml")
            _ = FileManager.default.createFile(atPath: huge.path, contents: nil)
            let handle = try FileHandle(forWritingTo: huge)
            let block = Data(String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 16_384).utf8)
            var written = 0
            while written < 100_000_000 {
                handle.write(block)
                written += block.count
            }
            try handle.close()
            badFiles = [
                "malformed.yaml": "malformed.yaml:4:1: did not find expected ',' or '}' (while parsing a flow mapping)",
                "tabs.yaml": "tabs.yaml:4:1: found a tab character where a token or indentation is expected",
                "dupkeys.yaml": "dupkeys.yaml:5:3: mapping key \"name\" already defined at line 4",
                "badutf8.yaml": "badutf8.yaml:4:12: incomplete UTF-8 octet sequence",
                "deep.yaml": "deep.yaml:1:513: maps and lists nest deeper than 512 levels (nesting depth limit)",
                "bomb.yaml": "bomb.yaml:5:",
                "nested/binary.yaml": "nested/binary.yaml:1:",
                "huge.yaml": "huge.yaml:1:1: input is \(written) bytes, larger than the limit of 67108864 bytes (64 MiB); not parsed",
            ]
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func reportsEveryBadFileAndKeepsGoing() throws {
        let fixture = try Fixture()
        let result = try CLI.run(["lint", fixture.directory.path])
        let prefix = fixture.directory.path + "/"
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(result.exitCode == 1)
        // The issue asks for "within a second" per bad input; the debug binary does the whole set in ~0.7 s on an idle
        // machine. The bound here only has to catch a hang without flaking on a loaded CI machine.
        #expect(result.duration < 5.0)
        #expect(lines.count == fixture.badFiles.count, "\(result.stdout)")
        for (file, expected) in fixture.badFiles {
            let matching = lines.filter { $0.hasPrefix(prefix + file + ":") }
            #expect(matching.count == 1, "\(file): \(matching)")
            #expect(matching.first?.hasPrefix(prefix + expected) == true, "\(file): \(matching)")
        }
        #expect(!result.stdout.contains("good.yaml"))
        #expect(!result.stdout.contains("notes.txt"))
        #expect(result.stderr == "capstan lint: 9 files, 1 object: 8 problems\n")
    }

    @Test func eachBadFileAloneFailsFastWithOneLine() throws {
        let fixture = try Fixture()
        for (file, expected) in fixture.badFiles.sorted(by: { $0.key < $1.key }) {
            let result = try CLI.run(["lint", file], directory: fixture.directory)
            #expect(result.exitCode == 1, "\(file)")
            // Wall time, so generous: the whole suite runs beside Git tests that start servers and workers.
            #expect(result.duration < 3.0, "\(file) took \(result.duration) s")
            #expect(result.stdout.hasPrefix(expected), "\(file): \(result.stdout)")
            #expect(result.stdout.split(separator: "\n").count == 1, "\(file): \(result.stdout)")
            #expect(result.stderr == "capstan lint: 1 file, 0 objects: 1 problem\n")
        }
    }

    @Test func cleanInputExitsZero() throws {
        let fixture = try Fixture()
        let result = try CLI.run(["lint", "good.yaml", "notes.txt"], directory: fixture.directory)
        // notes.txt is named explicitly, so it is read as YAML and fails; good.yaml alone passes.
        #expect(result.exitCode == 1)
        #expect(result.stdout.hasPrefix("notes.txt:2:1: "))
        let clean = try CLI.run(["lint", "good.yaml"], directory: fixture.directory)
        #expect(clean.exitCode == 0)
        #expect(clean.stdout == "")
        #expect(clean.stderr == "capstan lint: 1 file, 1 object: no problems\n")
    }

    @Test func identityProblemsAndDefaultPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-lint-id-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("b"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  namespace: prod\n"
        try cm.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try ("---\n" + cm + "---\nkind: Secret\nmetadata: {name: Bad_Name}\n").write(
            to: directory.appendingPathComponent("b/c.yml"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["lint"], directory: directory)
        #expect(result.exitCode == 1)
        #expect(result.stdout == """
            b/c.yml:2:1: ConfigMap prod/same: already defined at a.yaml:1:1
            b/c.yml:8:1: Secret Bad_Name: apiVersion: required field is missing
            b/c.yml:9:18: Secret Bad_Name: metadata.name: invalid name "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character

            """)
    }

    @Test func missingPathAndHelp() throws {
        let result = try CLI.run(["lint", "/nonexistent/capstan-fleet"])
        #expect(result.exitCode == 1)
        #expect(result.stdout == "/nonexistent/capstan-fleet: no such file or directory\n")
        let help = try CLI.run(["lint", "--help"])
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("USAGE: capstan lint [<options>] [<path> ...]"))
        #expect(help.stdout.contains("file:line:col: message"))
    }
}
