import CapstanModel
import CYAML

/// Builds `Value`s from libyaml events, one document at a time, without recursion: open maps and lists
/// are frames on an explicit stack, each owning the array its children go into, which becomes the
/// container's storage without a copy when it closes. Positions go to a flat mark table in document order.
struct DocumentBuilder {
    let file: String
    let options: YAMLParseOptions

    private struct Anchor {
        var value: Value
        var mark: Int32
        /// Nodes in the anchored subtree, counting earlier alias expansions inside it.
        var size: Int
    }

    private enum KeyState {
        case expectingKey
        case pending(String, mark: Int32)
        case pendingMerge(mark: Int32)
    }

    private struct Frame {
        var isMap: Bool
        var mark: Int32
        /// List items, or map entries, collected so far.
        var items: [Value] = []
        var entries: [ObjectMap.Entry] = []
        /// Where this map's key marks start in `entryKeyMarks`.
        var start: Int
        var size: Int = 1
        var anchor: String?
        var keyState: KeyState = .expectingKey
        /// Key → position (relative to `start`), built once a map grows past a few entries.
        var keyIndex: [String: Int]?
        /// The map's entries no longer follow source order (a merge, or a repeated key with last-wins).
        var rearranged = false
        /// Positions of entries that came from a `<<` merge and were not overridden by an explicit key.
        var merged: Set<Int> = []
        var mergeKeyMark: Int32 = -1
    }

    private var marks: [NodeMark] = []
    private var rearranged: [Int32: [Int32]] = [:]
    private var frames: [Frame] = []
    private var entryKeyMarks: [Int32] = []
    private var anchors: [String: Anchor] = [:]
    private var aliasExpansion = 0
    private var root: Value?
    private var documentStartIndex = 0
    private var documentStart = SourceLocation(file: "", line: 1, column: 1)
    private var documentCount = 0
    private(set) var documents: [YAMLDocument] = []

    init(file: String, options: YAMLParseOptions) {
        self.file = file
        self.options = options
    }

    // MARK: - Events

    /// Handles one event; true at the end of the stream.
    mutating func handle(_ event: borrowing yaml_event_t) throws(YAMLError) -> Bool {
        switch event.type {
        case YAML_SCALAR_EVENT:
            try scalar(event)
        case YAML_MAPPING_START_EVENT:
            try open(isMap: true, anchor: event.data.mapping_start.anchor, event)
        case YAML_SEQUENCE_START_EVENT:
            try open(isMap: false, anchor: event.data.sequence_start.anchor, event)
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            try close()
        case YAML_ALIAS_EVENT:
            try alias(event)
        case YAML_DOCUMENT_START_EVENT:
            startDocument(event.start_mark)
        case YAML_DOCUMENT_END_EVENT:
            endDocument()
        case YAML_STREAM_END_EVENT:
            return true
        default:
            break
        }
        return false
    }

    private mutating func startDocument(_ mark: yaml_mark_t) {
        let reserve = marks.count
        marks = []
        marks.reserveCapacity(reserve)
        rearranged = [:]
        anchors = [:]
        aliasExpansion = 0
        root = nil
        documentStartIndex = Int(mark.index)
        documentStart = location(mark)
    }

    private mutating func endDocument() {
        let value = root ?? .null
        if marks.isEmpty { marks.append(NodeMark(line: UInt32(documentStart.line), column: UInt32(documentStart.column), end: 1, target: -1)) }
        let map = SourceMap(file: file, marks: marks, rearranged: rearranged, root: 0, value: value)
        documents.append(YAMLDocument(value: value, sourceMap: map, start: documentStart, index: documentCount))
        documentCount += 1
        root = nil
    }

