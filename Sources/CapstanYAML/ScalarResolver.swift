/// What a scalar's text means under YAML 1.1 as go-yaml v2 resolves it (yaml/go-yaml v2 `resolve.go`),
/// before sigs.k8s.io/yaml turns the result into JSON.
enum Resolved: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// An integer above `Int64.max` (go-yaml returns a `uint64`).
    case uint(UInt64)
    /// May be infinite or NaN (`.inf`, `.nan`), which JSON cannot carry.
    case float(Double)
    /// The text itself is the value.
    case string
}

/// The YAML 1.1 tags go-yaml v2 gives meaning to. Other tags on scalars leave the text a string.
enum ScalarTag: Equatable, Sendable {
    case str, binary, bool, int, float, null, timestamp, merge
    case other

    /// Classifies a full tag as libyaml reports it (`tag:yaml.org,2002:int`).
    private static let prefix = Array("tag:yaml.org,2002:".utf8)

    init(_ tag: UnsafeBufferPointer<UInt8>) {
        let prefix = Self.prefix
        guard tag.count > prefix.count, tag.starts(with: prefix) else {
            self = .other
            return
        }
        switch String(decoding: UnsafeBufferPointer(rebasing: tag[prefix.count...]), as: UTF8.self) {
        case "str": self = .str
        case "binary": self = .binary
        case "bool": self = .bool
        case "int": self = .int
        case "float": self = .float
        case "null": self = .null
        case "timestamp": self = .timestamp
        case "merge": self = .merge
        default: self = .other
        }
    }

    /// The `!!name` form used in messages.
    var shortName: String {
        switch self {
        case .str: "!!str"
        case .binary: "!!binary"
        case .bool: "!!bool"
        case .int: "!!int"
        case .float: "!!float"
        case .null: "!!null"
        case .timestamp: "!!timestamp"
        case .merge: "!!merge"
        case .other: "!"
        }
    }
}

