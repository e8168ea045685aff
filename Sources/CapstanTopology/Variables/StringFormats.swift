import CapstanModel

/// The string formats the CRD validator understands (apiextensions-apiserver validation/formats.go); any
/// other format is ignored, as Kubernetes strips unsupported formats before validating. Checks are
/// hand-written byte scans: these run for every variable value of every Cluster.
enum StringFormats {
    /// nil when the format is not checked; otherwise whether `s` is valid.
    static func check(_ format: String, _ s: String) -> Bool? {
        let u = Array(s.utf8)
        switch String(format.filter { $0 != "-" }).lowercased() {
        case "uri": return isURI(u)
        case "email": return isEmail(u)
        case "hostname": return isHostname(u)
        case "ipv4": return isIPv4(u[...])
        case "ipv6": return isIPv6(s)
        case "cidr": return isCIDR(s)
        case "mac": return isMAC(u)
        case "uuid": return isUUID(u, version: nil)
        case "uuid3": return isUUID(u, version: UInt8(ascii: "3"))
        case "uuid4": return isUUID(u, version: UInt8(ascii: "4"))
        case "uuid5": return isUUID(u, version: UInt8(ascii: "5"))
        case "bsonobjectid": return u.count == 24 && u.allSatisfy(isHex)
        case "hexcolor": return u.first == UInt8(ascii: "#") && (u.count == 4 || u.count == 7) && u.dropFirst().allSatisfy(isHex)
        case "rgbcolor": return isRGB(s)
        case "byte": return isBase64(u)
        case "password": return true
        case "date": return isDate(u[...])
        case "datetime": return isDateTime(u)
        case "duration": return GoDuration.seconds(s) != nil
        case "isbn", "isbn10", "isbn13": return (10...17).contains(u.count) && u.allSatisfy { isDigit($0) || $0 == 88 || $0 == 120 || $0 == 45 || $0 == 32 }
        case "creditcard": return (12...23).contains(u.count) && u.allSatisfy { isDigit($0) || $0 == 45 || $0 == 32 }
        case "ssn": return u.filter(isDigit).count == 9 && u.allSatisfy { isDigit($0) || $0 == 45 || $0 == 32 }
        case "k8sshortname": return KubeNames.isDNS1123Label(s)
        case "k8slongname": return KubeNames.isDNS1123Subdomain(s)
        default: return nil
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (65...70).contains(c) || (97...102).contains(c) }
    static func isAlpha(_ c: UInt8) -> Bool { (65...90).contains(c) || (97...122).contains(c) }

    /// `url.ParseRequestURI`: an absolute URI (`scheme:...`) or an absolute path, without spaces.
    static func isURI(_ u: [UInt8]) -> Bool {
        guard let first = u.first, !u.contains(32) else { return false }
        if first == UInt8(ascii: "/") { return true }
        guard isAlpha(first), let colon = u.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return u[..<colon].allSatisfy { isAlpha($0) || isDigit($0) || $0 == 43 || $0 == 45 || $0 == 46 }
    }

    static func isEmail(_ u: [UInt8]) -> Bool {
        guard let at = u.firstIndex(of: UInt8(ascii: "@")), at > 0, u.lastIndex(of: UInt8(ascii: "@")) == at else { return false }
        let domain = u[(at + 1)...]
        guard let dot = domain.lastIndex(of: UInt8(ascii: ".")), dot > domain.startIndex, dot < domain.endIndex - 1 else { return false }
        return !u.contains { $0 == 32 || $0 == 9 || $0 == 10 }
    }

    /// RFC 1123 host names: dot-separated labels of letters, digits and inner dashes, at most 63 bytes each.
    static func isHostname(_ u: [UInt8]) -> Bool {
        guard !u.isEmpty, u.count <= 255 else { return false }
        return u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let f = label.first, let l = label.last, label.count <= 63 else { return false }
            let alnum = { (c: UInt8) in isAlpha(c) || isDigit(c) }
            return alnum(f) && alnum(l) && label.allSatisfy { alnum($0) || $0 == 45 }
        }
    }

