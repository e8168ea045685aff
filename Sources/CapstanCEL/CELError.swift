/// A position in a CEL expression: UTF-8 byte offset, 1-based line and 1-based column (in code points).
public struct CELSourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// An error from compiling or evaluating a CEL expression.
///
/// `description` is `line:col: message` followed by the source line and a caret under the column,
/// the form policy authors see (`capstan cel`, policy diagnostics).
public struct CELError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable {
        /// The expression does not parse (or exceeds a size or nesting limit).
        case syntax
        /// A name or function the environment does not declare, or a call with the wrong arity.
        case declaration
        /// Evaluation produced an error (no such key, no matching overload, overflow, ...).
        case evaluation
        /// Evaluation ran out of its cost budget.
        case costLimit
        /// A value could not be converted (for example a binding or result to JSON).
        case conversion
    }

    public var kind: Kind
    public var message: String
    /// Where in the expression, when known.
    public var location: CELSourceLocation?
    /// The source line holding the location and a caret under it (two lines), when known.
    public var snippet: String?

    public init(_ kind: Kind, _ message: String, location: CELSourceLocation? = nil, snippet: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.snippet = snippet
    }

    /// `line:col: message` and the caret snippet.
    public var description: String {
        var s = location.map { "\($0): " } ?? ""
        s += message
        if let snippet { s += "\n" + snippet }
        return s
    }
}

/// The text of an expression with helpers to turn offsets into locations and snippets.
struct CELSource: Sendable {
    let text: String
    let bytes: [UInt8]
    /// UTF-8 offsets where each line starts.
    let lineStarts: [Int]

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (i, c) in bytes.enumerated() where c == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    func location(_ offset: Int) -> CELSourceLocation {
        let o = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        // Columns count code points: skip UTF-8 continuation bytes.
        var column = 1
        var i = start
        while i < o {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        if o < bytes.count, bytes[o] & 0xC0 == 0x80 { column -= 1 }
        return CELSourceLocation(offset: o, line: lo + 1, column: column)
    }

    func snippet(_ loc: CELSourceLocation) -> String {
        let start = lineStarts[loc.line - 1]
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        var line = String(decoding: bytes[start..<end], as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return " | " + line + "\n | " + String(repeating: ".", count: max(0, loc.column - 1)) + "^"
    }

    func error(_ kind: CELError.Kind, _ message: String, at offset: Int) -> CELError {
        let loc = location(offset)
        return CELError(kind, message, location: loc, snippet: snippet(loc))
    }
}
