import CapstanModel
/// An IPv4 or IPv6 address with Go `net/netip` parsing and printing rules.
struct IPAddress: Hashable, Sendable {
    /// 4 or 16 bytes.
    let bytes: [UInt8]

    var isV4: Bool { bytes.count == 4 }

    /// Parses like `netip.ParseAddr`; the error text says why. Zones parse (and are reported separately).
    static func parse(_ s: String) -> (addr: IPAddress?, zone: Bool, error: String?) {
        if s.contains(":") {
            var body = Substring(s)
            var zone = false
            if let pct = body.firstIndex(of: "%") {
                if body[body.index(after: pct)...].isEmpty { return (nil, false, "zone must be a non-empty string") }
                zone = true
                body = body[..<pct]
            }
            guard let b = parseV6(body) else { return (nil, zone, "ParseAddr(\"\(s)\"): invalid IPv6 address") }
            return (IPAddress(bytes: b), zone, nil)
        }
        guard let b = parseV4(Substring(s)) else { return (nil, false, "ParseAddr(\"\(s)\"): invalid IPv4 address") }
        return (IPAddress(bytes: b), false, nil)
    }

    static func parseV4(_ s: Substring) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            if p.count > 1 && p.first == "0" { return nil }  // no leading zeros
            guard let v = Int(p), v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return out
    }

    static func parseV6(_ s: Substring) -> [UInt8]? {
        var groups: [UInt16] = []
        var ellipsis: Int?
        var rest = s
        if rest.hasPrefix("::") {
            ellipsis = 0
            rest = rest.dropFirst(2)
            if rest.isEmpty { return [UInt8](repeating: 0, count: 16) }
        }
        while !rest.isEmpty {
            // Embedded IPv4 in the last 32 bits.
            if let dot = rest.firstIndex(of: "."), !rest[..<dot].contains(":") {
                guard groups.count <= 6, let v4 = parseV4(rest) else { return nil }
                groups.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                groups.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                rest = ""
                break
            }
            var digits = 0
            var v: UInt16 = 0
            while let c = rest.first, let d = c.hexDigitValue, c.isASCII {
                guard digits < 4 else { return nil }
                v = v << 4 | UInt16(d)
                digits += 1
                rest = rest.dropFirst()
            }
            guard digits > 0 else { return nil }
            groups.append(v)
            if rest.isEmpty { break }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst()
            if rest.first == ":" {
                guard ellipsis == nil else { return nil }
                ellipsis = groups.count
                rest = rest.dropFirst()
                if rest.isEmpty { break }
            } else if rest.isEmpty {
                return nil
            }
        }
        if let e = ellipsis {
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: [UInt16](repeating: 0, count: 8 - groups.count), at: e)
        }
        guard groups.count == 8 else { return nil }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// IPv4-mapped IPv6 (`::ffff:a.b.c.d`).
    var is4In6: Bool {
        !isV4 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }

    /// `netip.Addr.String()`: dotted IPv4; RFC 5952 IPv6 (longest zero run of two or more groups compressed).
    var text: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        if is4In6 { return "::ffff:" + bytes[12...].map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8, groups[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 {
                    bestStart = i
                    bestLen = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        var out = ""
        i = 0
        while i < 8 {
            if i == bestStart {
                out += "::"
                i += bestLen
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(groups[i], radix: 16)
            i += 1
        }
        return out
    }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { isV4 ? bytes[0] == 127 : bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1 }
    var isMulticast: Bool { isV4 ? bytes[0] & 0xF0 == 0xE0 : bytes[0] == 0xFF }
    var isLinkLocalMulticast: Bool {
        isV4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02
    }
    var isLinkLocalUnicast: Bool {
        isV4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }
    var isGlobalUnicast: Bool {
        if isV4 && bytes == [255, 255, 255, 255] { return false }
        return !isUnspecified && !isLoopback && !isMulticast && !isLinkLocalUnicast
    }

    /// The address with all bits after `bits` cleared.
    func masked(_ bits: Int) -> IPAddress {
        var out = bytes
        for i in out.indices {
            let keep = max(0, min(8, bits - i * 8))
            out[i] &= keep == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        return IPAddress(bytes: out)
    }
}

/// `net.IP` values.
final class IPValue: CELOpaqueValue {
    let addr: IPAddress
    init(_ addr: IPAddress) { self.addr = addr }
    var celType: CELType { .named("net.IP") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool { (other as? IPValue)?.addr == addr }
    var celDescription: String { "ip(\(CELValue.quote(addr.text)))" }
}

/// `net.CIDR` values.
final class CIDRValue: CELOpaqueValue {
    let addr: IPAddress
    let bits: Int
    init(_ addr: IPAddress, _ bits: Int) {
        self.addr = addr
        self.bits = bits
    }
    var celType: CELType { .named("net.CIDR") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool {
        guard let o = other as? CIDRValue else { return false }
        return o.addr == addr && o.bits == bits
    }
    var text: String { addr.text + "/" + String(bits) }
    var celDescription: String { "cidr(\(CELValue.quote(text)))" }

    func contains(_ ip: IPAddress) -> Bool {
        ip.isV4 == addr.isV4 && ip.masked(bits) == addr.masked(bits)
    }
}

/// The Kubernetes IP and CIDR libraries (ip.go, cidr.go): `ip`, `isIP`, `ip.isCanonical`, `family`,
/// `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`,
/// `cidr`, `isCIDR`, `containsIP`, `containsCIDR`, `ip()`, `masked`, `prefixLength`, `string`.
/// Zones and IPv4-mapped IPv6 addresses are rejected, as Kubernetes does.
enum KubernetesNetwork {
    static func parseIP(_ s: String) -> Result<IPAddress, CELEvalErrorMessage> {
        let (addr, zone, error) = IPAddress.parse(s)
        guard let addr else {
            return .failure(CELEvalErrorMessage("IP Address \(GoQuote.quote(s)) parse error during conversion from string: \(error ?? "invalid")"))
        }
        if zone { return .failure(CELEvalErrorMessage("IP address \(GoQuote.quote(s)) with zone value is not allowed")) }
        if addr.is4In6 { return .failure(CELEvalErrorMessage("IPv4-mapped IPv6 address \(GoQuote.quote(s)) is not allowed")) }
        return .success(addr)
    }

    static func parseCIDR(_ s: String) -> Result<CIDRValue, CELEvalErrorMessage> {
        func fail(_ why: String) -> Result<CIDRValue, CELEvalErrorMessage> {
            .failure(CELEvalErrorMessage("network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\(GoQuote.quote(s))): \(why)"))
        }
        guard let slash = s.lastIndex(of: "/") else { return fail("no '/'") }
        let addrText = String(s[..<slash])
        let bitsText = s[s.index(after: slash)...]
        if addrText.contains("%") { return fail("IPv6 zones cannot be present in a prefix") }
        let (addr, _, error) = IPAddress.parse(addrText)
        guard let addr else { return fail(error ?? "bad address") }
        guard !bitsText.isEmpty, bitsText.allSatisfy({ $0.isASCII && $0.isNumber }), let bits = Int(bitsText),
            bitsText.count == 1 || bitsText.first != "0", bits <= (addr.isV4 ? 32 : 128)
        else { return fail("bad bits after slash: \(GoQuote.quote(String(bitsText)))") }
        if addr.is4In6 {
            return .failure(CELEvalErrorMessage("network address parse error during conversion from string: IPv4-mapped IPv6 address \(GoQuote.quote(s)) is not allowed"))
        }
        return .success(CIDRValue(addr, bits))
    }

    static func ip(_ v: CELValue) -> IPAddress? {
        if case .opaque(let o) = v, let ip = o as? IPValue { return ip.addr }
        return nil
    }

    static func cidr(_ v: CELValue) -> CIDRValue? {
        if case .opaque(let o) = v, let c = o as? CIDRValue { return c }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.global("ip") { v in
            guard case .string(let s) = v else { return nil }
            switch parseIP(s) {
            case .success(let a): return .opaque(IPValue(a))
            case .failure(let e): return .error(e.text)
            }
        }
        t.global("isIP") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = parseIP(s) { return .bool(true) }
            return .bool(false)
        }
        t.global("ip.isCanonical") { v in
            guard case .string(let s) = v else { return nil }
            switch parseIP(s) {
            case .success(let a): return .bool(a.text == s)
            case .failure(let e): return .error(e.text)
            }
        }
        t.global("string") { v in
            if let a = ip(v) { return .string(a.text) }
            if let c = cidr(v) { return .string(c.text) }
            return nil
        }
        t.member("family") { v in ip(v).map { .int($0.isV4 ? 4 : 6) } }
        t.member("isUnspecified") { v in ip(v).map { .bool($0.isUnspecified) } }
        t.member("isLoopback") { v in ip(v).map { .bool($0.isLoopback) } }
        t.member("isLinkLocalMulticast") { v in ip(v).map { .bool($0.isLinkLocalMulticast) } }
        t.member("isLinkLocalUnicast") { v in ip(v).map { .bool($0.isLinkLocalUnicast) } }
        t.member("isGlobalUnicast") { v in ip(v).map { .bool($0.isGlobalUnicast) } }

        t.global("cidr") { v in
            guard case .string(let s) = v else { return nil }
            switch parseCIDR(s) {
            case .success(let c): return .opaque(c)
            case .failure(let e): return .error(e.text)
            }
        }
        t.global("isCIDR") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = parseCIDR(s) { return .bool(true) }
            return .bool(false)
        }
        t.member("containsIP") { c, x in
            guard let net = cidr(c) else { return nil }
            if let a = ip(x) { return .bool(net.contains(a)) }
            guard case .string(let s) = x else { return nil }
            switch parseIP(s) {
            case .success(let a): return .bool(net.contains(a))
            case .failure(let e): return .error(e.text)
            }
        }
        t.member("containsCIDR") { c, x in
            guard let net = cidr(c) else { return nil }
            var other = cidr(x)
            if other == nil {
                guard case .string(let s) = x else { return nil }
                switch parseCIDR(s) {
                case .success(let o): other = o
                case .failure(let e): return .error(e.text)
                }
            }
            guard let o = other else { return nil }
            let sameFamily = o.addr.isV4 == net.addr.isV4
            return .bool(sameFamily && net.addr.masked(net.bits) == o.addr.masked(net.bits) && net.bits <= o.bits)
        }
        t.member("ip") { c in cidr(c).map { .opaque(IPValue($0.addr)) } }
        t.member("masked") { c in cidr(c).map { .opaque(CIDRValue($0.addr.masked($0.bits), $0.bits)) } }
        t.member("prefixLength") { c in cidr(c).map { .int(Int64($0.bits)) } }
    }
}
