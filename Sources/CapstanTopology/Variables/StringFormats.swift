import CapstanModel

/// The string formats the CRD validator understands (apiextensions-apiserver validation/formats.go); any
/// other format is ignored, as Kubernetes strips unsupported formats before validating.
enum StringFormats {
    /// nil when the format is not checked; otherwise whether `s` is valid.
    static func check(_ format: String, _ s: String) -> Bool? {
        switch String(format.filter { $0 != "-" }).lowercased() {
        case "uri": isURI(s)
        case "email": s.wholeMatch(of: /[^@\s]+@[^@\s]+\.[^@\s]+/) != nil
        case "hostname": isHostname(s)
        case "ipv4": isIPv4(s)
        case "ipv6": isIPv6(s)
        case "cidr": isCIDR(s)
        case "mac": s.wholeMatch(of: /([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}/) != nil
        case "uuid": s.wholeMatch(of: /(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/) != nil
        case "uuid3": s.wholeMatch(of: /(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}/) != nil
        case "uuid4": s.wholeMatch(of: /(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}/) != nil
        case "uuid5": s.wholeMatch(of: /(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}/) != nil
        case "bsonobjectid": s.wholeMatch(of: /[0-9a-fA-F]{24}/) != nil
        case "hexcolor": s.wholeMatch(of: /#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})/) != nil
        case "rgbcolor": s.wholeMatch(of: /rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)/) != nil
        case "byte": isBase64(s)
        case "password": true
        case "date": s.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
        case "datetime": s.wholeMatch(of: /\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})/) != nil
        case "duration": GoDuration.seconds(s) != nil || s.wholeMatch(of: /\d+\s*(ns|us|ms|s|m|h|d|w)/) != nil
        case "isbn", "isbn10", "isbn13": s.wholeMatch(of: /[0-9Xx -]{10,17}/) != nil
        case "creditcard": s.wholeMatch(of: /[0-9 -]{12,23}/) != nil
        case "ssn": s.wholeMatch(of: /\d{3}[- ]?\d{2}[- ]?\d{4}/) != nil
        case "k8sshortname": KubeNames.isDNS1123Label(s)
        case "k8slongname": KubeNames.isDNS1123Subdomain(s)
        default: nil
        }
    }

    /// `url.ParseRequestURI`: an absolute URI (`scheme:...`) or an absolute path, without spaces.
    static func isURI(_ s: String) -> Bool {
        if s.isEmpty || s.contains(" ") { return false }
        if s.hasPrefix("/") { return true }
        return s.prefixMatch(of: /[A-Za-z][A-Za-z0-9+.\-]*:/) != nil
    }

    static func isHostname(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 255 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
            $0.wholeMatch(of: /[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?/) != nil
        }
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCIIDigit) && (Int(p) ?? 256) <= 255 && !(p.count > 1 && p.first == "0")
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
                guard i == groups.count - 1, isIPv4(String(g)) else { return false }
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
        guard parts.count == 2, let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        if isIPv4(String(parts[0])) { return bits <= 32 }
        if isIPv6(String(parts[0])) { return bits <= 128 }
        return false
    }

    static func isBase64(_ s: String) -> Bool {
        s.utf8.count % 4 == 0 && s.wholeMatch(of: /[A-Za-z0-9+\/]*={0,2}/) != nil
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
