import CGit2
import Foundation

/// A libgit2 remote being used by the worker for one operation, with the callback state libgit2 reaches through
/// its payload pointer. Lives only inside the worker process.
final class RemoteSession {
    let repository: GitRepository
    let request: WorkerRequest
    let state: CallbackState
    private let remote: OpaquePointer

    init(repository: GitRepository, request: WorkerRequest, output: WorkerOutput?) throws {
        self.repository = repository
        self.request = request
        self.state = CallbackState(request: request, output: output)
        var out: OpaquePointer?
        try git(git_remote_create_anonymous(&out, repository.pointer, request.url), "set up remote")
        remote = out!
    }

    deinit {
        git_remote_disconnect(remote)
        git_remote_free(remote)
    }

    /// Connects for fetching and returns the advertised refs (`git ls-remote`), peeled tags folded in.
    func listRefs() throws -> [AdvertisedRef] {
        var callbacks = makeCallbacks()
        var proxy = makeProxyOptions()
        try git(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nil), "connect")
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try git(git_remote_ls(&heads, &count, remote), "list refs")
        var refs: [AdvertisedRef] = []
        var peeled: [String: String] = [:]
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let namePointer = head.name else { continue }
            let name = String(cString: namePointer)
            if name.hasSuffix("^{}") {
                peeled[String(name.dropLast(3))] = head.oid.hex
                continue
            }
            refs.append(AdvertisedRef(name: name, id: head.oid.hex, peeled: nil,
                                      symrefTarget: head.symref_target.map { String(cString: $0) }))
        }
        for index in refs.indices { refs[index].peeled = peeled[refs[index].name] }
        return refs
    }

    /// Fetches `refspecs` over the connection `listRefs` opened (or a new one), updating the mirror's refs.
    func fetch(_ refspecs: [String]) throws {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.callbacks = makeCallbacks()
        options.proxy_opts = makeProxyOptions()
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        try withStringArray(refspecs) { array in
            _ = try git(git_remote_fetch(remote, &array, &options, "capstan: fetch"), "fetch")
        }
    }

    /// Pushes `refspec` (never forced); returns libgit2's code so the caller can tell non-fast-forward apart.
    func push(_ refspec: String) throws -> Int32 {
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        options.callbacks = makeCallbacks()
        options.proxy_opts = makeProxyOptions()
        options.pb_parallelism = 1
        return withStringArray([refspec]) { array in git_remote_push(remote, &array, &options) }
    }

    private func makeCallbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = credentialsCallback
        callbacks.certificate_check = certificateCallback
        callbacks.transfer_progress = progressCallback
        callbacks.push_update_reference = pushStatusCallback
        callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        return callbacks
    }

    private func makeProxyOptions() -> git_proxy_options {
        var proxy = git_proxy_options()
        git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
        switch request.proxy {
        case .automatic: proxy.type = GIT_PROXY_AUTO
        case .none: proxy.type = GIT_PROXY_NONE
        case .url:
            proxy.type = GIT_PROXY_SPECIFIED
            proxy.url = UnsafePointer(state.proxyURL)
        }
        proxy.certificate_check = certificateCallback
        proxy.payload = Unmanaged.passUnretained(state).toOpaque()
        return proxy
    }
}

/// Builds a `git_strarray` whose strings live for the duration of `body`.
private func withStringArray<R>(_ strings: [String], _ body: (inout git_strarray) throws -> R) rethrows -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    var items = pointers
    return try items.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}

/// What the callbacks of one operation know and record. libgit2 calls them on the thread running the
/// operation; the session keeps this object alive for that whole time.
final class CallbackState {
    let request: WorkerRequest
    let output: WorkerOutput?
    /// The proxy URL as a C string owned here (libgit2 keeps only the pointer).
    let proxyURL: UnsafeMutablePointer<CChar>?

    /// Calls per credential type; each type is offered once, then the callback gives up.
    var credentialOffers: [UInt32: Int] = [:]
    var credentialCalls = 0
    /// Set when the credential callback returned GIT_EAUTH, with the reason to report.
    var authFailure: String?
    /// The known_hosts verdict for an SSH host key, once checked.
    var hostKeyVerdict: KnownHosts.Verdict?
    /// Set when a TLS certificate failed verification.
    var tlsRejected = false
    /// Status messages from `push_update_reference` (ref → message); absent means accepted.
    var pushStatuses: [String: String] = [:]
    var lastProgress: UInt64 = 0

    init(request: WorkerRequest, output: WorkerOutput?) {
        self.request = request
        self.output = output
        if case .url(let url) = request.proxy { proxyURL = strdup(url) } else { proxyURL = nil }
    }

    deinit { free(proxyURL) }