    private mutating func scalar(_ event: borrowing yaml_event_t) throws(YAMLError) {
        let s = event.data.scalar
        let bytes = UnsafeBufferPointer(start: s.value, count: s.length)
        let mark = appendMark(event.start_mark)
        try checkDocumentSize(event.end_mark, at: mark)
        let tag = s.tag.map { ScalarTag(UnsafeBufferPointer(start: $0, count: strlen($0))) }
        let plain = s.plain_implicit != 0
        if let top = frames.indices.last, frames[top].isMap, case .expectingKey = frames[top].keyState {
            try scalarKey(bytes, tag: tag, plain: plain, anchor: s.anchor, mark: mark)
            return
        }
        let value = try scalarValue(bytes, tag: tag, plain: plain, mark: mark)
        if let anchor = s.anchor { anchors[String(cString: anchor)] = Anchor(value: value, mark: mark, size: 1) }
        try add(value, mark: mark, size: 1)
    }

    private func resolved(_ bytes: UnsafeBufferPointer<UInt8>, tag: ScalarTag?, plain: Bool, mark: Int32) throws(YAMLError) -> Resolved {
        guard let tag else { return plain ? ScalarResolver.resolvePlain(bytes) : .string }
        do {
            return try ScalarResolver.resolve(tag: tag, bytes)
        } catch {
            throw self.error(error.message, at: mark)
        }
    }

    private func scalarValue(_ bytes: UnsafeBufferPointer<UInt8>, tag: ScalarTag?, plain: Bool, mark: Int32) throws(YAMLError) -> Value {
        if tag == .binary { return .string(try decodeBinary(bytes, mark: mark)) }
        let r = try resolved(bytes, tag: tag, plain: plain, mark: mark)
        do {
            return try ScalarConversions.value(r, text: { String(decoding: bytes, as: UTF8.self) }, typing: options.typing)
        } catch {
            throw self.error(error, at: mark)
        }
    }

    private func decodeBinary(_ bytes: UnsafeBufferPointer<UInt8>, mark: Int32) throws(YAMLError) -> String {
        guard let data = Base64.decode(bytes) else { throw error("!!binary value contains invalid base64 data", at: mark) }
        return String(decoding: data, as: UTF8.self)
    }

    private mutating func scalarKey(
        _ bytes: UnsafeBufferPointer<UInt8>, tag: ScalarTag?, plain: Bool, anchor: UnsafeMutablePointer<UInt8>?, mark: Int32
    ) throws(YAMLError) {
        let top = frames.count - 1
        // go-yaml: a merge key is a plain `<<` (or one tagged `!!merge`).
        if bytes.count == 2, bytes[0] == UInt8(ascii: "<"), bytes[1] == UInt8(ascii: "<"), plain || tag == .merge {
            if frames[top].mergeKeyMark >= 0, options.duplicateKeys == .error {
                throw error("mapping key \"<<\" already defined at line \(marks[Int(frames[top].mergeKeyMark)].line)", at: mark)
            }
            frames[top].mergeKeyMark = mark
            frames[top].keyState = .pendingMerge(mark: mark)
            frames[top].rearranged = true
            return
        }
        let key: String
        if tag == .binary {
            key = try decodeBinary(bytes, mark: mark)
        } else {
            let r = try resolved(bytes, tag: tag, plain: plain, mark: mark)
            do {
                key = try ScalarConversions.key(r, text: { String(decoding: bytes, as: UTF8.self) })
            } catch {
                throw self.error(error, at: mark)
            }
            if let anchor {
                let value = (try? ScalarConversions.value(r, text: { key }, typing: options.typing)) ?? .string(key)
                anchors[String(cString: anchor)] = Anchor(value: value, mark: mark, size: 1)
            }
        }
        frames[top].keyState = .pending(key, mark: mark)
        frames[top].size += 1
    }

