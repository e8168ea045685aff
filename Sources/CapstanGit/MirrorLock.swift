import Foundation

/// An exclusive `flock` on a mirror, held by whoever writes to it (a worker fetching or pushing, the daemon
/// building a status commit), so two Capstan processes sharing a state directory never write at once.
/// The kernel drops the lock when its holder dies, so a killed worker never leaves the mirror locked.
final class MirrorLock {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Takes the lock of the mirror at `path`, waiting for it (used in the worker, whose deadline bounds the wait).
    static func acquire(mirror path: String) throws -> MirrorLock {
        let fd = try open(path)
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return MirrorLock(fd: fd)
    }

    /// Takes the lock without blocking a thread: retries every 20 ms until `deadline` (used by the daemon).
    static func acquire(mirror path: String, until deadline: ContinuousClock.Instant) async throws -> MirrorLock? {
        let fd = try open(path)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if ContinuousClock.now >= deadline {
                close(fd)
                return nil
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return MirrorLock(fd: fd)
    }

    private static func open(_ path: String) throws -> Int32 {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let fd = Foundation.open(path + "/capstan.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return fd
    }

    /// Removes lock and temporary files a killed writer left behind. Call only while holding the lock:
    /// every Capstan writer holds it, so any such file is stale.
    static func removeStaleFiles(mirror path: String) {
        let fm = FileManager.default
        for name in ["packed-refs.lock", "config.lock", "HEAD.lock", "shallow.lock"] {
            try? fm.removeItem(atPath: "\(path)/\(name)")
        }
        if let refs = fm.enumerator(atPath: "\(path)/refs") {
            for case let file as String in refs where file.hasSuffix(".lock") {
                try? fm.removeItem(atPath: "\(path)/refs/\(file)")
            }
        }
        // libgit2 indexes an incoming pack into `pack_git2_*` / `tmp_*` files and renames them when complete.
        for dir in ["\(path)/objects/pack", "\(path)/objects"] {
            for file in (try? fm.contentsOfDirectory(atPath: dir)) ?? []
            where file.hasPrefix("pack_git2_") || file.hasPrefix("tmp_") || file.hasPrefix("incoming_") {
                try? fm.removeItem(atPath: "\(dir)/\(file)")
            }
        }
    }
}
