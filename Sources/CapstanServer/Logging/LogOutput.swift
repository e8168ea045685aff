import Foundation
import Synchronization

/// Where finished log lines go. Each line is written whole with its newline, under one process-wide lock,
/// so lines from concurrent tasks never interleave.
public struct LogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// An output calling `writeLine` with each line (without its newline); tests collect lines this way.
    public init(_ writeLine: @escaping @Sendable (String) -> Void) { self.writeLine = writeLine }

    func write(_ line: String) { writeLine(line) }

    /// Standard error, the daemon's default (standard output stays free for command results).
    public static let standardError = LogOutput { FileDescriptorWriter.write($0, to: STDERR_FILENO) }

    /// Standard output.
    public static let standardOutput = LogOutput { FileDescriptorWriter.write($0, to: STDOUT_FILENO) }
}

/// Whole-line writes to a file descriptor.
enum FileDescriptorWriter {
    private static let lock = Mutex(())

    static func write(_ line: String, to fd: Int32) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return }  // a closed or full descriptor drops the line; logging must not fail
                    offset += n
                }
            }
        }
    }
}