    private mutating func alias(_ event: borrowing yaml_event_t) throws(YAMLError) {
        let name = String(cString: event.data.alias.anchor)
        let mark = appendMark(event.start_mark)
        guard let anchor = anchors[name] else { throw error("unknown anchor \"\(name)\" referenced", at: mark) }
        marks[Int(mark)].target = anchor.mark
        aliasExpansion += anchor.size
        if aliasExpansion > options.limits.maxAliasExpansion {
            throw error(
                "aliases expand to more than \(options.limits.maxAliasExpansion) nodes in this document (alias expansion limit); is this an alias bomb?",
                at: mark)
        }
        if let top = frames.indices.last, frames[top].isMap, case .expectingKey = frames[top].keyState {
            let key: String
            do {
                key = try ScalarConversions.key(of: anchor.value)
            } catch {
                throw self.error(error, at: mark)
            }
            frames[top].keyState = .pending(key, mark: mark)
            frames[top].size += 1
            return
        }
        if case .double(let d) = anchor.value, !d.isFinite {
            throw error("*\(name) is not a number JSON can carry (Kubernetes rejects .inf and .nan)", at: mark)
        }
        try add(anchor.value, mark: mark, size: anchor.size)
    }

    private mutating func open(isMap: Bool, anchor: UnsafeMutablePointer<UInt8>?, _ event: borrowing yaml_event_t) throws(YAMLError) {
        let mark = appendMark(event.start_mark)
        try checkDocumentSize(event.end_mark, at: mark)
        if let top = frames.indices.last, frames[top].isMap, case .expectingKey = frames[top].keyState {
            throw error("a \(isMap ? "map" : "list") cannot be a mapping key (JSON object keys are strings)", at: mark)
        }
        if frames.count >= options.limits.maxDepth {
            throw error("maps and lists nest deeper than \(options.limits.maxDepth) levels (nesting depth limit)", at: mark)
        }
        let name = anchor.map { String(cString: $0) }
        frames.append(Frame(isMap: isMap, mark: mark, start: entryKeyMarks.count, anchor: name))
    }

    private mutating func close() throws(YAMLError) {
        let frame = frames.removeLast()
        marks[Int(frame.mark)].end = Int32(marks.count)
        let value: Value
        if frame.isMap {
            value = .map(ObjectMap(uniqueEntries: frame.entries))
            if frame.rearranged { rearranged[frame.mark] = Array(entryKeyMarks[frame.start...]) }
            entryKeyMarks.removeSubrange(frame.start...)
        } else {
            value = .list(frame.items)
        }
        if let name = frame.anchor { anchors[name] = Anchor(value: value, mark: frame.mark, size: frame.size) }
        try add(value, mark: frame.mark, size: frame.size)
    }

    // MARK: - Adding children

    private mutating func add(_ value: Value, mark: Int32, size: Int) throws(YAMLError) {
        guard let top = frames.indices.last else {
            root = value
            return
        }
        frames[top].size += size
        if !frames[top].isMap {
            frames[top].items.append(value)
            return
        }
        switch frames[top].keyState {
        case .pending(let key, let keyMark):
            frames[top].keyState = .expectingKey
            try insert(key: key, keyMark: keyMark, value: value, fromMerge: false)
        case .pendingMerge(let mergeMark):
            frames[top].keyState = .expectingKey
            try merge(value, valueMark: mark, mergeMark: mergeMark)
        case .expectingKey:
            preconditionFailure("libyaml delivered a map value without a key")
        }
    }