    static func from(_ payload: UnsafeMutableRawPointer?) -> CallbackState? {
        payload.map { Unmanaged<CallbackState>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// Offers each kind of credential at most once; a second request for the same kind means the server refused
/// it, so the callback returns GIT_EAUTH instead of looping (libgit2 asks again after every rejection).
private let credentialsCallback: git_credential_acquire_cb = { out, _, usernameFromURL, allowed, payload in
    guard let state = CallbackState.from(payload), let out else { return GIT_EAUTH.rawValue }
    let credentials = state.request.credentials
    state.credentialCalls += 1
    func giveUp(_ message: String) -> Int32 {
        state.authFailure = message
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
        return GIT_EAUTH.rawValue
    }
    if state.credentialCalls > 4 { return giveUp("authentication failed after several attempts") }
    let user = usernameFromURL.map { String(cString: $0) } ?? credentials.username ?? "git"
    func offer(_ kind: git_credential_t) -> Bool {
        let count = state.credentialOffers[kind.rawValue, default: 0]
        state.credentialOffers[kind.rawValue] = count + 1
        return count == 0
    }
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
        guard let key = credentials.sshPrivateKeyPath else {
            return giveUp("the server wants an SSH key for user '\(user)'; pass --ssh-key")
        }
        guard offer(GIT_CREDENTIAL_SSH_KEY) else { return giveUp("the server refused the SSH key \(key) for user '\(user)'") }
        return git_credential_ssh_key_new(out, user, credentials.sshPublicKeyPath, key, credentials.sshPassphrase)
    }
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
        guard offer(GIT_CREDENTIAL_USERNAME) else { return giveUp("the server refused user '\(user)'") }
        return git_credential_username_new(out, user)
    }
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
        guard let password = credentials.password else {
            return giveUp("the server requires authentication; pass --username with --password-file or --token-file (or CAPSTAN_GIT_TOKEN)")
        }
        guard offer(GIT_CREDENTIAL_USERPASS_PLAINTEXT) else {
            return giveUp("the server refused the password or token for user '\(credentials.username ?? user)'")
        }
        return git_credential_userpass_plaintext_new(out, credentials.username ?? user, password)
    }
    return giveUp("the server asks for an authentication method Capstan does not support (types \(allowed))")
}

/// SSH: strict known_hosts check of the raw host key. TLS: accept only what mbedTLS verified.
private let certificateCallback: git_transport_certificate_check_cb = { cert, valid, _, payload in
    guard let state = CallbackState.from(payload), let cert else { return GIT_ECERTIFICATE.rawValue }
    switch cert.pointee.cert_type {
    case GIT_CERT_HOSTKEY_LIBSSH2:
        let hostkey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let verdict: KnownHosts.Verdict
        if hostkey.type.rawValue & GIT_CERT_SSH_RAW.rawValue == 0 || hostkey.hostkey == nil {
            verdict = .mismatch("the SSH library did not provide the raw host key")
        } else {
            let blob = Array(UnsafeRawBufferPointer(start: hostkey.hostkey, count: hostkey.hostkey_len))
            verdict = state.checkHostKey(blob)
        }
        state.hostKeyVerdict = verdict
        switch verdict {
        case .trusted: return 0
        case .mismatch(let message), .unknown(let message):
            git_error_set_str(Int32(GIT_ERROR_SSH.rawValue), message)
            return GIT_ECERTIFICATE.rawValue
        }
    default:
        if valid != 0 { return 0 }
        state.tlsRejected = true
        // Keep libgit2's own message (it says why verification failed).
        return GIT_PASSTHROUGH.rawValue
    }
}

/// Forwards indexer progress to the supervising process, at most every 100 ms.
private let progressCallback: git_indexer_progress_cb = { stats, payload in
    guard let state = CallbackState.from(payload), let output = state.output, let stats else { return 0 }
    let now = DispatchTime.now().uptimeNanoseconds
    let done = stats.pointee.received_objects == stats.pointee.total_objects
    if now - state.lastProgress < 100_000_000 && !done { return 0 }
    state.lastProgress = now
    output.send(WorkerMessage(progress: TransferProgress(
        receivedObjects: Int(stats.pointee.received_objects), indexedObjects: Int(stats.pointee.indexed_objects),
        totalObjects: Int(stats.pointee.total_objects), receivedBytes: Int(stats.pointee.received_bytes))))
    return 0
}

/// Records the server's per-ref verdict; libgit2 reports hook rejections only here.
private let pushStatusCallback: git_push_update_reference_cb = { refname, status, payload in
    guard let state = CallbackState.from(payload), let refname else { return 0 }
    if let status { state.pushStatuses[String(cString: refname)] = String(cString: status) }
    return 0
}

extension CallbackState {
    /// Checks an SSH host key against the configured known_hosts file (default `~/.ssh/known_hosts`).
    func checkHostKey(_ blob: [UInt8]) -> KnownHosts.Verdict {
        let path = request.knownHostsPath ?? (NSHomeDirectory() + "/.ssh/known_hosts")
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unknown("no known_hosts file at \(path); pass --known-hosts with the server's host key")
        }
        let knownHosts = KnownHosts(parsing: String(decoding: data, as: UTF8.self))
        return knownHosts.check(host: request.host ?? "", port: request.port, key: blob)
    }
}
