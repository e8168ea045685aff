import CapstanModel
/// `*semver.Version` from Masterminds/semver v3.4.0 as sprig's `semver` returns it: parsed with
/// `NewVersion` (coercing: `v` prefix, missing minor/patch allowed), printed as `1.2.3-pre+meta`.
public final class SemanticVersion: Sendable, CustomStringConvertible {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    public let prerelease: String
    public let metadata: String
    public let original: String

    init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String, metadata: String, original: String) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.metadata = metadata
        self.original = original
    }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !prerelease.isEmpty { s += "-" + prerelease }
        if !metadata.isEmpty { s += "+" + metadata }
        return s
    }

    struct ParseError: Error {
        var message: String
    }

    private static let numeric = Set("0123456789".unicodeScalars)
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789".unicodeScalars)

    /// `semver.NewVersion` with `CoerceNewVersion` (the v3.4.0 default).
    static func parse(_ v: String) throws(ParseError) -> SemanticVersion {
        let invalid = ParseError(message: "invalid semantic version")
        var s = Substring(v)
        if s.first == "v" { s = s.dropFirst() }
        func digits() -> Substring? {
            let d = s.prefix(while: { $0.isASCII && $0.isNumber })
            if d.isEmpty { return nil }
            s = s.dropFirst(d.count)
            return d
        }
        guard let majorText = digits() else { throw invalid }
        var minorText: Substring?
        var patchText: Substring?
        if s.first == "." {
            s = s.dropFirst()
            guard let d = digits() else { throw invalid }
            minorText = d
            if s.first == "." {
                s = s.dropFirst()
                guard let d = digits() else { throw invalid }
                patchText = d
            }
        }
        func identifiers(_ text: Substring) -> Bool {
            !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.unicodeScalars.allSatisfy { allowed.contains($0) }
            }
        }
        var pre = ""
        var meta = ""
        if s.first == "-" {
            let body = s.dropFirst().prefix(while: { $0 != "+" })
            guard identifiers(body) else { throw invalid }
            pre = String(body)
            s = s.dropFirst(1 + body.count)
        }
        if s.first == "+" {
            let body = s.dropFirst()
            guard identifiers(body) else { throw invalid }
            meta = String(body)
            s = s[s.endIndex...]
        }
        guard s.isEmpty else { throw invalid }
        func number(_ t: Substring?) throws(ParseError) -> UInt64 {
            guard let t else { return 0 }
            guard let n = UInt64(t) else {
                throw ParseError(message: "error parsing version segment: strconv.ParseUint: parsing \(GoQuote.quote(String(t))): value out of range")
            }
            return n
        }
        let version = SemanticVersion(
            major: try number(majorText), minor: try number(minorText), patch: try number(patchText),
            prerelease: pre, metadata: meta, original: v)
        if !pre.isEmpty {
            for part in pre.split(separator: ".", omittingEmptySubsequences: false) {
                if part.unicodeScalars.allSatisfy({ numeric.contains($0) }) {
                    if part.count > 1 && part.first == "0" { throw ParseError(message: "version segment starts with 0") }
                }
            }
        }
        return version
    }

    /// `Version.Compare`: -1, 0 or 1 by precedence (metadata ignored).
    func compare(_ o: SemanticVersion) -> Int {
        for (a, b) in [(major, o.major), (minor, o.minor), (patch, o.patch)] where a != b { return a < b ? -1 : 1 }
        if prerelease.isEmpty && o.prerelease.isEmpty { return 0 }
        if prerelease.isEmpty { return 1 }
        if o.prerelease.isEmpty { return -1 }
        return Self.comparePrerelease(prerelease, o.prerelease)
    }

    static func comparePrerelease(_ v: String, _ o: String) -> Int {
        let sparts = v.split(separator: ".", omittingEmptySubsequences: false)
        let oparts = o.split(separator: ".", omittingEmptySubsequences: false)
        for i in 0..<max(sparts.count, oparts.count) {
            let s = i < sparts.count ? String(sparts[i]) : ""
            let t = i < oparts.count ? String(oparts[i]) : ""
            let d = comparePrePart(s, t)
            if d != 0 { return d }
        }
        return 0
    }

    private static func comparePrePart(_ s: String, _ o: String) -> Int {
        if s == o { return 0 }
        if s.isEmpty { return o.isEmpty ? 1 : -1 }
        if o.isEmpty { return 1 }
        let oi = UInt64(o)
        let si = UInt64(s)
        switch (si, oi) {
        case (nil, nil): return goStringLess(o, s) ? 1 : -1
        case (_, nil): return -1
        case (nil, _): return 1
        case (let a?, let b?): return a > b ? 1 : -1
        }
    }

    func with(major: UInt64? = nil, minor: UInt64? = nil, patch: UInt64? = nil, prerelease: String = "", metadata: String = "") -> SemanticVersion {
        let v = SemanticVersion(major: major ?? self.major, minor: minor ?? self.minor, patch: patch ?? self.patch, prerelease: prerelease, metadata: metadata, original: "")
        let prefix = original.hasPrefix("v") ? "v" : ""
        return SemanticVersion(major: v.major, minor: v.minor, patch: v.patch, prerelease: prerelease, metadata: metadata, original: prefix + v.description)
    }

    /// The methods a template can call on a version (`.Major`, `.LessThan $other`, ...).
    static let methods: [String: TemplateFunction] = {
        @Sendable func version(_ args: [TemplateValue], _ i: Int) throws(FunctionError) -> SemanticVersion {
            guard case .semver(let v) = args[i] else {
                throw FunctionError("runtime error: invalid memory address or nil pointer dereference")
            }
            return v
        }
        let list: [TemplateFunction] = [
            TemplateFunction("Major", []) { a throws(FunctionError) in .uint64(try version(a, 0).major) },
            TemplateFunction("Minor", []) { a throws(FunctionError) in .uint64(try version(a, 0).minor) },
            TemplateFunction("Patch", []) { a throws(FunctionError) in .uint64(try version(a, 0).patch) },
            TemplateFunction("Prerelease", []) { a throws(FunctionError) in .string(try version(a, 0).prerelease) },
            TemplateFunction("Metadata", []) { a throws(FunctionError) in .string(try version(a, 0).metadata) },
            TemplateFunction("Original", []) { a throws(FunctionError) in .string(try version(a, 0).original) },
            TemplateFunction("String", []) { a throws(FunctionError) in .string(try version(a, 0).description) },
            TemplateFunction("IncMajor", []) { a throws(FunctionError) in
                let v = try version(a, 0)
                return .semver(v.with(major: v.major + 1, minor: 0, patch: 0))
            },
            TemplateFunction("IncMinor", []) { a throws(FunctionError) in
                let v = try version(a, 0)
                return .semver(v.with(minor: v.minor + 1, patch: 0))
            },
            TemplateFunction("IncPatch", []) { a throws(FunctionError) in
                let v = try version(a, 0)
                return .semver(v.with(patch: v.prerelease.isEmpty ? v.patch + 1 : v.patch))
            },
            TemplateFunction("Compare", [.semver]) { a throws(FunctionError) in .int(try version(a, 0).compare(try version(a, 1))) },
            TemplateFunction("LessThan", [.semver]) { a throws(FunctionError) in .bool(try version(a, 0).compare(try version(a, 1)) < 0) },
            TemplateFunction("LessThanEqual", [.semver]) { a throws(FunctionError) in .bool(try version(a, 0).compare(try version(a, 1)) <= 0) },
            TemplateFunction("GreaterThan", [.semver]) { a throws(FunctionError) in .bool(try version(a, 0).compare(try version(a, 1)) > 0) },
            TemplateFunction("GreaterThanEqual", [.semver]) { a throws(FunctionError) in .bool(try version(a, 0).compare(try version(a, 1)) >= 0) },
            TemplateFunction("Equal", [.semver]) { a throws(FunctionError) in
                let v = try version(a, 0)
                guard case .semver(let o) = a[1] else { return .bool(false) }
                return .bool(v === o || v.compare(o) == 0)
            },
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()
}
