/// A semantic version as blang/semver v4 parses and orders it (the Kubernetes `Semver` library).
struct SemanticVersion: Sendable {
    var major: UInt64, minor: UInt64, patch: UInt64
    /// Pre-release identifiers; numeric ones compare numerically and below alphanumeric ones.
    var pre: [String]
    var build: [String]

    struct Failure: Error { var message: String }

    /// blang/semver `Parse`.
    static func parse(_ s: String) -> Result<SemanticVersion, Failure> {
        if s.isEmpty { return .failure(Failure(message: "Version string empty")) }
        let parts = s.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return .failure(Failure(message: "No Major.Minor.Patch elements found")) }
        func number(_ p: String, _ what: String) -> Result<UInt64, Failure> {
            guard p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                return .failure(Failure(message: "Invalid character(s) found in \(what) number \"\(p)\""))
            }
            if p.utf8.count > 1 && p.hasPrefix("0") {
                return .failure(Failure(message: "\(what.prefix(1).uppercased() + what.dropFirst()) number must not contain leading zeroes \"\(p)\""))
            }
            guard let v = UInt64(p) else { return .failure(Failure(message: "Invalid \(what) number \"\(p)\"")) }
            return .success(v)
        }
        let major: UInt64, minor: UInt64, patch: UInt64
        switch number(parts[0], "major") {
        case .success(let v): major = v
        case .failure(let e): return .failure(e)
        }
        switch number(parts[1], "minor") {
        case .success(let v): minor = v
        case .failure(let e): return .failure(e)
        }
        var patchText = Substring(parts[2])
        var build: [String] = []
        var pre: [String] = []
        if let plus = patchText.firstIndex(of: "+") {
            build = patchText[patchText.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            patchText = patchText[..<plus]
        }
        if let dash = patchText.firstIndex(of: "-") {
            pre = patchText[patchText.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            patchText = patchText[..<dash]
        }
        switch number(String(patchText), "patch") {
        case .success(let v): patch = v
        case .failure(let e): return .failure(e)
        }
        let alnum: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 45 }
        for p in pre {
            if p.isEmpty { return .failure(Failure(message: "Prerelease is empty")) }
            if p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                if p.utf8.count > 1 && p.hasPrefix("0") {
                    return .failure(Failure(message: "Numeric PreRelease version must not contain leading zeroes \"\(p)\""))
                }
            } else if !p.utf8.allSatisfy(alnum) {
                return .failure(Failure(message: "Invalid character(s) found in prerelease \"\(p)\""))
            }
        }
        for b in build {
            if b.isEmpty { return .failure(Failure(message: "Build meta data is empty")) }
            if !b.utf8.allSatisfy(alnum) {
                return .failure(Failure(message: "Invalid character(s) found in build meta data \"\(b)\""))
            }
        }
        return .success(SemanticVersion(major: major, minor: minor, patch: patch, pre: pre, build: build))
    }

    /// Kubernetes' `normalizeAndParse`: strips a leading `v`, leading zeros, and pads `1` / `1.2` to three parts.
    static func parseNormalized(_ s: String) -> Result<SemanticVersion, Failure> {
        var text = Substring(s)
        if text.hasPrefix("v") { text = text.dropFirst() }
        var parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        for (i, p) in parts.enumerated() where p.utf8.count > 1 {
            var q = Substring(p)
            while q.hasPrefix("0") { q = q.dropFirst() }
            if q.isEmpty || !(q.first!.isASCII && q.first!.isNumber) { q = "0" + q }
            parts[i] = String(q)
        }
        if parts.count < 3 {
            if parts.last!.contains(where: { $0 == "+" || $0 == "-" }) {
                return .failure(Failure(message: "short version cannot contain PreRelease/Build meta data"))
            }
            while parts.count < 3 { parts.append("0") }
        }
        return parse(parts.joined(separator: "."))
    }

    /// Semantic version precedence (build metadata ignored): -1, 0 or 1.
    func compare(_ o: SemanticVersion) -> Int {
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        if pre.isEmpty && o.pre.isEmpty { return 0 }
        if pre.isEmpty { return 1 }
        if o.pre.isEmpty { return -1 }
        for (a, b) in zip(pre, o.pre) {
            let an = UInt64(a), bn = UInt64(b)
            switch (an, bn) {
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            case (nil, .some): return 1
            case (.some, nil): return -1
            default:
                if a != b { return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1 }
            }
        }
        return pre.count == o.pre.count ? 0 : (pre.count < o.pre.count ? -1 : 1)
    }

    var text: String {
        var s = "\(major).\(minor).\(patch)"
        if !pre.isEmpty { s += "-" + pre.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build.joined(separator: ".") }
        return s
    }
}

/// `kubernetes.Semver` values.
final class SemverValue: CELOpaqueValue {
    let version: SemanticVersion
    init(_ version: SemanticVersion) { self.version = version }
    var celType: CELType { .named("kubernetes.Semver") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool {
        guard let o = other as? SemverValue else { return false }
        return version.compare(o.version) == 0
    }
    var celDescription: String { "semver(\(CELValue.quote(version.text)))" }
}

/// The Kubernetes Semver library (semverlib.go, version 1 with the `normalize` argument).
enum KubernetesSemver {
    static func semver(_ v: CELValue) -> SemanticVersion? {
        if case .opaque(let o) = v, let s = o as? SemverValue { return s.version }
        return nil
    }

    static func make(_ s: String, normalize: Bool) -> CELValue {
        switch normalize ? SemanticVersion.parseNormalized(s) : SemanticVersion.parse(s) {
        case .success(let v): return .opaque(SemverValue(v))
        case .failure(let e): return .error(e.message)
        }
    }

    static func register(_ t: inout FunctionTable) {
        t.global("semver") { v in
            guard case .string(let s) = v else { return nil }
            return make(s, normalize: false)
        }
        t.global("semver") { v, n in
            guard case .string(let s) = v, case .bool(let normalize) = n else { return nil }
            return make(s, normalize: normalize)
        }
        t.global("isSemver") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = SemanticVersion.parse(s) { return .bool(true) }
            return .bool(false)
        }
        t.global("isSemver") { v, n in
            guard case .string(let s) = v, case .bool(let normalize) = n else { return nil }
            if case .success = normalize ? SemanticVersion.parseNormalized(s) : SemanticVersion.parse(s) {
                return .bool(true)
            }
            return .bool(false)
        }
        t.member("major") { v in semver(v).map { .int(Int64(truncatingIfNeeded: $0.major)) } }
        t.member("minor") { v in semver(v).map { .int(Int64(truncatingIfNeeded: $0.minor)) } }
        t.member("patch") { v in semver(v).map { .int(Int64(truncatingIfNeeded: $0.patch)) } }
        t.member("isGreaterThan") { a, b in
            guard let x = semver(a), let y = semver(b) else { return nil }
            return .bool(x.compare(y) == 1)
        }
        t.member("isLessThan") { a, b in
            guard let x = semver(a), let y = semver(b) else { return nil }
            return .bool(x.compare(y) == -1)
        }
        t.member("compareTo") { a, b in
            guard let x = semver(a), let y = semver(b) else { return nil }
            return .int(Int64(x.compare(y)))
        }
    }
}
