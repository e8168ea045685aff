import CapstanModel
/// The parts of Go's `net/url` that sprig's `urlParse`/`urlJoin` and the `urlquery` builtin use.
struct GoURL {
    var scheme = ""
    var opaque = ""
    var user: (name: String, password: String?)?
    var host = ""
    var path = ""
    var omitHost = false
    var forceQuery = false
    var rawQuery = ""
    var fragment = ""

    enum Mode { case path, host, userPassword, queryComponent, fragment }

    struct ParseError: Error {
        var message: String
    }

    private static func isUnreserved(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
    }

    /// Go's `shouldEscape`.
    static func shouldEscape(_ c: UInt8, _ mode: Mode) -> Bool {
        if isUnreserved(c) { return false }
        if mode == .host {
            switch c {
            case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""):
                return false
            default: break
            }
        }
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"): return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"), UInt8(ascii: ":"),
            UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch mode {
            case .path: return c == UInt8(ascii: "?")
            case .userPassword: return c == UInt8(ascii: "@") || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")
            case .queryComponent: return true
            case .fragment: return false
            case .host: return true
            }
        default: break
        }
        if mode == .fragment {
            switch c {
            case UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"): return false
            default: break
            }
        }
        return true
    }

    static func escape(_ s: String, _ mode: Mode) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for c in s.utf8 {
            if c == UInt8(ascii: " ") && mode == .queryComponent {
                out.append(UInt8(ascii: "+"))
            } else if shouldEscape(c, mode) {
                out += [UInt8(ascii: "%"), hex[Int(c >> 4)], hex[Int(c & 0xF)]]
            } else {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String { escape(s, .queryComponent) }

    static func unescape(_ s: String, _ mode: Mode) throws(ParseError) -> String {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let h = GoQuote.hexValue(b[i + 1]), let l = GoQuote.hexValue(b[i + 2]) else {
                    let bad = String(decoding: b[i..<min(i + 3, b.count)], as: UTF8.self)
                    throw ParseError(message: "invalid URL escape \(GoQuote.quote(bad))")
                }
                out.append(UInt8(h << 4 | l))
                i += 3
            } else if b[i] == UInt8(ascii: "+") && mode == .queryComponent {
                out.append(UInt8(ascii: " "))
                i += 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `url.Parse`.
    static func parse(_ raw: String) throws(ParseError) -> GoURL {
        func fail(_ m: String) -> ParseError { ParseError(message: "parse \(GoQuote.quote(raw)): \(m)") }
        var (rest, frag) = (raw, "")
        if let i = raw.firstIndex(of: "#") {
            rest = String(raw[..<i])
            frag = String(raw[raw.index(after: i)...])
        }
        var u = GoURL()
        if rest.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw fail("net/url: invalid control character in URL")
        }
        if rest == "*" {
            u.path = "*"
        } else {
            // Scheme.
            for (n, c) in rest.unicodeScalars.enumerated() {
                if (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") { continue }
                if (c >= "0" && c <= "9") || c == "+" || c == "-" || c == "." {
                    if n == 0 { break }
                    continue
                }
                if c == ":" {
                    if n == 0 { throw fail("missing protocol scheme") }
                    u.scheme = GoStrings.toLower(String(rest.unicodeScalars.prefix(n)))
                    rest = String(String.UnicodeScalarView(rest.unicodeScalars.dropFirst(n + 1)))
                }
                break
            }
            if rest.hasSuffix("?") && rest.filter({ $0 == "?" }).count == 1 {
                u.forceQuery = true
                rest.removeLast()
            } else if let q = rest.firstIndex(of: "?") {
                u.rawQuery = String(rest[rest.index(after: q)...])
                rest = String(rest[..<q])
            }
            if !rest.hasPrefix("/") {
                if !u.scheme.isEmpty {
                    u.opaque = rest
                    u.fragment = try unescapeOrFail(frag, .fragment, fail)
                    return u
                }
                if let seg = rest.split(separator: "/", omittingEmptySubsequences: false).first, seg.contains(":") {
                    throw fail("first path segment in URL cannot contain colon")
                }
            }
            if (!u.scheme.isEmpty || !rest.hasPrefix("///")) && rest.hasPrefix("//") {
                var authority = String(rest.dropFirst(2))
                rest = ""
                if let i = authority.firstIndex(of: "/") {
                    rest = String(authority[i...])
                    authority = String(authority[..<i])
                }
                var hostPart = authority
                if let at = authority.lastIndex(of: "@") {
                    let userinfo = String(authority[..<at])
                    hostPart = String(authority[authority.index(after: at)...])
                    if let colon = userinfo.firstIndex(of: ":") {
                        u.user = (try unescapeOrFail(String(userinfo[..<colon]), .userPassword, fail),
                                  try unescapeOrFail(String(userinfo[userinfo.index(after: colon)...]), .userPassword, fail))
                    } else {
                        u.user = (try unescapeOrFail(userinfo, .userPassword, fail), nil)
                    }
                }
                if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]"), !hostPart.hasPrefix("[") || hostPart.contains("]:") {
                    let port = hostPart[hostPart.index(after: colon)...]
                    if !port.allSatisfy({ $0.isASCII && $0.isNumber }) {
                        throw fail("invalid port \(GoQuote.quote(":" + port)) after host")
                    }
                }
                u.host = try unescapeOrFail(hostPart, .host, fail)
            } else if !u.scheme.isEmpty && rest.hasPrefix("/") {
                u.omitHost = true
            }
            u.path = try unescapeOrFail(rest, .path, fail)
        }
        u.fragment = try unescapeOrFail(frag, .fragment, fail)
        return u
    }

    private static func unescapeOrFail(_ s: String, _ mode: Mode, _ fail: (String) -> ParseError) throws(ParseError) -> String {
        do { return try unescape(s, mode) } catch { throw fail(error.message) }
    }

    /// `URL.Hostname()`.
    var hostname: String {
        var h = Substring(host)
        if h.hasPrefix("[") {
            if let end = h.firstIndex(of: "]") { return String(h[h.index(after: h.startIndex)..<end]) }
            return String(h)
        }
        if let colon = h.lastIndex(of: ":") { h = h[..<colon] }
        return String(h)
    }

    /// `Userinfo.String()`.
    var userinfo: String? {
        guard let user else { return nil }
        var s = Self.escape(user.name, .userPassword)
        if let p = user.password { s += ":" + Self.escape(p, .userPassword) }
        return s
    }

    /// `URL.String()`.
    var string: String {
        var buf = ""
        if !scheme.isEmpty { buf += scheme + ":" }
        if !opaque.isEmpty {
            buf += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || user != nil {
                if !(omitHost && host.isEmpty && user == nil) {
                    if !host.isEmpty || !path.isEmpty || user != nil { buf += "//" }
                    if let ui = userinfo { buf += ui + "@" }
                    if !host.isEmpty { buf += Self.escape(host, .host) }
                }
            }
            let p = path == "*" ? "*" : Self.escape(path, .path)
            if !p.isEmpty && !p.hasPrefix("/") && !host.isEmpty { buf += "/" }
            if buf.isEmpty, let seg = p.split(separator: "/", omittingEmptySubsequences: false).first, seg.contains(":") {
                buf += "./"
            }
            buf += p
        }
        if forceQuery || !rawQuery.isEmpty { buf += "?" + rawQuery }
        if !fragment.isEmpty { buf += "#" + Self.escape(fragment, .fragment) }
        return buf
    }
}

