import CapstanFleet
import CapstanModel
import CapstanTesting
import Foundation

/// fleet-example's files in memory, to build revisions for library-level plan and drift tests.
struct FleetFiles: Sendable {
    var texts: [String: String]

    /// Every YAML file of fleet-example, by path relative to it.
    static let example: FleetFiles = {
        let root = CLI.packageRoot().appendingPathComponent("fleet-example").path
        var texts: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: root)!
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".yaml") else { continue }
            texts[rel] = try! String(contentsOfFile: root + "/" + rel, encoding: .utf8)
        }
        return FleetFiles(texts: texts)
    }()

    /// A copy with `old` replaced by `new` in `file` (the text must be there).
    func replacing(_ file: String, _ old: String, _ new: String) -> FleetFiles {
        var copy = self
        let text = texts[file]!
        precondition(text.contains(old), "\(file) does not contain \(old)")
        copy.texts[file] = text.replacingOccurrences(of: old, with: new)
        return copy
    }

    /// A copy with a file set (nil removes it).
    func setting(_ file: String, _ text: String?) -> FleetFiles {
        var copy = self
        copy.texts[file] = text
        return copy
    }

    /// The loaded snapshot.
    var snapshot: FleetSnapshot { FleetLoader().load(tree: MemoryTree(texts: texts)) }
}