    /// Adds or replaces one entry of the innermost map, applying the duplicate-key and merge rules.
    private mutating func insert(key: String, keyMark: Int32, value: Value, fromMerge: Bool) throws(YAMLError) {
        let top = frames.count - 1
        guard let existing = position(of: key) else {
            let position = frames[top].entries.count
            frames[top].entries.append(ObjectMap.Entry(key: key, value: value))
            entryKeyMarks.append(keyMark)
            if frames[top].keyIndex != nil {
                frames[top].keyIndex![key] = position
            } else if position >= 16 {
                var index: [String: Int] = [:]
                index.reserveCapacity(32)
                for (i, entry) in frames[top].entries.enumerated() { index[entry.key] = i }
                frames[top].keyIndex = index
            }
            if fromMerge { frames[top].merged.insert(position) }
            return
        }
        let wasMerged = frames[top].merged.contains(existing)
        let absolute = frames[top].start + existing  // in entryKeyMarks
        if fromMerge {
            // go-yaml v2 applies a merge in place: it overwrites keys written before the `<<`.
            if !wasMerged, options.duplicateKeys == .error {
                let line = marks[Int(entryKeyMarks[absolute])].line
                throw error(
                    "the merge overrides mapping key \"\(key)\" defined at line \(line); put `<<` before the keys that override merged ones",
                    at: frames[top].mergeKeyMark)
            }
            frames[top].merged.insert(existing)
        } else if wasMerged {
            frames[top].merged.remove(existing)  // an explicit key after the merge wins over the merged one
        } else if options.duplicateKeys == .error {
            let line = marks[Int(entryKeyMarks[absolute])].line
            throw error("mapping key \"\(key)\" already defined at line \(line)", at: keyMark)
        }
        frames[top].entries[existing].value = value
        entryKeyMarks[absolute] = keyMark
        frames[top].rearranged = true
    }

    private func position(of key: String) -> Int? {
        let top = frames.count - 1
        if frames[top].keyIndex != nil { return frames[top].keyIndex![key] }
        let count = frames[top].entries.count
        var i = 0
        while i < count {
            if frames[top].entries[i].key == key { return i }
            i += 1
        }
        return nil
    }

    /// Applies a `<<` value: a map, or a list of maps where earlier maps win (go-yaml v2 `merge`).
    private mutating func merge(_ value: Value, valueMark: Int32, mergeMark: Int32) throws(YAMLError) {
        let wantMap = "map merge requires map or sequence of maps as the value"
        var sources: [(map: ObjectMap, node: Int32)] = []
        switch value {
        case .map(let m):
            sources.append((m, follow(valueMark)))
        case .list(let items):
            var child = follow(valueMark) + 1
            for item in items {
                guard case .map(let m) = item else { throw error(wantMap, at: child) }
                sources.append((m, follow(child)))
                child = marks[Int(child)].end
            }
        default:
            throw error(wantMap, at: valueMark)
        }
        var seen = Set<String>()
        for (map, node) in sources {
            for (j, entry) in map.entries.enumerated() where seen.insert(entry.key).inserted {
                let keyMark = SourceMap.keyMark(ofEntry: j, inMap: node, marks: marks, rearranged: rearranged) ?? node
                try insert(key: entry.key, keyMark: keyMark, value: entry.value, fromMerge: true)
            }
        }
    }

    // MARK: - Marks, limits, errors

    private mutating func appendMark(_ m: yaml_mark_t) -> Int32 {
        let index = Int32(marks.count)
        marks.append(NodeMark(line: UInt32(m.line + 1), column: UInt32(m.column + 1), end: index + 1, target: -1))
        return index
    }

    private func follow(_ node: Int32) -> Int32 {
        var n = node
        while marks[Int(n)].target >= 0 { n = marks[Int(n)].target }
        return n
    }

    private func checkDocumentSize(_ end: yaml_mark_t, at mark: Int32) throws(YAMLError) {
        if Int(end.index) - documentStartIndex > options.limits.maxDocumentBytes {
            throw error(
                "document is larger than \(YAML.byteCount(options.limits.maxDocumentBytes)) (document size limit)", at: mark)
        }
    }

    private func location(_ m: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private func error(_ message: String, at mark: Int32) -> YAMLError {
        let m = marks[Int(mark)]
        return YAMLError(location: SourceLocation(file: file, line: Int(m.line), column: Int(m.column)), message: message)
    }

    private func error(_ problem: ScalarConversions.Problem, at mark: Int32) -> YAMLError {
        switch problem {
        case .notJSON(let m), .unsupportedKey(let m): error(m, at: mark)
        }
    }
}
