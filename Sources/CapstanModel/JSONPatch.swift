/// An RFC 6902 JSON Patch document: a list of operations applied in order, all or nothing.
public struct JSONPatch: Sendable, Equatable {
    /// One operation.
    public enum Operation: Sendable, Equatable {
        case add(path: JSONPointer, value: Value)
        case remove(path: JSONPointer)
        case replace(path: JSONPointer, value: Value)
        case move(from: JSONPointer, path: JSONPointer)
        case copy(from: JSONPointer, path: JSONPointer)
        case test(path: JSONPointer, value: Value)

        /// The `op` member.
        public var name: String {
            switch self {
            case .add: "add"
            case .remove: "remove"
            case .replace: "replace"
            case .move: "move"
            case .copy: "copy"
            case .test: "test"
            }
        }

        /// The `path` member.
        public var path: JSONPointer {
            switch self {
            case .add(let p, _), .remove(let p), .replace(let p, _), .move(_, let p), .copy(_, let p), .test(let p, _): p
            }
        }
    }

    /// How array indexes are read. `rfc6902` is the standard; `evanphx` reproduces the defaults of
    /// evanphx/json-patch v5, which Cluster API uses for ClusterClass patches: negative indexes count
    /// from the end and `01` reads as 1.
    public struct Options: Sendable {
        public var allowNegativeIndices: Bool
        public var allowLeadingZeros: Bool
        public init(allowNegativeIndices: Bool, allowLeadingZeros: Bool) {
            self.allowNegativeIndices = allowNegativeIndices
            self.allowLeadingZeros = allowLeadingZeros
        }
        public static let rfc6902 = Options(allowNegativeIndices: false, allowLeadingZeros: false)
        public static let evanphx = Options(allowNegativeIndices: true, allowLeadingZeros: true)
    }

    /// Why an operation failed. `message` follows evanphx/json-patch's wording, which upstream error
    /// messages (and therefore ours) contain.
    public struct ApplyError: Error, Sendable, Equatable, CustomStringConvertible {
        public var operationIndex: Int
        public var message: String
        public var description: String { message }
    }

    /// A malformed patch document.
    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public var operations: [Operation]

    public init(_ operations: [Operation]) { self.operations = operations }

    /// Reads a patch from its JSON form (an array of operation objects).
    public init(_ document: Value) throws(DecodeError) {
        guard case .list(let items) = document else { throw DecodeError(message: "a JSON patch must be an array, got \(document.jsonTypeName)") }
        var ops: [Operation] = []
        for (i, item) in items.enumerated() {
            guard case .map(let m) = item else { throw DecodeError(message: "operation \(i): must be an object") }
            guard let op = m["op"]?.stringValue else { throw DecodeError(message: "operation \(i): missing \"op\"") }
            func pointer(_ key: String) throws(DecodeError) -> JSONPointer {
                guard let s = m[key]?.stringValue else { throw DecodeError(message: "operation \(i) (\(op)): missing \"\(key)\"") }
                do { return try JSONPointer(s) } catch { throw DecodeError(message: "operation \(i) (\(op)): \(error)") }
            }
            func value() throws(DecodeError) -> Value {
                guard let v = m["value"] else { throw DecodeError(message: "operation \(i) (\(op)): missing \"value\"") }
                return v
            }
            switch op {
            case "add": ops.append(.add(path: try pointer("path"), value: try value()))
            case "remove": ops.append(.remove(path: try pointer("path")))
            case "replace": ops.append(.replace(path: try pointer("path"), value: try value()))
            case "move": ops.append(.move(from: try pointer("from"), path: try pointer("path")))
            case "copy": ops.append(.copy(from: try pointer("from"), path: try pointer("path")))
            case "test": ops.append(.test(path: try pointer("path"), value: try value()))
            default: throw DecodeError(message: "operation \(i): unknown op \"\(op)\"")
            }
        }
        operations = ops
    }

