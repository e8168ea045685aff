import CapstanFleet
import CGit2
import Foundation
import Synchronization

/// Starts `capstan __git-worker`, feeds it a request, relays its progress, and enforces the deadline.
///
/// The supervision loop runs on its own thread (never on the Swift concurrency pool, which must not block):
/// it `poll`s the worker's stdout and stderr plus a wake-up pipe for cancellation, and sends SIGKILL when the
/// deadline passes or the calling task is cancelled. Every pipe is close-on-exec, so concurrent workers never
/// inherit each other's pipes (which would delay end-of-file).
enum WorkerProcess {
    /// How a worker run ended.
    struct Outcome: Sendable {
        var result: WorkerResult?
        var timedOut = false
        var cancelled = false
        var exitStatus: Int32 = 0
        var signal: Int32 = 0
        var stderr = ""
        /// Seconds from the worker's start to the SIGKILL, when it was killed.
        var killedAfter: Double?
    }

    /// Runs `request` in a worker started from `executable` and returns its result, or a failure that says why
    /// there is none (deadline, cancellation, crash). `seconds` bounds the whole run.
    static func run(executable: String, request: WorkerRequest, seconds: Double,
                    progress: (@Sendable (TransferProgress) -> Void)?) async -> WorkerResult {
        let control = WorkerControl()
        let payload: Data
        do { payload = try JSONEncoder().encode(request) } catch {
            return .failed(WorkerFailure(reason: .unsupported, message: "cannot encode the worker request: \(error)"))
        }
        let outcome: Outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: supervise(executable: executable, payload: payload, seconds: seconds,
                                                             control: control, progress: progress))
                }
                thread.name = "capstan-git-worker"
                thread.start()
            }
        } onCancel: {
            control.cancel()
        }
        if let result = outcome.result { return result }
        let ref = request.ref ?? request.remoteRef
        let stoppedAfter = outcome.killedAfter.map { String(format: " after %.2f s", $0) } ?? ""
        if outcome.timedOut {
            return .failed(WorkerFailure(reason: .timeout, message: "no answer within \(format(seconds)) s; the git worker was stopped\(stoppedAfter)", ref: ref))
        }
        if outcome.cancelled {
            return .failed(WorkerFailure(reason: .timeout, message: "cancelled; the git worker was stopped\(stoppedAfter)", ref: ref))
        }
        let tail = FailureClassifier.scrub(String(outcome.stderr.suffix(400)), secrets: request.credentials.secrets)
        let how = outcome.signal != 0 ? "crashed (signal \(outcome.signal))" : "exited with status \(outcome.exitStatus)"
        return .failed(WorkerFailure(reason: .network, message: "the git worker \(how) without a result\(tail.isEmpty ? "" : ": " + tail)", ref: ref))
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    /// The blocking part, on the supervision thread.
    private static func supervise(executable: String, payload: Data, seconds: Double, control: WorkerControl,
                                  progress: (@Sendable (TransferProgress) -> Void)?) -> Outcome {
        var outcome = Outcome()
        guard let stdinPipe = makePipe(), let stdoutPipe = makePipe(), let stderrPipe = makePipe(), let wakePipe = makePipe() else {
            outcome.stderr = "cannot create pipes: \(String(cString: strerror(errno)))"
            return outcome
        }
        control.setWakeFD(wakePipe.write)
        defer {
            control.setWakeFD(nil)
            close(wakePipe.read)
            close(wakePipe.write)
        }
        let pid = spawn(executable, stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        close(stdinPipe.read)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        guard let pid else {
            outcome.stderr = "cannot start \(executable): \(String(cString: strerror(errno)))"
            [stdinPipe.write, stdoutPipe.read, stderrPipe.read].forEach { close($0) }
            return outcome
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(max(seconds, 0) * 1e9)
        // A worker that dies before reading its request must not kill this process with SIGPIPE. SIGPIPE from a
        // write is sent to the writing thread; blocked here, it stays pending and dies with this thread.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        writeAll(stdinPipe.write, payload)  // the worker reads its whole request before anything else
        close(stdinPipe.write)

        var fds = [pollfd(fd: stdoutPipe.read, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stderrPipe.read, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
        var lineBuffer: [UInt8] = []
        var stderrBytes: [UInt8] = []
        var open = 2
        var killed = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        let decoder = JSONDecoder()
        while open > 0 {
            let now = DispatchTime.now().uptimeNanoseconds
            if !killed && now >= deadline {
                kill(pid, SIGKILL)
                killed = true
                outcome.killedAfter = Double(now - started) / 1e9
                outcome.timedOut = outcome.result == nil  // an answer that came in time still counts
            }
            let waitMs = killed ? 1000 : Int32(min((deadline - min(now, deadline)) / 1_000_000 + 1, 60_000))
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready < 0 && errno != EINTR { break }
            if fds[2].revents != 0 {
                if !killed {
                    kill(pid, SIGKILL)
                    killed = true
                    outcome.cancelled = true
                    outcome.killedAfter = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                }
                fds[2].fd = -1
            }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let n = read(fds[index].fd, &chunk, chunk.count)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    close(fds[index].fd)
                    fds[index].fd = -1
                    open -= 1
                    continue
                }
                if index == 1 {
                    if stderrBytes.count < 16384 { stderrBytes += chunk[0..<n] }
                    continue
                }
                lineBuffer += chunk[0..<n]
                while let newline = lineBuffer.firstIndex(of: 0x0A) {
                    let line = Data(lineBuffer[..<newline])
                    lineBuffer.removeSubrange(...newline)
                    guard let message = try? decoder.decode(WorkerMessage.self, from: line) else { continue }
                    if let p = message.progress { progress?(p) }
                    if let result = message.result { outcome.result = result }
                }
            }
            if killed && ready == 0 { break }  // killed and silent: stop waiting for end-of-file
        }
        for index in 0..<2 where fds[index].fd >= 0 { close(fds[index].fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f == 0 { outcome.exitStatus = (status >> 8) & 0xff } else { outcome.signal = status & 0x7f }
        outcome.stderr = String(decoding: stderrBytes, as: UTF8.self)
        if outcome.cancelled { outcome.result = nil }
        return outcome
    }

    private static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [0, 0]
        guard cgit2_pipe_cloexec(&fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    private static func writeAll(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    private static func spawn(_ executable: String, stdin: Int32, stdout: Int32, stderr: Int32) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
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

/// Lets a cancellation handler wake the supervision thread without racing the pipe's closing.
final class WorkerControl: Sendable {
    private let state = Mutex<(wakeFD: Int32?, cancelled: Bool)>((nil, false))

    func setWakeFD(_ fd: Int32?) {
        let cancelled = state.withLock { state in
            state.wakeFD = fd
            return state.cancelled
        }
        if cancelled, fd != nil { cancel() }
    }

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
