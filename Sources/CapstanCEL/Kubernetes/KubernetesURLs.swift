import CapstanModel
/// A URL split as Go's `net/url` does for `url.ParseRequestURI` + `url.Parse` (absolute URI or absolute path).
struct ParsedURL: Sendable {
    var scheme = ""
    /// Host with port, IPv6 in brackets.
    var host = ""
    var rawPath = ""
    var rawQuery = ""
    var opaque = ""

    /// Parses like `url.ParseRequestURI` (no fragment handling: a `#` part is removed first, as the
    /// library then re-parses with `url.Parse`). The error text follows Go's.
    static func parse(_ s: String) -> Result<ParsedURL, CELEvalErrorMessage> {
        func fail(_ why: String) -> Result<ParsedURL, CELEvalErrorMessage> {
            .failure(CELEvalErrorMessage("parse \(GoQuote.quote(s)): \(why)"))
        }
        if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return fail("net/url: invalid control character in URL") }
        if s.isEmpty { return fail("empty url") }
        var u = ParsedURL()
        var rest = Substring(s)
        if s == "*" {
            u.rawPath = "*"
            return .success(u)
        }
        // Scheme.
        for (i, c) in rest.enumerated() {
            if c.isASCII && c.isLetter { continue }
            if i > 0, c.isASCII, c.isNumber || c == "+" || c == "-" || c == "." { continue }
            if c == ":" {
                if i == 0 { return fail("missing protocol scheme") }
                u.scheme = String(rest.prefix(i)).lowercased()
                rest = rest.dropFirst(i + 1)
            }
            break
        }
        // ParseRequestURI keeps a fragment as part of the path/query; url.Parse (used for the value) strips it.
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let q = rest.firstIndex(of: "?") {
            u.rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if !rest.hasPrefix("/") {
            if !u.scheme.isEmpty {
                u.opaque = String(rest)
                return .success(u)
            }
            return fail("invalid URI for request")
        }
        if !u.scheme.isEmpty, rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if let error = validateHost(authority) { return fail(error) }
            u.host = String(authority)
        }
        if let error = validateEscapes(rest) { return fail(error) }
        u.rawPath = String(rest)
        return .success(u)
    }

    static func validateHost(_ host: Substring) -> String? {
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "missing ']' in host" }
            let port = host[host.index(after: close)...]
            if !port.isEmpty, !(port.hasPrefix(":") && port.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })) {
                return "invalid port \(GoQuote.quote(String(port))) after host"
            }
            return nil
        }
        if let colon = host.lastIndex(of: ":") {
            let port = host[colon...]
            if !port.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
                return "invalid port \(GoQuote.quote(String(port))) after host"
            }
        }
        return nil
    }

    static func validateEscapes(_ s: Substring) -> String? {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, hexValue(b[i + 1]) != nil, hexValue(b[i + 2]) != nil else {
                    return "invalid URL escape \(GoQuote.quote(String(decoding: b[i..<min(b.count, i + 3)], as: UTF8.self)))"
                }
                i += 3
            } else {
                i += 1
            }
        }
        return nil
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }

    /// `%XX` decoding (and `+` as space when `plus`); nil on a bad escape.
    static func unescape(_ s: Substring, plus: Bool) -> String? {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plus && b[i] == UInt8(ascii: "+") ? 32 : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    var port: String {
        let afterBracket = host.lastIndex(of: "]").map { host[host.index(after: $0)...] } ?? Substring(host)
        if let colon = afterBracket.lastIndex(of: ":") { return String(afterBracket[afterBracket.index(after: colon)...]) }
        return ""
    }

    /// Go's `EscapedPath`: the original spelling when it is a valid encoding, else the path re-escaped.
    var escapedPath: String {
        let allowed = Set("!$&'()*+,;=:@[]%/-_.~".utf8)
        let valid = rawPath.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) || allowed.contains(c)
        }
        if valid { return rawPath }
        let decoded = Self.unescape(Substring(rawPath), plus: false) ?? rawPath
        let keep = Set("$&+,/:;=@-_.~".utf8)
        var out = ""
        for c in decoded.utf8 {
            if (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) || keep.contains(c) {
                out.unicodeScalars.append(Unicode.Scalar(c))
            } else {
                out += "%" + hex2(c).uppercased()
            }
        }
        return out
    }

    /// Go's `Query()`: `&`-separated `key=value` pairs, unescaped; malformed pairs are dropped.
    var query: [(String, [String])] {
        var out: [(String, [String])] = []
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            if pair.contains(";") { continue }
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let k = Self.unescape(kv[0], plus: true) else { continue }
            guard let v = Self.unescape(kv.count > 1 ? kv[1] : "", plus: true) else { continue }
            if let i = out.firstIndex(where: { CodePoints.equal($0.0, k) }) { out[i].1.append(v) } else { out.append((k, [v])) }
        }
        return out
    }
}

/// `kubernetes.URL` values.
final class URLValue: CELOpaqueValue {
    let url: ParsedURL
    let source: String
    init(_ url: ParsedURL, source: String) {
        self.url = url
        self.source = source
    }
    var celType: CELType { .named("kubernetes.URL") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool { (other as? URLValue)?.source == source }
    var celDescription: String { "url(\(CELValue.quote(source)))" }
}

/// The Kubernetes URL library (urls.go): `url`, `isURL`, `getScheme`, `getHost`, `getHostname`,
/// `getPort`, `getEscapedPath`, `getQuery`.
enum KubernetesURLs {
    static func url(_ v: CELValue) -> ParsedURL? {
        if case .opaque(let o) = v, let u = o as? URLValue { return u.url }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.global("url") { v in
            guard case .string(let s) = v else { return nil }
            switch ParsedURL.parse(s) {
            case .success(let u): return .opaque(URLValue(u, source: s))
            case .failure(let e): return .error("URL parse error during conversion from string: \(e.text)")
            }
        }
        t.global("isURL") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = ParsedURL.parse(s) { return .bool(true) }
            return .bool(false)
        }
        t.member("getScheme") { v in url(v).map { .string($0.scheme) } }
        t.member("getHost") { v in url(v).map { .string($0.host) } }
        t.member("getHostname") { v in url(v).map { .string($0.hostname) } }
        t.member("getPort") { v in url(v).map { .string($0.port) } }
        t.member("getEscapedPath") { v in url(v).map { .string($0.escapedPath) } }
        t.member("getQuery") { v in
            guard let u = url(v) else { return nil }
            return .map(u.query.map { (CELValue.string($0.0), CELValue.list($0.1.map(CELValue.string))) })
        }
    }
}
