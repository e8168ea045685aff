/// A semantic version as blang/semver `ParseTolerant` reads Kubernetes versions (`v1.30.2`, `1.30`).
struct Semver: Hashable, Sendable, CustomStringConvertible {
    var major: UInt64
    var minor: UInt64
    var patch: UInt64
    var pre: [String]
    var build: [String]

    /// Tolerant parse: optional leading `v`, missing minor/patch read as 0, surrounding spaces ignored.
    init?(tolerant text: String) {
        var s = Substring(text.trimmingWhitespace)
        if s.hasPrefix("v") { s = s.dropFirst() }
        var build: [String] = []
        if let plus = s.firstIndex(of: "+") {
            build = s[s.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            s = s[..<plus]
        }
        var pre: [String] = []
        if let dash = s.firstIndex(of: "-") {
            pre = s[s.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            s = s[..<dash]
        }
        var parts = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        while parts.count < 3 { parts.append("0") }
        var nums: [UInt64] = []
        for p in parts {
            guard !p.isEmpty, p.allSatisfy(\.isASCIIDigit), let n = UInt64(p) else { return nil }
            if p.count > 1 && p.hasPrefix("0") { return nil }
            nums.append(n)
        }
        if pre.contains(where: \.isEmpty) || build.contains(where: \.isEmpty) { return nil }
        (major, minor, patch) = (nums[0], nums[1], nums[2])
        self.pre = pre
        self.build = build
    }

    /// `1.30.2-rc.1+build` (no leading `v`), as blang's `String()`.
    var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !pre.isEmpty { s += "-" + pre.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build.joined(separator: ".") }
        return s
    }

    /// Semver precedence ignoring build metadata: -1, 0 or 1.
    func compare(_ o: Semver) -> Int {
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        if pre.isEmpty && o.pre.isEmpty { return 0 }
        if pre.isEmpty { return 1 }
        if o.pre.isEmpty { return -1 }
        for (a, b) in zip(pre, o.pre) where a != b {
            let an = UInt64(a), bn = UInt64(b)
            switch (an, bn) {
            case let (x?, y?): return x < y ? -1 : 1
            case (.some, nil): return -1
            case (nil, .some): return 1
            default: return a < b ? -1 : 1
            }
        }
        return pre.count == o.pre.count ? 0 : (pre.count < o.pre.count ? -1 : 1)
    }

    /// cluster-api util/version `Compare(..., WithBuildTags())`: like `compare`, then build identifiers;
    /// 2 when the build identifiers differ but cannot be ordered.
    func compareWithBuildTags(_ o: Semver) -> Int {
        let c = compare(o)
        if c != 0 { return c }
        if build == o.build { return 0 }
        if build.isEmpty { return -1 }
        if o.build.isEmpty { return 1 }
        let a = build.compactMap { UInt64($0) }, b = o.build.compactMap { UInt64($0) }
        guard a.count == build.count, b.count == o.build.count else { return 2 }
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