    /// The JSON form.
    public var value: Value {
        .list(operations.map { op in
            var m: ObjectMap = ["op": .string(op.name)]
            switch op {
            case .add(let p, let v), .replace(let p, let v), .test(let p, let v):
                m["path"] = .string(p.description)
                m["value"] = v
            case .remove(let p):
                m["path"] = .string(p.description)
            case .move(let f, let p), .copy(let f, let p):
                m["from"] = .string(f.description)
                m["path"] = .string(p.description)
            }
            return .map(m)
        })
    }

    /// Applies every operation to a copy of `document`; throws at the first failing operation.
    public func apply(to document: Value, options: Options = .rfc6902) throws(ApplyError) -> Value {
        var doc = document
        for (i, op) in operations.enumerated() {
            do {
                try Self.apply(op, to: &doc, options: options)
            } catch {
                throw ApplyError(operationIndex: i, message: error.message)
            }
        }
        return doc
    }

    struct PatchFailure: Error { var message: String }

    static func apply(_ op: Operation, to doc: inout Value, options: Options) throws(PatchFailure) {
        switch op {
        case .add(let path, let value):
            try add(value, at: path, in: &doc, options: options)
        case .remove(let path):
            _ = try remove(at: path, in: &doc, options: options, context: .remove)
        case .replace(let path, let value):
            try replace(at: path, with: value, in: &doc, options: options)
        case .move(let from, let path):
            if path.hasPrefix(from) && path != from {
                throw PatchFailure(message: "move operation does not apply: \"from\" \(from) is a prefix of \"path\" \(path)")
            }
            if from == path { return }
            let v = try remove(at: from, in: &doc, options: options, context: .move)
            try add(v, at: path, in: &doc, options: options)
        case .copy(let from, let path):
            guard let v = get(from, in: doc, options: options) else {
                throw PatchFailure(message: "copy operation does not apply: doc is missing from path: \"\(from)\": missing value")
            }
            try add(v, at: path, in: &doc, options: options)
        case .test(let path, let expected):
            guard let actual = get(path, in: doc, options: options), actual == expected else {
                throw PatchFailure(message: "testing value \(path) failed: test failed")
            }
        }
    }

