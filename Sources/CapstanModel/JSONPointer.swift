/// An RFC 6901 JSON Pointer: `""` is the whole document, `/a/0/b~1c` is key `a`, index 0, key `b/c`.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public var tokens: [String]

    /// A malformed pointer (it must be empty or start with `/`, and `~` must be followed by 0 or 1).
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var pointer: String
        public var reason: String
        public var description: String { "invalid JSON pointer \"\(pointer)\": \(reason)" }
    }

    /// The pointer to the whole document.
    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) { self.tokens = tokens }

    /// Parses the string form.
    public init(_ text: String) throws(ParseError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw ParseError(pointer: text, reason: "must start with '/'") }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var it = raw.makeIterator()
            while let c = it.next() {
                if c == "~" {
                    switch it.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw ParseError(pointer: text, reason: "'~' must be followed by '0' or '1'")
                    }
                } else {
                    token.append(c)
                }
            }
            result.append(token)
        }
        tokens = result
    }

    /// The escaped string form.
    public var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }

    /// Escapes one token (`~` → `~0`, `/` → `~1`).
    public static func escape(_ token: String) -> String {
        token.replacingOccurrences("~", with: "~0").replacingOccurrences("/", with: "~1")
    }

    public var isRoot: Bool { tokens.isEmpty }
    public var parent: JSONPointer? { tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast())) }
    public var lastToken: String? { tokens.last }

    /// A pointer one level deeper.
    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }

    /// Whether `self` is `other` or lies under it.
    public func hasPrefix(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }

    /// The RFC 6901 array index of a token: decimal digits, no leading zero (except "0" itself).
    public static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }

    /// Evaluates the pointer against `document`; nil when any step does not exist.
    public func evaluate(in document: Value) -> Value? {
        var current = document
        for token in tokens {
            switch current {
            case .map(let m):
                guard let next = m[token] else { return nil }
                current = next
            case .list(let l):
                guard let i = Self.arrayIndex(token), i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }
}

extension String {
    /// Literal substring replacement without Foundation.
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, self.contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