    static func isIPv4(_ u: ArraySlice<UInt8>) -> Bool {
        let parts = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(isDigit), !(p.count > 1 && p.first == 48) else { return false }
            return p.reduce(0) { $0 * 10 + Int($1 - 48) } <= 255
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        guard s.contains(":"), s.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let doubleColons = s.ranges(of: "::").count
        if doubleColons > 1 { return false }
        let groups = s.split(separator: ":", omittingEmptySubsequences: true)
        var count = 0
        for (i, g) in groups.enumerated() {
            if g.contains(".") {
                guard i == groups.count - 1, isIPv4(Array(g.utf8)[...]) else { return false }
                count += 2
            } else {
                guard g.count <= 4 else { return false }
                count += 1
            }
        }
        return doubleColons == 1 ? count < 8 : count == 8
    }

    static func isCIDR(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let bits = Int(parts[1]) else { return false }
        if isIPv4(Array(parts[0].utf8)[...]) { return bits <= 32 }
        if isIPv6(String(parts[0])) { return bits <= 128 }
        return false
    }

    static func isMAC(_ u: [UInt8]) -> Bool {
        guard u.count == 17 else { return false }
        return u.enumerated().allSatisfy { i, c in i % 3 == 2 ? (c == 58 || c == 45) : isHex(c) }
    }

    static func isUUID(_ u: [UInt8], version: UInt8?) -> Bool {
        let hex = u.filter { $0 != 45 }
        guard hex.count == 32, hex.allSatisfy(isHex), u.count == 32 || u.count == 36 else { return false }
        if u.count == 36 { for i in [8, 13, 18, 23] where u[i] != 45 { return false } }
        guard let version else { return true }
        let variant = hex[16] | 0x20
        return hex[12] == version && (version == UInt8(ascii: "3") || [56, 57, 97, 98].contains(variant))
    }

    static func isRGB(_ s: String) -> Bool {
        guard s.hasPrefix("rgb("), s.hasSuffix(")") else { return false }
        let parts = s.dropFirst(4).dropLast().split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { p in
            let t = String(p).trimmingWhitespace
            return (1...3).contains(t.count) && t.allSatisfy(\.isASCIIDigit)
        }
    }

    static func isBase64(_ u: [UInt8]) -> Bool {
        guard u.count % 4 == 0 else { return false }
        let body = u.prefix { $0 != 61 }
        guard u.count - body.count <= 2, u[body.count...].allSatisfy({ $0 == 61 }) else { return false }
        return body.allSatisfy { isAlpha($0) || isDigit($0) || $0 == 43 || $0 == 47 }
    }

    static func isDate(_ u: ArraySlice<UInt8>) -> Bool {
        guard u.count == 10 else { return false }
        return u.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == 45 : isDigit(c) }
    }

    /// RFC 3339 date-time: `2024-01-02T03:04:05[.frac](Z|±hh:mm)`.
    static func isDateTime(_ u: [UInt8]) -> Bool {
        guard u.count >= 20, isDate(u[0..<10]), [84, 116, 32].contains(u[10]) else { return false }
        let time = u[11..<19]
        guard time.enumerated().allSatisfy({ i, c in (i == 2 || i == 5) ? c == 58 : isDigit(c) }) else { return false }
        var rest = u[19...]
        if rest.first == 46 {
            rest = rest.dropFirst()
            let digits = rest.prefix(while: isDigit)
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(digits.count)
        }
        if rest.count == 1 { return rest.first == 90 || rest.first == 122 }
        guard rest.count == 6, rest.first == 43 || rest.first == 45 else { return false }
        return rest.dropFirst().enumerated().allSatisfy { i, c in i == 2 ? c == 58 : isDigit(c) }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
