import CapstanModel
import Logging

/// Turns one log record into one line (no trailing newline) in the chosen format. Newlines and other control
/// characters never reach the output raw, so every record stays on one line and a message cannot forge another.
struct LogLineEncoder: Sendable {
    let format: LogFormat

    func encode(time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        switch format {
        case .text: text(time: time, level: level, label: label, message: message, metadata: metadata)
        case .json: json(time: time, level: level, label: label, message: message, metadata: metadata)
        }
    }

    // MARK: text

    private func text(time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(time.rfc3339(milliseconds: false)) \(level.rawValue) \(label): \(escapeControls(message))"
        var pairs: [(String, String)] = []
        for key in metadata.keys.sorted() { flatten(key: key, value: metadata[key]!, into: &pairs) }
        for (key, value) in pairs { line += " \(logfmtKey(key))=\(logfmtValue(value))" }
        return line
    }

    /// Nested dictionaries become dotted keys (`cluster.name=a`); arrays print as `[a,b]`.
    private func flatten(key: String, value: Logger.MetadataValue, into pairs: inout [(String, String)]) {
        switch value {
        case .dictionary(let nested) where !nested.isEmpty:
            for sub in nested.keys.sorted() { flatten(key: "\(key).\(sub)", value: nested[sub]!, into: &pairs) }
        default:
            pairs.append((key, plain(value)))
        }
    }

    private func plain(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): "[" + items.map(plain).joined(separator: ",") + "]"
        case .dictionary(let d): "{" + d.keys.sorted().map { "\($0)=\(plain(d[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    private func logfmtKey(_ key: String) -> String {
        String(key.map { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline ? "_" : $0 })
    }

    /// Bare when unambiguous, else double-quoted with `\"`, `\\` and control characters escaped.
    private func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f
        }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out += escapeControls(String(scalar))
            }
        }
        return out + "\""
    }

    private func escapeControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: JSON

    private func json(time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var object = ObjectMap()
        object.append(key: "time", value: .string(time.rfc3339(milliseconds: true)))
        object.append(key: "level", value: .string(level.rawValue))
        object.append(key: "label", value: .string(label))
        object.append(key: "message", value: .string(message))
        object.append(key: "metadata", value: jsonValue(.dictionary(metadata)))
        return JSON.serialize(.map(object))
    }

    /// Metadata as JSON: strings stay strings (a `stringConvertible` prints its description), keys sorted.
    private func jsonValue(_ value: Logger.MetadataValue) -> Value {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let c): .string(c.description)
        case .array(let items): .list(items.map(jsonValue))
        case .dictionary(let d):
            .map(ObjectMap(d.keys.sorted().map { ($0, jsonValue(d[$0]!)) }))
        }
    }
}