    /// Reads the value at `pointer` using the option's index rules.
    static func get(_ pointer: JSONPointer, in doc: Value, options: Options) -> Value? {
        var current = doc
        for token in pointer.tokens {
            switch current {
            case .map(let m):
                guard let next = m[token] else { return nil }
                current = next
            case .list(let l):
                guard let i = index(token, count: l.count, options: options, forInsert: false), i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Resolves an array token to an index in `0..<count` (or `0...count` for inserts); nil if invalid.
    static func index(_ token: String, count: Int, options: Options, forInsert: Bool) -> Int? {
        if forInsert && token == "-" { return count }
        var idx: Int?
        if options.allowLeadingZeros || options.allowNegativeIndices {
            idx = Int(token)
            if let i = idx, i < 0, !options.allowNegativeIndices { idx = nil }
            if let _ = idx, !options.allowLeadingZeros, JSONPointer.arrayIndex(token.hasPrefix("-") ? String(token.dropFirst()) : token) == nil { idx = nil }
        } else {
            idx = JSONPointer.arrayIndex(token)
        }
        guard var i = idx else { return nil }
        let size = forInsert ? count + 1 : count
        if i < 0 {
            guard i >= -size else { return nil }
            i += size
        }
        guard i < size else { return nil }
        return i
    }

    enum RemoveContext { case remove, move }

    /// Applies `body` to the container holding the last token of `pointer`.
    static func withParent(
        of pointer: JSONPointer, in doc: inout Value,
        missing: () -> PatchFailure,
        options: Options,
        _ body: (inout Value, String) throws(PatchFailure) -> Void
    ) throws(PatchFailure) {
        guard let last = pointer.tokens.last else { throw missing() }
        try modify(&doc, tokens: pointer.tokens.dropLast()[...], missing: missing, options: options) { (parent) throws(PatchFailure) in
            try body(&parent, last)
        }
    }

    static func modify(
        _ node: inout Value, tokens: ArraySlice<String>, missing: () -> PatchFailure, options: Options,
        _ body: (inout Value) throws(PatchFailure) -> Void
    ) throws(PatchFailure) {
        guard let token = tokens.first else {
            try body(&node)
            return
        }
        switch node {
        case .map(var m):
            guard var child = m[token] else { throw missing() }
            node = .null
            defer { node = .map(m) }
            m[token] = .null
            try modify(&child, tokens: tokens.dropFirst(), missing: missing, options: options, body)
            m[token] = child
        case .list(var l):
            guard let i = index(token, count: l.count, options: options, forInsert: false) else { throw missing() }
            node = .null
            defer { node = .list(l) }
            var child = l[i]
            l[i] = .null
            try modify(&child, tokens: tokens.dropFirst(), missing: missing, options: options, body)
            l[i] = child
        default:
            throw missing()
        }
    }

    static func add(_ value: Value, at path: JSONPointer, in doc: inout Value, options: Options) throws(PatchFailure) {
        if path.isRoot {
            doc = value
            return
        }
        let missing = { PatchFailure(message: "add operation does not apply: doc is missing path: \"\(path)\": missing value") }
        try withParent(of: path, in: &doc, missing: missing, options: options) { (parent, key) throws(PatchFailure) in
            switch parent {
            case .map(var m):
                parent = .null
                m[key] = value
                parent = .map(m)
            case .list(var l):
                guard let i = index(key, count: l.count, options: options, forInsert: true) else {
                    throw PatchFailure(message: "Unable to access invalid index: \(key): invalid index referenced")
                }
                parent = .null
                l.insert(value, at: i)
                parent = .list(l)
            default:
                throw missing()
            }
        }
    }

    static func remove(at path: JSONPointer, in doc: inout Value, options: Options, context: RemoveContext) throws(PatchFailure) -> Value {
        let key = path.lastToken ?? ""
        let missing = {
            context == .remove
                ? PatchFailure(message: "error in remove for path: '\(path)': unable to remove nonexistent key: \(key): missing value")
                : PatchFailure(message: "move operation does not apply: doc is missing from path: \"\(path)\": missing value")
        }
        if path.isRoot { throw PatchFailure(message: "unable to remove the whole document at '\(path)'") }
        var removed: Value = .null
        try withParent(of: path, in: &doc, missing: missing, options: options) { (parent, key) throws(PatchFailure) in
            switch parent {
            case .map(var m):
                parent = .null
                defer { parent = .map(m) }
                guard let v = m.removeValue(forKey: key) else { throw missing() }
                removed = v
            case .list(var l):
                guard let i = index(key, count: l.count, options: options, forInsert: false) else { throw missing() }
                parent = .null
                removed = l.remove(at: i)
                parent = .list(l)
            default:
                throw missing()
            }
        }
        return removed
    }

    static func replace(at path: JSONPointer, with value: Value, in doc: inout Value, options: Options) throws(PatchFailure) {
        if path.isRoot {
            doc = value
            return
        }
        let missing = { PatchFailure(message: "replace operation does not apply: doc is missing key: \(path): missing value") }
        try withParent(of: path, in: &doc, missing: missing, options: options) { (parent, key) throws(PatchFailure) in
            switch parent {
            case .map(var m):
                guard m.contains(key) else { throw missing() }
                parent = .null
                m[key] = value
                parent = .map(m)
            case .list(var l):
                guard let i = index(key, count: l.count, options: options, forInsert: false) else { throw missing() }
                parent = .null
                l[i] = value
                parent = .list(l)
            default:
                throw missing()
            }
        }
    }
}
