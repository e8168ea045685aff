public import Foundation

/// Golden-file assertions: compare output with `Golden/<name>` beside the calling test file.
///
/// Set `CAPSTAN_RECORD=1` to (re-)record; a recording run writes the file and then fails, so
/// nobody records by accident and CI never passes on freshly recorded output.
public enum Golden {
    /// A mismatch or a recording, described with a unified-style excerpt.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// The directory `Golden/` next to `testFile` (pass `#filePath`).
    public static func directory(for testFile: String) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// Checks `actual` against `Golden/<name>`; throws with a readable diff when they differ.
    public static func check(_ actual: String, named name: String, testFile: String = #filePath) throws {
        let url = directory(for: testFile).appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CAPSTAN_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            throw Mismatch(description: "recorded \(url.path); unset CAPSTAN_RECORD and run again")
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            throw Mismatch(description: "missing golden file \(url.path); run with CAPSTAN_RECORD=1 to record it")
        }
        if expected != actual {
            throw Mismatch(description: "output differs from \(url.lastPathComponent):\n" + firstDifference(expected, actual))
        }
    }

    /// A few lines around the first differing line of two texts.
    public static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < min(e.count, a.count), e[i] == a[i] { i += 1 }
        let from = max(0, i - 3)
        var out = "first difference at line \(i + 1)\n"
        for j in from..<min(max(e.count, a.count), i + 4) {
            let el = j < e.count ? String(e[j]) : "<end>"
            let al = j < a.count ? String(a[j]) : "<end>"
            if el == al { out += "  \(el)\n" } else { out += "- \(el)\n+ \(al)\n" }
        }
        return out
    }
}
