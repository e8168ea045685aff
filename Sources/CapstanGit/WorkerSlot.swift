import CGit2
import Foundation
import Synchronization

/// One operation handed to a `WorkerSlot`: the encoded request, its deadline, and where the answer goes.
struct WorkerJob: Sendable {
    /// The request as one JSON line (newline included).
    var line: Data
    /// Seconds the operation may take, counted from `started`.
    var seconds: Double
    var started: UInt64
    var control: WorkerControl
    var progress: (@Sendable (TransferProgress) -> Void)?
    var continuation: CheckedContinuation<WorkerOutcome, Never>

    var deadline: UInt64 { started + UInt64(max(seconds, 0) * 1e9) }
    func elapsed(at now: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Double { Double(now - started) / 1e9 }
}

/// How one operation on a worker ended.
struct WorkerOutcome: Sendable {
    var result: WorkerResult?
    var timedOut = false
    var cancelled = false
    var exitStatus: Int32 = 0
    var signal: Int32 = 0
    var stderr = ""
    /// Seconds from the operation's start to the SIGKILL, when the worker was killed.
    var killedAfter: Double?
    /// The worker process that served the operation.
    var pid: pid_t?
}

/// A persistent worker: a dedicated thread that owns at most one `capstan __git-worker` process at a time,
/// sends it one request at a time, and supervises each one (deadline, cancellation, crash).
///
/// The thread is never a Swift concurrency thread (it blocks in `poll`). Between operations it watches the idle
/// worker: a worker that dies while idle is reaped at once, and the next operation starts a fresh one; after
/// `WorkerPool.idleTimeout` without work the slot closes the worker's stdin, reaps it and ends.
final class WorkerSlot: Sendable {
    let executable: String
    private let pool: WorkerPool
    private let wake: (read: Int32, write: Int32)
    private let state = Mutex<(job: WorkerJob?, pid: pid_t?)>((nil, nil))

    /// A slot with its thread started, or nil when the wake pipe cannot be created.
    init?(executable: String, pool: WorkerPool) {
        var fds: [Int32] = [0, 0]
        guard cgit2_pipe_cloexec(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        self.executable = executable
        self.pool = pool
        self.wake = (fds[0], fds[1])
        let thread = Thread { [self] in self.main() }
        thread.name = "capstan-git-worker"
        thread.start()
    }

    /// The worker process currently alive in this slot, if any.
    var pid: pid_t? { state.withLock { $0.pid } }

    /// Hands `job` to the slot's thread. Only the caller that checked the slot out of the pool may call this.
    func submit(_ job: WorkerJob) {
        state.withLock { $0.job = job }
        poke()
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func takeJob() -> WorkerJob? {
        state.withLock { state in
            defer { state.job = nil }
            return state.job
        }
    }

    private func publish(_ child: WorkerChild?) { state.withLock { $0.pid = child?.pid } }

    private func drainWake() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &scratch, scratch.count) > 0 {}
    }

    // MARK: - The slot's thread

    private func main() {
        // A worker that dies before reading its request must not kill this process with SIGPIPE: a write's
        // SIGPIPE goes to the writing thread; blocked here, the write fails with EPIPE instead.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)

        var child: WorkerChild?
        var idleSince = DispatchTime.now().uptimeNanoseconds
        while true {
            if let job = takeJob() {
                var outcome = serve(job, &child)
                if let worker = child, worker.requests >= pool.maxRequestsPerWorker {
                    worker.stop()  // bound whatever a long-lived libgit2 process accumulates
                    child = nil
                }
                publish(child)
                idleSince = DispatchTime.now().uptimeNanoseconds
                let keep = pool.checkin(self)
                if !keep {
                    child?.stop()
                    child = nil
                    publish(nil)
                }
                outcome.pid = outcome.pid ?? child?.pid
                job.continuation.resume(returning: outcome)
                if keep { continue } else { break }
            }
            let idleEnd = idleSince + UInt64(pool.idleTimeout * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            var waitMs: Int32
            if now >= idleEnd {
                if pool.retire(self) {
                    child?.stop()
                    publish(nil)
                    break
                }
                waitMs = 50  // checked out a moment ago: its job is about to arrive
            } else {
                waitMs = Int32(min((idleEnd - now) / 1_000_000 + 1, 60_000))
            }
            var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: child?.output ?? -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: child?.errors ?? -1, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready <= 0 { continue }
            if fds[0].revents != 0 { drainWake() }
            if let worker = child, fds[1].revents != 0 || fds[2].revents != 0, !watchIdle(worker, fds) {
                worker.reap()  // died between operations (killed, crashed): the next operation starts a fresh one
                child = nil
                publish(nil)
            }
        }
        close(wake.read)
        close(wake.write)
        pool.remove(self)
    }

    /// Reads what an idle worker wrote (nothing is expected); false once its stdout reached end-of-file.
    private func watchIdle(_ worker: WorkerChild, _ fds: [pollfd]) -> Bool {
        var scratch = [UInt8](repeating: 0, count: 4096)
        for (index, fd) in [(2, worker.errors), (1, worker.output)] where fd >= 0 && fds[index].revents != 0 {
            let n = read(fd, &scratch, scratch.count)
            if n > 0 || (n < 0 && errno == EINTR) { continue }
            close(fd)
            if index == 1 { worker.output = -1 } else { worker.errors = -1 }
        }
        return worker.output >= 0
    }

    /// Runs `job` on the live worker, or on a fresh one when there is none. A reused worker that turns out
    /// to be gone before it acknowledged the request is replaced once, transparently, within the same deadline.
    private func serve(_ job: WorkerJob, _ child: inout WorkerChild?) -> WorkerOutcome {
        if job.control.attach(wake.write) {
            return WorkerOutcome(cancelled: true)
        }
        defer { _ = job.control.attach(nil) }
        var replaced = false
        while true {
            var fresh = false
            if let worker = child, !worker.isRunning {
                worker.reap()
                child = nil
            }
            if child == nil {
                switch WorkerChild.spawn(executable) {
                case .success(let worker): child = worker
                case .failure(let error): return WorkerOutcome(stderr: error.message)
                }
                fresh = true
                publish(child)
            }
            let worker = child!
            worker.requests += 1
            var supervision = WorkerSupervision(job: job, worker: worker, wake: wake.read)
            let sent = worker.send(job.line)
            let outcome = sent ? supervision.run() : supervision.finishDead()
            if outcome.result != nil { return outcome }  // the worker lives on for the next operation
            child = nil  // killed or dead: never reused
            if !fresh && !replaced && !supervision.accepted && !outcome.timedOut && !outcome.cancelled {
                replaced = true
                continue
            }
            return outcome
        }
    }
}

/// Waits for the answer to one request: relays progress, enforces the deadline and cancellation, and collects
/// stderr for a crash report. Runs on the slot's thread.
struct WorkerSupervision {
    let job: WorkerJob
    let worker: WorkerChild
    let wake: Int32
    /// Whether the worker acknowledged the request (it then owns the outcome, crash included).
    private(set) var accepted = false
    private var outcome = WorkerOutcome()
    private var stderrBytes: [UInt8] = []