extension Sprig {
    private typealias S = SprigSupport

    static let urls: [TemplateFunction] = [
        TemplateFunction("urlParse", [.string]) { a throws(FunctionError) in
            let u: GoURL
            do throws(GoURL.ParseError) { u = try GoURL.parse(S.string(a[0])) } catch { throw FunctionError("unable to parse url: \(error.message)") }
            return .anyMap([
                "scheme": .string(u.scheme), "host": .string(u.host), "hostname": .string(u.hostname), "path": .string(u.path),
                "query": .string(u.rawQuery), "opaque": .string(u.opaque), "fragment": .string(u.fragment),
                "userinfo": .string(u.userinfo ?? ""),
            ])
        },
        TemplateFunction("urlJoin", [.stringMap]) { a throws(FunctionError) in
            let d = S.map(a[0])
            func field(_ key: String) throws(FunctionError) -> String {
                guard let v = d.entries[key] else { return "" }
                guard case .string(let s) = v else {
                    if v.isNilLike { throw S.nilDereference }
                    throw FunctionError("unable to parse \(key) key, must be of type string, but \(v.goKindName) found")
                }
                return s
            }
            var u = GoURL()
            u.scheme = try field("scheme")
            u.host = try field("host")
            u.path = try field("path")
            u.rawQuery = try field("query")
            u.opaque = try field("opaque")
            u.fragment = try field("fragment")
            let userinfo = try field("userinfo")
            if !userinfo.isEmpty {
                do throws(GoURL.ParseError) {
                    u.user = try GoURL.parse("proto://\(userinfo)@host").user
                } catch {
                    throw FunctionError("unable to parse userinfo in dict: \(error.message)")
                }
            }
            return .string(u.string)
        },
    ]
}
