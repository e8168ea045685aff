/// A Kubernetes version (`v1.33.0`, `v1.34.2+build`), ordered as semantic versions.
public struct KubeVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    /// Pre-release and build suffix, kept for printing (`-rc.1`, `+k3s1`).
    public var suffix: String

    public init(major: Int, minor: Int, patch: Int, suffix: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.suffix = suffix
    }

    /// Parses `vMAJOR.MINOR.PATCH` with an optional leading `v` and suffix; nil when malformed.
    public init?(_ text: String) {
        var s = Substring(text)
        if s.first == "v" { s = s.dropFirst() }
        let end = s.firstIndex { $0 == "-" || $0 == "+" } ?? s.endIndex
        let parts = s[..<end].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return nil }
        self.init(major: a, minor: b, patch: c, suffix: String(s[end...]))
    }

    public static func < (a: KubeVersion, b: KubeVersion) -> Bool {
        if (a.major, a.minor, a.patch) != (b.major, b.minor, b.patch) { return (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
        // A pre-release sorts before the release.
        return !a.suffix.hasPrefix("-") ? false : (!b.suffix.hasPrefix("-") ? true : a.suffix < b.suffix)
    }

    public var description: String { "v\(major).\(minor).\(patch)\(suffix)" }

    /// The steps from `current` to `target` with at most one minor version per step, as a chained upgrade
    /// takes them: for each intermediate minor, the newest of `known` with that minor, else `vX.Y.0`; the
    /// target last. Empty when already there; just the target for a downgrade or a change within one minor.
    public static func upgradePlan(from current: KubeVersion, to target: KubeVersion, known: [KubeVersion] = []) -> [KubeVersion] {
        if current == target { return [] }
        guard current.major == target.major, target.minor > current.minor + 1 else { return [target] }
        var steps: [KubeVersion] = []
        for m in (current.minor + 1)..<target.minor {
            let candidates = known.filter { $0.major == target.major && $0.minor == m }
            steps.append(candidates.max() ?? KubeVersion(major: target.major, minor: m, patch: 0))
        }
        return steps + [target]
    }
}
