import Foundation
import Synchronization

/// The persistent `capstan __git-worker` processes of this process: one operation at a time per worker, as many
/// workers as operations run at once, idle ones kept for reuse.
///
/// Starting a worker costs about 20 ms of CPU (a large Swift executable); a poll with no change costs a few ms
/// once the worker is running. Every guarantee of the one-shot design stays: each operation has a deadline and
/// is cancellable, and on either the worker is SIGKILLed and never reused; a crash is reported and the next
/// operation starts a fresh worker. Credentials travel in each request and libgit2's process-wide settings are
/// applied per request inside the worker (`GitWorker`), so nothing carries over from one request to the next.
final class WorkerPool: Sendable {
    /// The pool every mirror uses unless a remote names another (tests do, to watch their own workers).
    static let shared = WorkerPool()

    /// Seconds an idle worker waits for its next operation before it is told to exit.
    let idleTimeout: Double
    /// Idle workers kept at most; a worker finishing an operation beyond that exits.
    let maxIdle: Int
    /// Requests one worker serves before it is replaced (bounds what a long-lived libgit2 process accumulates).
    let maxRequestsPerWorker: Int

    private let slots = Mutex<(idle: [WorkerSlot], all: [ObjectIdentifier: WorkerSlot])>(([], [:]))

    init(idleTimeout: Double = 60, maxIdle: Int = 4, maxRequestsPerWorker: Int = 1000) {
        self.idleTimeout = idleTimeout
        self.maxIdle = maxIdle
        self.maxRequestsPerWorker = maxRequestsPerWorker
    }

    /// Runs `request` on an idle worker for `executable` (or a new one) and returns its result, or a failure that
    /// says why there is none (deadline, cancellation, crash). `seconds` bounds the whole operation.
    func run(executable: String, request: WorkerRequest, seconds: Double,
             progress: (@Sendable (TransferProgress) -> Void)?) async -> WorkerResult {
        var line: Data
        do { line = try JSONEncoder().encode(request) } catch {
            return .failed(WorkerFailure(reason: .unsupported, message: "cannot encode the worker request: \(error)"))
        }
        line.append(0x0A)
        let control = WorkerControl()
        let started = DispatchTime.now().uptimeNanoseconds
        let outcome: WorkerOutcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let job = WorkerJob(line: line, seconds: seconds, started: started, control: control,
                                    progress: progress, continuation: continuation)
                guard let slot = checkout(executable: executable) else {
                    continuation.resume(returning: WorkerOutcome(stderr: "cannot create the worker's pipes: \(String(cString: strerror(errno)))"))
                    return
                }
                slot.submit(job)
            }
        } onCancel: {
            control.cancel()
        }
        return Self.result(of: outcome, request: request, seconds: seconds)
    }

    /// The processes of this pool's workers, busy or idle.
    var workerPIDs: [pid_t] { slots.withLock { $0.all.values.compactMap(\.pid) } }

    /// The worker slots alive (busy or idle); each has at most one process.
    var slotCount: Int { slots.withLock { $0.all.count } }

    /// Takes the most recently used idle slot for `executable`, or makes a new one.
    private func checkout(executable: String) -> WorkerSlot? {
        if let slot = slots.withLock({ state -> WorkerSlot? in
            guard let index = state.idle.lastIndex(where: { $0.executable == executable }) else { return nil }
            return state.idle.remove(at: index)
        }) {
            return slot
        }
        guard let slot = WorkerSlot(executable: executable, pool: self) else { return nil }
        slots.withLock { $0.all[ObjectIdentifier(slot)] = slot }
        return slot
    }

    /// Returns a slot after its operation; false when enough are idle already (the slot then ends).
    func checkin(_ slot: WorkerSlot) -> Bool {
        slots.withLock { state in
            guard state.idle.count < maxIdle else { return false }
            state.idle.append(slot)
            return true
        }
    }

    /// Takes an idle slot out of the pool for good (idle timeout); false when it was just checked out.
    func retire(_ slot: WorkerSlot) -> Bool {
        slots.withLock { state in
            guard let index = state.idle.firstIndex(where: { $0 === slot }) else { return false }
            state.idle.remove(at: index)
            return true
        }
    }

    /// Forgets a slot whose thread ended.
    func remove(_ slot: WorkerSlot) {
        slots.withLock { state in
            state.all[ObjectIdentifier(slot)] = nil
            state.idle.removeAll { $0 === slot }
        }
    }

    /// Turns a worker outcome into the operation's result.
    private static func result(of outcome: WorkerOutcome, request: WorkerRequest, seconds: Double) -> WorkerResult {
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
}