    init(job: WorkerJob, worker: WorkerChild, wake: Int32) {
        self.job = job
        self.worker = worker
        self.wake = wake
        outcome.pid = worker.pid
    }

    /// Supervises until a result arrives (the worker stays alive) or the worker is gone (killed or died).
    mutating func run() -> WorkerOutcome {
        var killed = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        let decoder = JSONDecoder()
        while worker.output >= 0 || worker.errors >= 0 {
            let now = DispatchTime.now().uptimeNanoseconds
            if !killed && now >= job.deadline {
                kill(worker.pid, SIGKILL)
                killed = true
                outcome.timedOut = true
                outcome.killedAfter = job.elapsed(at: now)
            }
            let waitMs = killed ? 1000 : Int32(min((job.deadline - min(now, job.deadline)) / 1_000_000 + 1, 60_000))
            var fds = [pollfd(fd: worker.output, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: worker.errors, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: killed ? -1 : wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), waitMs)
            if ready < 0 && errno != EINTR { break }
            if fds[2].revents != 0 {
                var scratch = [UInt8](repeating: 0, count: 64)
                while read(wake, &scratch, scratch.count) > 0 {}
                if job.control.isCancelled {
                    kill(worker.pid, SIGKILL)
                    killed = true
                    outcome.cancelled = true
                    outcome.killedAfter = job.elapsed()
                }
            }
            if fds[1].revents != 0 && worker.errors >= 0 {
                let n = read(worker.errors, &chunk, chunk.count)
                if n > 0 {
                    if stderrBytes.count < 16384 { stderrBytes += chunk[0..<n] }
                } else if !(n < 0 && errno == EINTR) {
                    close(worker.errors)
                    worker.errors = -1
                }
            }
            if fds[0].revents != 0 && worker.output >= 0 {
                let n = read(worker.output, &chunk, chunk.count)
                if n > 0 {
                    worker.lineBuffer += chunk[0..<n]
                    while let newline = worker.lineBuffer.firstIndex(of: 0x0A) {
                        let line = Data(worker.lineBuffer[..<newline])
                        worker.lineBuffer.removeSubrange(...newline)
                        guard let message = try? decoder.decode(WorkerMessage.self, from: line) else { continue }
                        if message.accepted == true { accepted = true }
                        if let p = message.progress { job.progress?(p) }
                        if let result = message.result, !killed {
                            outcome.result = result
                            return outcome
                        }
                    }
                } else if !(n < 0 && errno == EINTR) {
                    close(worker.output)
                    worker.output = -1
                }
            }
            if killed && ready == 0 { break }  // killed and silent: stop waiting for end-of-file
        }
        return finishDead()
    }

    /// The worker is gone or going (killed, crashed, or its stdin was closed): reap it and say how it ended.
    mutating func finishDead() -> WorkerOutcome {
        if worker.isRunning { kill(worker.pid, SIGKILL) }
        let (exitStatus, signal) = worker.reap()
        outcome.exitStatus = exitStatus
        outcome.signal = signal
        outcome.stderr = String(decoding: stderrBytes, as: UTF8.self)
        outcome.result = nil
        return outcome
    }
}
