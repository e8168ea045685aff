import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process owns a state directory at a time: an exclusive `flock` on `<state>/cluster.lock`, held for
/// the life of this value, with the owner's PID written into the file for the error the next opener gets.
/// The kernel drops the lock when the process dies, even by `kill -9`.
final class StateDirectoryLock {
    private let fd: Int32

    /// Takes the lock or throws `StoreError.locked` naming the current owner.
    init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io("cannot open lock file \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            guard err == EWOULDBLOCK else { throw StoreError.io("cannot lock \(path): \(String(cString: strerror(err)))") }
            let owner = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            throw StoreError.locked(path: path, ownerPID: owner)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        self.fd = fd
    }

    deinit {
        // Unlock explicitly before closing: a child process forked by another thread and not yet exec'd holds
        // a reference to the same open file description, and a bare close() would leave the lock held until
        // that child execs (seen as "in use by <our own pid>" when a test reopens a store under load).
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Errors opening a state directory.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the state directory.
    case locked(path: String, ownerPID: Int32?)
    /// A read-only open found no database.
    case missing(path: String)
    /// A file-system or SQLite failure while opening.
    case io(String)

    public var description: String {
        switch self {
        case .locked(let path, let pid):
            let who = pid.map { "process \($0)" } ?? "another process"
            let dir = (path as NSString).deletingLastPathComponent
            return "state directory \(dir) is in use by \(who) (lock \(path)); stop that process or use another --state-dir"
        case .missing(let path):
            return "no embedded cluster at \(path); run `capstan run` to create one or pass --state-dir"
        case .io(let message):
            return message
        }
    }
}
