public import CapstanModel

extension YAML {
    /// One document in block style (no `---`), ending in a newline. Deterministic: the same value and
    /// options always give the same bytes.
    public static func emit(_ value: Value, options: YAMLEmitOptions = .init()) -> String {
        var emitter = YAMLEmitter(options: options)
        emitter.document(value)
        return emitter.text
    }

    /// Several documents separated by `---` lines.
    public static func emitStream(_ values: [Value], options: YAMLEmitOptions = .init()) -> String {
        var emitter = YAMLEmitter(options: options)
        for (i, value) in values.enumerated() {
            if i > 0 { emitter.write("---\n") }
            emitter.document(value)
        }
        return emitter.text
    }
}

/// Writes values as block-style YAML into a byte buffer: maps as `key: value` lines, lists as `- item`
/// (at the key's indentation unless `indentSequences`), a map inside a list starting on the `- ` line,
/// empty containers as `{}`/`[]`, and scalars in the style `ScalarStyle` picks.
struct YAMLEmitter {
    let options: YAMLEmitOptions
    private(set) var bytes: [UInt8] = []

    init(options: YAMLEmitOptions) {
        self.options = options
        bytes.reserveCapacity(4096)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private mutating func spaces(_ n: Int) {
        for _ in 0..<n { bytes.append(UInt8(ascii: " ")) }
    }

    /// A whole document at the left margin.
    mutating func document(_ value: Value) {
        switch value {
        case .map(let m) where !m.isEmpty: map(m, indent: 0, inline: false)
        case .list(let l) where !l.isEmpty: list(l, indent: 0, inline: false)
        default: scalarLine(value, indent: 0)
        }
    }

    /// Map entries at `indent`; with `inline`, the first entry continues the current line (after `- `).
    private mutating func map(_ m: ObjectMap, indent: Int, inline: Bool) {
        var first = inline
        if options.sortKeys {
            let sorted = m.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for entry in sorted { self.entry(entry, indent: indent, first: &first) }
        } else {
            for entry in m.entries { self.entry(entry, indent: indent, first: &first) }
        }
    }

    private mutating func entry(_ entry: ObjectMap.Entry, indent: Int, first: inout Bool) {
        if first { first = false } else { spaces(indent) }
        let keyStart = bytes.count
        key(entry.key)
        if bytes.count - keyStart > ScalarStyle.maxSimpleKeyBytes {
            // libyaml reads a simple (implicit) key of at most 1024 characters; longer keys use `? key`.
            bytes.insert(contentsOf: [UInt8(ascii: "?"), UInt8(ascii: " ")], at: keyStart)
            bytes.append(UInt8(ascii: "\n"))
            spaces(indent)
            bytes.append(UInt8(ascii: ":"))
            value(entry.value, indent: indent)
            return
        }
        bytes.append(UInt8(ascii: ":"))
        switch entry.value {
        case .map(let m) where !m.isEmpty:
            bytes.append(UInt8(ascii: "\n"))
            spaces(indent + 2)
            map(m, indent: indent + 2, inline: true)
        case .list(let l) where !l.isEmpty:
            bytes.append(UInt8(ascii: "\n"))
            let listIndent = options.indentSequences ? indent + 2 : indent
            spaces(listIndent)
            list(l, indent: listIndent, inline: true)
        default:
            bytes.append(UInt8(ascii: " "))
            scalarLine(entry.value, indent: indent)
        }
    }

    /// List items at `indent`; with `inline`, the first `- ` continues the current line.
    private mutating func list(_ l: [Value], indent: Int, inline: Bool) {
        var first = inline
        for item in l {
            if first { first = false } else { spaces(indent) }
            bytes.append(UInt8(ascii: "-"))
            value(item, indent: indent)
        }
    }

    /// A node after a one-character indicator (`-` of a list item, `:` of an explicit key's value): a
    /// non-empty container continues on the same line in compact form, indented two past `indent`.
    private mutating func value(_ v: Value, indent: Int) {
        bytes.append(UInt8(ascii: " "))
        switch v {
        case .map(let m) where !m.isEmpty: map(m, indent: indent + 2, inline: true)
        case .list(let l) where !l.isEmpty: list(l, indent: indent + 2, inline: true)
        default: scalarLine(v, indent: indent)
        }
    }

    /// A scalar (or empty container) on the current line, then the line break; a literal block continues
    /// on the next lines two spaces past `indent`.
    private mutating func scalarLine(_ v: Value, indent: Int) {
        switch v {
        case .null: write("null")
        case .bool(let b): write(b ? "true" : "false")
        case .int(let i): write(String(i))
        case .double(let d): write(ScalarStyle.format(d))
        case .map: write("{}")
        case .list: write("[]")
        case .string(let s):
            string(s, indent: indent)
            return
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func string(_ s: String, indent: Int) {
        var s = s
        s.withUTF8 { utf8 in
            switch ScalarStyle.valueStyle(utf8) {
            case .plain:
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\n"))
            case .doubleQuoted:
                ScalarStyle.appendDoubleQuoted(utf8, to: &bytes)
                bytes.append(UInt8(ascii: "\n"))
            case .literal(let chomp):
                bytes.append(UInt8(ascii: "|"))
                if let chomp { bytes.append(chomp) }
                bytes.append(UInt8(ascii: "\n"))
                ScalarStyle.appendLiteralBody(utf8, indent: indent + 2, to: &bytes)
            }
        }
    }

    private mutating func key(_ k: String) {
        var k = k
        k.withUTF8 { utf8 in
            if ScalarStyle.isPlainKey(utf8) {
                bytes.append(contentsOf: utf8)
            } else {
                ScalarStyle.appendDoubleQuoted(utf8, to: &bytes)
            }
        }
    }
}
