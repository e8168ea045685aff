import CapstanModel

extension YAML {
    /// A libyaml failure as a located, one-line error. Reader (encoding) errors carry a byte offset, which
    /// is turned into a line and column here; a tab where a token may start gets a plainer message.
    static func syntaxError(_ failure: LibYAMLParser.Failure, in buffer: UnsafeBufferPointer<UInt8>, file: String) -> YAMLError {
        var line = failure.line + 1
        var column = failure.column + 1
        if let offset = failure.readerOffset {
            (line, column) = lineAndColumn(ofByte: min(offset, buffer.count), in: buffer)
        }
        var message = failure.problem
        if let context = failure.context { message += " (\(context))" }
        if failure.readerOffset == nil, failure.problem.hasPrefix("found character that cannot start any token"),
            byte(atLine: line, column: column, in: buffer) == UInt8(ascii: "\t")
        {
            message = "found a tab character where a token or indentation is expected; YAML does not allow tabs for indentation"
        }
        return YAMLError(location: SourceLocation(file: file, line: line, column: column), message: message)
    }

    /// 1-based line and column (in characters) of a byte offset.
    static func lineAndColumn(ofByte offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<offset where buffer[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<offset where buffer[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// The byte at a 1-based line and character column, if any.
    private static func byte(atLine line: Int, column: Int, in buffer: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var currentLine = 1
        var i = 0
        while currentLine < line, i < buffer.count {
            if buffer[i] == UInt8(ascii: "\n") { currentLine += 1 }
            i += 1
        }
        var characters = 1
        while i < buffer.count, characters < column {
            i += 1
            while i < buffer.count, buffer[i] & 0xC0 == 0x80 { i += 1 }
            characters += 1
        }
        return i < buffer.count ? buffer[i] : nil
    }
}
