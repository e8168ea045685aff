import CapstanFleet
import CGit2
import Foundation

/// The child-process side of every network operation (`capstan __git-worker`).
///
/// libgit2 1.5 has no network timeouts and a crash inside it would take the caller down, so the daemon never
/// runs its network code in-process: a `WorkerPool` keeps workers like this one running, sends each one request
/// line at a time on stdin, reads JSON lines from stdout, and kills the worker with SIGKILL at the deadline.
/// Results land in the mirror on disk. A worker serves requests until its stdin closes.
public enum GitWorker {
    /// Name of the hidden subcommand that runs the worker.
    public static let subcommand = "__git-worker"

    /// Serves request lines from stdin until end-of-file, writing each answer to stdout; returns the exit status.
    public static func runFromStandardIO() -> Int32 {
        // Die with the supervisor: a worker blocked in a socket read must not outlive the daemon.
        _ = cgit2_set_parent_death_signal(SIGKILL)
        if getppid() == 1 { return 1 }
        signal(SIGPIPE, SIG_IGN)
        let output = WorkerOutput()
        let settings = WorkerSettings()
        let decoder = JSONDecoder()
        while let line = readLine(strippingNewline: true) {
            if line.isEmpty { continue }
            guard let request = try? decoder.decode(WorkerRequest.self, from: Data(line.utf8)) else {
                output.send(WorkerMessage(result: .failed(WorkerFailure(reason: .unsupported, message: "the git worker could not read its request"))))
                return 2
            }
            output.send(WorkerMessage(accepted: true))
            output.send(WorkerMessage(result: perform(request, settings: settings, output: request.progress ? output : nil)))
        }
        return 0
    }

    /// Performs `request` in this process (the worker), turning every failure into a `WorkerFailure`.
    static func perform(_ request: WorkerRequest, settings: WorkerSettings, output: WorkerOutput?) -> WorkerResult {
        LibGit2.initialize()
        git_error_clear()
        var session: RemoteSession?
        do {
            // Process-wide libgit2 state is set for this request alone (the worker serves many).
            try settings.applyTrust(caBundlePath: request.caBundlePath, required: request.transport == .https)
            let home = request.transport == .ssh ? settings.sshHome(knownHosts: request.knownHostsPath) : nil
            defer { settings.restoreHome(home) }
            let repository = try GitRepository.openOrCreateBare(path: request.mirrorPath)
            let lock = try MirrorLock.acquire(mirror: request.mirrorPath)
            defer { withExtendedLifetime(lock) {} }
            MirrorLock.removeStaleFiles(mirror: request.mirrorPath)
            switch request.operation {
            case .sync:
                return .synced(try sync(request, repository: repository, output: output, session: &session))
            case .push:
                let remoteSession = try RemoteSession(repository: repository, request: request, output: output)
                session = remoteSession
                return .pushed(try push(request, session: remoteSession))
            }
        } catch let failure as WorkerFailure {
            return .failed(failure)
        } catch let error as LibGit2Error {
            return .failed(FailureClassifier.classify(error, state: session?.state, ref: request.ref ?? request.remoteRef,
                                                      secrets: request.credentials.secrets))
        } catch {
            return .failed(WorkerFailure(reason: .corrupt, message: "mirror \(request.mirrorPath): \(error)", ref: request.ref))
        }
    }

    private static func sync(_ request: WorkerRequest, repository: GitRepository, output: WorkerOutput?,
                             session: inout RemoteSession?) throws -> SyncOutcome {
        let selector: GitRef
        do { selector = try GitRef(parsing: request.ref) } catch let error as SourceError {
            throw WorkerFailure(reason: error.reason, message: error.message, ref: request.ref)
        }
        if case .commit(let id) = selector, let oid = git_oid(hex: id), repository.contains(oid) {
            return SyncOutcome(ref: "commit", commit: try repository.peelToCommit(oid).id.hex, fetched: false)
        }
        let remote = try RemoteSession(repository: repository, request: request, output: output)
        session = remote
        let advertised = try remote.listRefs()
        if case .commit(let id) = selector {
            try remote.fetch(["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"])
            guard let oid = git_oid(hex: id), repository.contains(oid) else {
                throw WorkerFailure(reason: .notFound, message: "commit \(id) is not on any branch or tag of the remote", ref: request.ref)
            }
            return SyncOutcome(ref: "commit", commit: try repository.peelToCommit(oid).id.hex, fetched: true)
        }
        guard let target = selector.resolve(in: advertised) else {
            if request.allowMissing, let name = selector.refName {
                repository.removeReference(name)
                return SyncOutcome(ref: name, commit: nil, fetched: false)
            }
            let branches = advertised.map(\.name).filter { $0.hasPrefix("refs/heads/") }.map { String($0.dropFirst(11)) }
            let hint = branches.isEmpty ? "the remote has no branches" : "branches: " + branches.prefix(10).joined(separator: ", ")
            throw WorkerFailure(reason: .notFound, message: "no ref matches \(selector) on the remote (\(hint))", ref: request.ref ?? "HEAD")
        }
        guard let wanted = git_oid(hex: target.id) else {
            throw WorkerFailure(reason: .corrupt, message: "the remote advertised a bad object id for \(target.name)", ref: target.name)
        }
        var fetched = false
        if repository.referenceTarget(target.name).map({ $0.isSame(as: wanted) }) != true {
            if repository.contains(wanted) {
                // Already here (a commit we pushed, or a ref moved back): just move the ref.
                try repository.setReference(target.name, to: wanted, message: "capstan: sync")
            } else {
                // `+`: follow force-pushed (rewritten) history.
                try remote.fetch(["+\(target.name):\(target.name)"])
                fetched = true
            }
        }
        guard let local = repository.referenceTarget(target.name) else {
            throw WorkerFailure(reason: .corrupt, message: "\(target.name) is missing from the mirror after the fetch", ref: target.name)
        }
        return SyncOutcome(ref: target.name, commit: try repository.peelToCommit(local).id.hex, fetched: fetched)
    }

    private static func push(_ request: WorkerRequest, session: RemoteSession) throws -> PushOutcome {
        guard let local = request.localRef, let remoteRef = request.remoteRef else {
            throw WorkerFailure(reason: .unsupported, message: "push request without refs", ref: nil)
        }
        let code = try session.push("\(local):\(remoteRef)")
        if code == GIT_ENONFASTFORWARD.rawValue {
            return .nonFastForward(LibGit2Error(code: code, operation: "push").message)
        }
        try git(code, "push")
        if let status = session.state.pushStatuses[remoteRef] {
            return .rejected(FailureClassifier.scrub(status, secrets: request.credentials.secrets))
        }
        return .pushed
    }
}

/// Writes the worker's JSON lines to stdout.
final class WorkerOutput {
    private let encoder = JSONEncoder()

    func send(_ message: WorkerMessage) {
        guard var data = try? encoder.encode(message) else { return }
        data.append(0x0A)
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}
