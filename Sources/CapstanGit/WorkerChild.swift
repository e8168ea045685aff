import CGit2
import Foundation
import Synchronization

/// One running `capstan __git-worker` process and the parent's ends of its pipes.
///
/// Owned by the thread of one `WorkerSlot`, which spawned it: `PR_SET_PDEATHSIG` fires when the *spawning
/// thread* ends, so that thread stays alive for as long as the process does. Not Sendable: it never leaves
/// that thread.
final class WorkerChild {
    let pid: pid_t
    /// Write end of the worker's stdin (-1 once closed: the worker then exits at end-of-file).
    private(set) var input: Int32
    /// Read ends of the worker's stdout and stderr (-1 once at end-of-file).
    var output: Int32
    var errors: Int32
    /// Bytes of stdout not yet ending in a newline.
    var lineBuffer: [UInt8] = []
    /// Requests sent to this process so far.
    var requests = 0
    /// The wait status, once reaped.
    private(set) var status: Int32?

    private init(pid: pid_t, input: Int32, output: Int32, errors: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
        self.errors = errors
    }

    deinit {
        for fd in [input, output, errors] where fd >= 0 { close(fd) }
    }

    /// Starts `executable __git-worker` with fresh close-on-exec pipes; the error says why not.
    static func spawn(_ executable: String) -> Result<WorkerChild, WorkerSpawnError> {
        guard let stdinPipe = makePipe() else { return .failure(.init("cannot create pipes: \(lastError())")) }
        guard let stdoutPipe = makePipe() else {
            [stdinPipe.read, stdinPipe.write].forEach { close($0) }
            return .failure(.init("cannot create pipes: \(lastError())"))
        }
        guard let stderrPipe = makePipe() else {
            [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write].forEach { close($0) }
            return .failure(.init("cannot create pipes: \(lastError())"))
        }
        let pid = spawnProcess(executable, stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        let reason = pid == nil ? lastError() : ""
        [stdinPipe.read, stdoutPipe.write, stderrPipe.write].forEach { close($0) }
        guard let pid else {
            [stdinPipe.write, stdoutPipe.read, stderrPipe.read].forEach { close($0) }
            return .failure(.init("cannot start \(executable): \(reason)"))
        }
        return .success(WorkerChild(pid: pid, input: stdinPipe.write, output: stdoutPipe.read, errors: stderrPipe.read))
    }

    /// Sends one request line; false when the worker is gone (its stdin is closed: EPIPE).
    func send(_ line: Data) -> Bool {
        guard input >= 0 else { return false }
        return line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(input, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Closes the worker's stdin: an idle worker exits at end-of-file.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Whether the process has not exited yet (reaps it, without blocking, when it has).
    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        let rc = waitpid(pid, &raw, WNOHANG)
        if rc == pid { status = raw }
        return rc == 0
    }

    /// Waits for the process to end (after SIGKILL or end-of-file) and returns (exit status, signal).
    @discardableResult
    func reap() -> (exitStatus: Int32, signal: Int32) {
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 {
                if errno != EINTR { raw = 0; break }
            }
            status = raw
        }
        let raw = status ?? 0
        return raw & 0x7f == 0 ? ((raw >> 8) & 0xff, 0) : (0, raw & 0x7f)
    }

    /// Ends an idle worker: end-of-file on stdin, up to `grace` seconds to exit, then SIGKILL; always reaps.
    func stop(grace: Double = 2) {
        closeInput()
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(grace * 1e9)
        var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
        var scratch = [UInt8](repeating: 0, count: 4096)
        while output >= 0 {
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { break }
            let ready = poll(&fds, 1, Int32((deadline - now) / 1_000_000 + 1))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break }
            if read(output, &scratch, scratch.count) <= 0 { break }  // end-of-file: it exited
        }
        if isRunning { kill(pid, SIGKILL) }
        reap()
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    private static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [0, 0]
        guard cgit2_pipe_cloexec(&fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    private static func spawnProcess(_ executable: String, stdin: Int32, stdout: Int32, stderr: Int32) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        _ = cgit2_spawn_add_closefrom(&actions, 3)  // nothing else of this process leaks into the worker
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup(GitWorker.subcommand), nil]
        var environment: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { key, value in strdup("\(key)=\(value)") }
        environment.append(nil)
        defer {
            arguments.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, arguments, environment)
        if rc != 0 {
            errno = rc
            return nil
        }
        return pid
    }
}

/// Why a worker could not be started.
struct WorkerSpawnError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Lets a cancellation handler wake the thread serving the operation without racing the wake pipe's closing.
final class WorkerControl: Sendable {
    private let state = Mutex<(wakeFD: Int32?, cancelled: Bool)>((nil, false))

    /// Points cancellation at `fd` (nil detaches it); returns whether the operation was already cancelled.
    func attach(_ fd: Int32?) -> Bool {
        state.withLock { state in
            state.wakeFD = fd
            return state.cancelled
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let fd = state.wakeFD {
                var byte: UInt8 = 1
                _ = write(fd, &byte, 1)
            }
        }
    }
}
