import CYAML

/// A libyaml event parser over a byte buffer the caller keeps alive. Owns the `yaml_parser_t` and frees
/// it in `deinit`; lends events to a closure, deleting each one after the closure returns.
final class LibYAMLParser {
    /// The problem libyaml reported, with its position (0-based, as libyaml counts).
    struct Failure {
        var problem: String
        var context: String?
        /// Line and column of the problem (0-based), when libyaml gives a mark.
        var line: Int
        var column: Int
        /// The byte offset of a reader (encoding) error; the line and column are then computed by the caller.
        var readerOffset: Int?
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>

    /// Starts a parser over `input` (non-empty), which must outlive the parser.
    init(input: UnsafeBufferPointer<UInt8>) {
        precondition(input.baseAddress != nil, "libyaml needs a non-empty buffer")
        parser = .allocate(capacity: 1)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress!, input.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    /// Parses the next event into `event` (which the caller must delete); nil on success, else the failure.
    @inline(__always)
    func next(_ event: inout yaml_event_t) -> Failure? {
        if yaml_parser_parse(parser, &event) == 1 { return nil }
        return failure()
    }

    private func failure() -> Failure {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        let context = p.context.map { String(cString: $0) }
        if p.error == YAML_READER_ERROR {
            var problemText = problem
            if p.problem_value != -1 {
                let hex = String(p.problem_value, radix: 16, uppercase: true)
                problemText += " (byte 0x\(hex.count < 2 ? "0" + hex : hex))"
            }
            return Failure(problem: problemText, context: nil, line: 0, column: 0, readerOffset: Int(p.problem_offset))
        }
        let mark = p.problem_mark
        return Failure(problem: problem, context: context, line: Int(mark.line), column: Int(mark.column), readerOffset: nil)
    }
}
