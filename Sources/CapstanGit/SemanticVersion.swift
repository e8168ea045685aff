/// A semantic version as tags carry it: `v1.2.3`, `1.2`, `1.2.3-rc.1+build` (a leading `v` and missing minor or
/// patch parts are accepted, as Masterminds/semver's `NewVersion` does for Flux's semver refs).
public struct SemanticVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// Dot-separated pre-release identifiers (`rc.1` → `["rc", "1"]`); empty for a release.
    public var prerelease: [String]

    public init(major: Int, minor: Int, patch: Int, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses a version; nil when `text` is not one.
    public init?(_ text: String) {
        guard let parsed = PartialVersion(text), !parsed.hasExplicitWildcard else { return nil }
        self = parsed.floor
    }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    /// SemVer 2.0 precedence: numbers, then a pre-release sorts before its release; identifiers compare
    /// numerically when both are numbers, otherwise as ASCII, and numbers sort before words.
    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        if a.major != b.major { return a.major < b.major }
        if a.minor != b.minor { return a.minor < b.minor }
        if a.patch != b.patch { return a.patch < b.patch }
        if a.prerelease.isEmpty || b.prerelease.isEmpty { return !a.prerelease.isEmpty && b.prerelease.isEmpty }
        for (x, y) in zip(a.prerelease, b.prerelease) where x != y {
            switch (Int(x), Int(y)) {
            case let (i?, j?): return i < j
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return x < y
            }
        }
        return a.prerelease.count < b.prerelease.count
    }
}

/// A version in a constraint, where parts may be missing or wildcards (`1`, `1.2`, `1.x`, `*`).
struct PartialVersion: Hashable, Sendable {
    var major: Int?
    var minor: Int?
    var patch: Int?
    var prerelease: [String]
    /// Whether a part was written as `x`, `X` or `*` (rather than left out).
    var hasExplicitWildcard = false

    init?(_ raw: String) {
        var text = Substring(raw)
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        if let plus = text.firstIndex(of: "+") { text = text[..<plus] }  // build metadata never affects precedence
        var pre: [String] = []
        if let dash = text.firstIndex(of: "-") {
            let tail = text[text.index(after: dash)...]
            pre = tail.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !pre.isEmpty, pre.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }) else { return nil }
            text = text[..<dash]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int?] = []
        for part in parts {
            if part == "x" || part == "X" || part == "*" {
                numbers.append(nil)
                hasExplicitWildcard = true
            } else if let n = Int(part), n >= 0, part.allSatisfy(\.isASCII) {
                numbers.append(n)
            } else {
                return nil
            }
        }
        // Once a part is a wildcard the rest are too.
        if let firstWild = numbers.firstIndex(where: { $0 == nil }), numbers[firstWild...].contains(where: { $0 != nil }) { return nil }
        major = numbers[0]
        minor = numbers.count > 1 ? numbers[1] : nil
        patch = numbers.count > 2 ? numbers[2] : nil
        prerelease = pre
    }

    var hasWildcard: Bool { major == nil || minor == nil || patch == nil }

    /// The lowest version this partial version covers (missing parts as 0).
    var floor: SemanticVersion {
        SemanticVersion(major: major ?? 0, minor: minor ?? 0, patch: patch ?? 0, prerelease: prerelease)
    }

    /// The first version above everything this partial version covers; nil for `*`.
    var ceiling: SemanticVersion? {
        guard let major else { return nil }
        guard let minor else { return SemanticVersion(major: major + 1, minor: 0, patch: 0) }
        guard let patch else { return SemanticVersion(major: major, minor: minor + 1, patch: 0) }
        return SemanticVersion(major: major, minor: minor, patch: patch + 1)
    }
}
