public import CapstanModel
import CYAML

/// The YAML codec: libyaml's event parser to `Value`s with a position for every node, typed as
/// Kubernetes reads manifests (YAML 1.1 via go-yaml v2 and sigs.k8s.io/yaml), and a deterministic
/// block-style emitter. See docs/yaml.md for the typing table, limits and emitter rules.
public enum YAML {
    /// Every document of a stream. `file` names the input in locations and errors.
    public static func parseStream(
        _ bytes: [UInt8], file: String, options: YAMLParseOptions = .kubernetes
    ) throws(YAMLError) -> [YAMLDocument] {
        try checkInputSize(bytes.count, file: file, options: options)
        if bytes.isEmpty { return [] }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> [YAMLDocument] in
            try parse(buffer, file: file, options: options)
        }
    }

    /// Every document of a stream held in a string.
    public static func parseStream(
        _ text: String, file: String, options: YAMLParseOptions = .kubernetes
    ) throws(YAMLError) -> [YAMLDocument] {
        try parseStream(Array(text.utf8), file: file, options: options)
    }

    /// The first document's value (null for an empty stream); later documents are not read. Used to
    /// re-parse template output, as CAPI does with sigs.k8s.io/yaml.
    public static func parseFirst(
        _ text: String, file: String = "<input>", options: YAMLParseOptions = .templateOutput
    ) throws(YAMLError) -> Value {
        let bytes = Array(text.utf8)
        try checkInputSize(bytes.count, file: file, options: options)
        if bytes.isEmpty { return .null }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(YAMLError) -> Value in
            try parse(buffer, file: file, options: options, firstOnly: true).first?.value ?? .null
        }
    }

    /// Parses a non-empty buffer.
    static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, file: String, options: YAMLParseOptions, firstOnly: Bool = false
    ) throws(YAMLError) -> [YAMLDocument] {
        let parser = LibYAMLParser(input: buffer)
        var builder = DocumentBuilder(file: file, options: options)
        var event = yaml_event_t()
        while true {
            if let failure = parser.next(&event) {
                throw syntaxError(failure, in: buffer, file: file)
            }
            let done: Bool
            do {
                done = try builder.handle(event)
            } catch {
                yaml_event_delete(&event)
                throw error
            }
            yaml_event_delete(&event)
            if done || (firstOnly && !builder.documents.isEmpty) { break }
        }
        return builder.documents
    }

    private static func checkInputSize(_ count: Int, file: String, options: YAMLParseOptions) throws(YAMLError) {
        if count > options.limits.maxInputBytes {
            throw YAMLError(
                location: SourceLocation(file: file, line: 1, column: 1),
                message: "input is \(count) bytes, larger than the limit of \(options.limits.maxInputBytes) bytes (\(byteCount(options.limits.maxInputBytes))); not parsed")
        }
    }

    /// `12.3 MiB`, `512 KiB`, `80 bytes`.
    static func byteCount(_ n: Int) -> String {
        if n >= 1 << 20 {
            let tenths = (n * 10 + (1 << 19)) >> 20
            return tenths % 10 == 0 ? "\(tenths / 10) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
        }
        if n >= 1 << 10 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }
}