/// YAML 1.1 scalar resolution, byte for byte as go-yaml v2 does it (facts from `resolve.go`; our code).
///
/// The first byte decides what a plain scalar may be: `+ - 0-9` may be a number (or `+.inf`),
/// `y Y n N t T f F o O ~` may be a bool or null from the fixed table, `.` may be a float or
/// `.inf`/`.nan`; anything else is a string without further checks.
enum ScalarResolver {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Resolves an untagged plain scalar.
    static func resolvePlain(_ s: Bytes) -> Resolved {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return resolveNumber(s)
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            if let r = lookup(s) { return r }
            return resolveNumber(s)
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
            UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
            UInt8(ascii: "~"):
            return lookup(s) ?? .string
        case UInt8(ascii: "."):
            if let r = lookup(s) { return r }
            if let d = GoNumbers.parseDotFloat(s) { return .float(d) }
            return .string
        default:
            return .string
        }
    }

    /// Why a tagged scalar could not be decoded (go-yaml: "cannot decode !!str `abc` as a !!int").
    struct TagMismatch: Error {
        var message: String
    }

    /// Resolves a scalar with an explicit tag (quoted or not), as go-yaml v2's `resolve(tag, in)`.
    static func resolve(tag: ScalarTag, _ s: Bytes) throws(TagMismatch) -> Resolved {
        switch tag {
        case .str, .binary, .merge, .other:
            return .string
        case .bool, .int, .float, .null, .timestamp:
            break
        }
        var result: Resolved
        var resolvedTag: ScalarTag
        if let first = s.first, (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "+")
            || first == UInt8(ascii: "-"), tag == .timestamp, GoTimestamp.isTimestamp(s)
        {
            // Only the untagged and the `!!timestamp` cases try timestamps; they stay strings for us.
            result = .string
            resolvedTag = .timestamp
        } else {
            result = resolvePlain(s)
            resolvedTag = Self.tag(of: result)
        }
        if resolvedTag == tag { return result }
        if tag == .float, case .int(let i) = result { return .float(Double(i)) }
        if tag == .int, case .uint = result { return result }
        let text = String(decoding: s, as: UTF8.self)
        throw TagMismatch(message: "cannot decode \(resolvedTag.shortName) `\(text)` as a \(tag.shortName)")
    }

    private static func tag(of r: Resolved) -> ScalarTag {
        switch r {
        case .null: .null
        case .bool: .bool
        case .int, .uint: .int
        case .float: .float
        case .string: .str
        }
    }

    /// The fixed table of YAML 1.1 words go-yaml v2 knows (bools, nulls, infinities, NaN).
    static func lookup(_ s: Bytes) -> Resolved? {
        switch s.count {
        case 1:
            switch s[0] {
            case UInt8(ascii: "y"), UInt8(ascii: "Y"): return .bool(true)
            case UInt8(ascii: "n"), UInt8(ascii: "N"): return .bool(false)
            case UInt8(ascii: "~"): return .null
            default: return nil
            }
        case 2...6:
            return table[Word(s)]
        default:
            return nil
        }
    }

    /// A short word packed into an integer, for the table lookup without allocating.
    private struct Word: Hashable {
        var bits: UInt64
        init(_ s: Bytes) {
            var b: UInt64 = UInt64(s.count)
            for c in s { b = b << 8 | UInt64(c) }
            bits = b
        }
        init(_ s: String) {
            self = Array(s.utf8).withUnsafeBufferPointer { Word($0) }
        }
    }

    private static let table: [Word: Resolved] = {
        var t: [Word: Resolved] = [:]
        for w in ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { t[Word(w)] = .bool(true) }
        for w in ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { t[Word(w)] = .bool(false) }
        for w in ["null", "Null", "NULL"] { t[Word(w)] = .null }
        for w in [".nan", ".NaN", ".NAN"] { t[Word(w)] = .float(.nan) }
        for w in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { t[Word(w)] = .float(.infinity) }
        for w in ["-.inf", "-.Inf", "-.INF"] { t[Word(w)] = .float(-.infinity) }
        return t
    }()

    /// Numbers starting with a digit or a sign: go-yaml drops every `_`, then tries `ParseInt(s, 0, 64)`,
    /// `ParseUint(s, 0, 64)`, a YAML-style float, and finally an explicit `0b` binary parse.
    static func resolveNumber(_ s: Bytes) -> Resolved {
        if !s.contains(UInt8(ascii: "_")) { return resolveNumberPlain(s) }
        let plain = s.filter { $0 != UInt8(ascii: "_") }
        return plain.withUnsafeBufferPointer { resolveNumberPlain($0) }
    }

    private static func resolveNumberPlain(_ p: Bytes) -> Resolved {
        if let i = GoNumbers.parseInt(p, base: 0) { return .int(i) }
        if let u = GoNumbers.parseUint(p, base: 0) { return .uint(u) }
        if GoNumbers.isYAMLStyleFloat(p), let d = GoNumbers.parseDecimalFloat(p) { return .float(d) }
        // go-yaml's fallback for binary literals, which also accepts a sign after the prefix (`0b-101`).
        if p.count >= 2, p[0] == UInt8(ascii: "0"), p[1] == UInt8(ascii: "b") {
            let rest = UnsafeBufferPointer(rebasing: p[2...])
            if let i = GoNumbers.parseInt(rest, base: 2) { return .int(i) }
            if let u = GoNumbers.parseUint(rest, base: 2) { return .uint(u) }
        } else if p.count >= 3, p[0] == UInt8(ascii: "-"), p[1] == UInt8(ascii: "0"), p[2] == UInt8(ascii: "b") {
            let rest = UnsafeBufferPointer(rebasing: p[3...])
            if let u = GoNumbers.parseUint(rest, base: 2), u <= UInt64(Int64.max) + 1 {
                return .int(u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u))
            }
        }
        return .string
    }
}
