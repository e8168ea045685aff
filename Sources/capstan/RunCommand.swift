import ArgumentParser
import CapstanCluster
import CapstanFleet
import CapstanGit
import CapstanProviders
import CapstanReconciler
import CapstanServer
import CapstanStore
import Foundation
import Logging
import ServiceLifecycle

/// `capstan run`: the GitOps daemon. Wires the real parts around `FleetDaemon`: a libgit2 mirror of the fleet
/// repository (polled, or poked by webhooks), the embedded management cluster (SQLite store) with the embedded
/// controllers in real time, the HTTP server, and a Git status writer that commits reports back.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: keep the management cluster equal to the fleet in Git and commit status back.",
        discussion: """
            Polls the fleet repository (at once when a verified webhook arrives),
            loads, validates and renders the fleet, applies what changed to the
            embedded management cluster in --state-dir (SQLite store + embedded
            Cluster API controllers in real time), prunes safely, and commits
            status reports (STATUS.md, status/<ns>/<name>.yaml, drift/...) to a
            status branch (default capstan-status) or a directory of the source
            branch (--status-path).

            Settings, lowest first: the fleet's capstan.yaml (fleet settings
            only), --config FILE (a FleetConfig document, every setting), CAPSTAN_*
            environment variables, flags. Secrets come from files or the
            environment, never from flags or the repository: --webhook-secret-file
            or CAPSTAN_WEBHOOK_SECRET; --password-file, --token-file or
            CAPSTAN_GIT_PASSWORD, CAPSTAN_GIT_TOKEN.

            HTTP: /healthz, /readyz (200 after the first sync), /metrics
            (Prometheus), POST /webhook/github, /webhook/gitlab, /webhook/generic
            (enabled by a webhook secret; a bad signature is answered 401).
            SIGTERM or SIGINT: the step in flight finishes, the last status commit
            is made, exit 0. One daemon per state directory; a restart resumes
            from the last applied revision. See docs/reconciler.md.

            Examples:
              capstan run --repo https://git.example.com/fleet.git --ref main
              capstan run --repo git://git.internal/fleet.git --path fleet \\
                  --state-dir /var/lib/capstan --http-address :8080 \\
                  --webhook-secret-file /etc/capstan/webhook-secret
              capstan run --config /etc/capstan/capstan.yaml --log-format json
              CAPSTAN_REPO=file:///srv/fleet.git capstan run --poll-interval 10s
            """)

    @Option(help: ArgumentHelp("A FleetConfig file (capstan.yaml format) with the daemon's settings.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The fleet repository: a path, file://, git://, http(s):// or ssh:// URL ($CAPSTAN_REPO).", valueName: "url"))
    var repo: String?

    @Option(help: ArgumentHelp("Branch, tag:<name>, semver:<range>, commit:<id> or a full ref (default: the remote's default branch).", valueName: "ref"))
    var ref: String?

    @Option(help: ArgumentHelp("The fleet's directory inside the repository.", valueName: "dir"))
    var path: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("State directory: the embedded management cluster and the Git mirrors (default: $CAPSTAN_STATE_DIR, else .state).", valueName: "dir"))
    var stateDir: String?

    @Option(name: .customLong("poll-interval"), help: ArgumentHelp("Time between polls (default 60s, plus up to 10% jitter).", valueName: "duration"))
    var pollInterval: String?

    @Option(name: .customLong("status-branch"), help: ArgumentHelp("Commit status reports to this branch (default capstan-status).", valueName: "branch"))
    var statusBranch: String?

    @Option(name: .customLong("status-path"), help: ArgumentHelp("Commit status reports to this directory of the source branch instead.", valueName: "dir"))
    var statusPath: String?

    @Option(name: .customLong("status-interval"), help: ArgumentHelp("At most one status commit per interval (default 10s).", valueName: "duration"))
    var statusInterval: String?

    @Option(name: .customLong("cluster-budget"), help: ArgumentHelp("Approved Cluster deletions allowed per revision (default 1).", valueName: "n"))
    var clusterBudget: Int?

    @Option(name: .customLong("drift-interval"), help: ArgumentHelp("Compare the management cluster with the fleet this often (default: never; 0 switches it off).", valueName: "duration"))
    var driftInterval: String?

    @Option(name: .customLong("drift-mode"), help: "What the drift check does: report (default) or correct.")
    var driftMode: String?

    @Option(name: .customLong("http-address"), help: ArgumentHelp("Listen address: host:port, :port or [v6]:port (default 127.0.0.1:8080; port 0 picks one).", valueName: "address"))
    var httpAddress: String?

    @Option(name: .customLong("webhook-secret-file"), help: ArgumentHelp("File holding the webhook secret (else $CAPSTAN_WEBHOOK_SECRET; none: webhooks disabled).", valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: ArgumentHelp("Directory of admission policies applied on top of the fleet's own; repeatable.", valueName: "dir"))
    var policies: [String] = []

    @Option(name: .customLong("log-format"), help: "Log format: text or json (default: $CAPSTAN_LOG_FORMAT, else text).")
    var logFormat: String?

    @Option(name: .customLong("log-level"), help: "Log level: trace, debug, info, notice, warning, error, critical (default: $CAPSTAN_LOG_LEVEL, else info).")
    var logLevel: String?

    @OptionGroup var access: GitAccessOptions

    @Option(name: .customLong("crash-after-writes"), help: .hidden)
    var crashAfterWrites: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let format = LogFormat(rawValue: logFormat ?? environment["CAPSTAN_LOG_FORMAT"] ?? "text") else {
            throw ValidationError("unknown log format \"\(logFormat ?? "")\" (text or json)")
        }
        guard let level = CapstanLogging.level(named: logLevel ?? environment["CAPSTAN_LOG_LEVEL"] ?? "info") else {
            throw ValidationError("unknown log level \"\(logLevel ?? "")\"")
        }
        CapstanLogging.bootstrap(format: format, level: level)
        let logger = Logger(label: "capstan.run")

        let layers = try operatorLayers(environment)
        let settings = FleetConfigLayer.resolve(layers.map { ($0, .everything) })
        guard let repository = settings.source.repository else {
            throw ValidationError("no fleet repository: give --repo URL, CAPSTAN_REPO, or spec.source.repository in --config")
        }
        guard let address = HTTPServerConfiguration.parseAddress(settings.httpAddress) else {
            throw ValidationError("\(settings.httpAddress) is not a listen address (host:port, :port or [v6]:port)")
        }
        let stateDirectory = settings.management.stateDirectory ?? ".state"
        let source = try gitSource(repository: repository, settings: settings, stateDirectory: stateDirectory)

        let store: ClusterStore
        do {
            store = try await ClusterStore.open(stateDirectory: stateDirectory)
        } catch {
            throw ValidationErrorMessage("cannot open the state directory \(stateDirectory): \(error)")
        }
        defer { try? store.close() }

        let metrics = CapstanMetrics()
        MetricsBootstrap.bootstrap(metrics)
        let readiness = ReadinessGate()
        var afterWrite: (@Sendable (Int) -> Void)?
        if let limit = crashAfterWrites {
            // Testing aid: die like `kill -9` right after the Nth write to the management cluster.
            afterWrite = { n in if n >= limit { kill(getpid(), SIGKILL) } }
        }
        let policyObjects = try localPolicies()
        let reconciler = FleetReconciler(environment: ReconcilerEnvironment(
            source: source, cluster: store.cluster, operatorLayers: layers, localPolicies: policyObjects,
            displayPrefix: source.path.isEmpty ? "" : source.path + "/", clock: SystemClock(),
            metrics: DaemonMetrics(metrics: metrics), logger: Logger(label: "capstan.reconciler"),
            afterWrite: afterWrite))
        let publisher = StatusPublisher { target in try Self.statusWriter(target, source: source, stateDirectory: stateDirectory) }
        let daemon = FleetDaemon(reconciler: reconciler, publisher: publisher, cluster: store.cluster,
                                 logger: Logger(label: "capstan.daemon"), onFirstSync: { _ in readiness.markReady() })

        var providerConfig = ProviderConfiguration()
        providerConfig.nameSeed = UInt64.random(in: 1...UInt64.max)
        Self.applyLatencies(settings.management.provisioning, to: &providerConfig.simulation)
        let providers = EmbeddedProviders.manager(cluster: store.cluster, clock: SystemControllerClock(), configuration: providerConfig)

        let secret = try webhookSecret(environment)
        let watchedRef: String? = switch source.ref {
        case .branch(let name): "refs/heads/\(name)"
        case .reference(let name): name
        default: nil
        }
        let server = CapstanHTTPServer(
            configuration: HTTPServerConfiguration(host: address.host, port: address.port,
                                                   webhooks: WebhookConfiguration(secret: secret, watchedRef: watchedRef)),
            readiness: readiness, metrics: metrics,
            webhookSink: WebhookSink { request in daemon.requestPoll(reason: "webhook \(request.provider.rawValue)") },
            logger: Logger(label: "capstan.http"))

        logger.info("capstan run starting", metadata: [
            "repository": "\(source.remote)", "ref": "\(source.ref)", "path": "\(source.path)", "state_dir": "\(stateDirectory)",
            "status": "\(settings.status.target)", "http": "\(settings.httpAddress)", "webhooks": "\(secret == nil ? "disabled" : "enabled")",
        ])
        let announcer = PortAnnouncer(server: server, logger: logger)
        // Graceful shutdown runs in reverse order: the daemon finishes its step and last status commit first,
        // then the HTTP server stops, then the controllers.
        let services: [any Service] = [ProvidersService(manager: providers), server, announcer, DaemonService(daemon: daemon)]
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "capstan.lifecycle"))
        try await group.run()
        logger.info("capstan run stopped")
    }

    /// `--config FILE`, the environment and the flags, lowest first.
    func operatorLayers(_ environment: [String: String]) throws -> [FleetConfigLayer] {
        var layers: [FleetConfigLayer] = []
        if let config {
            let snapshot = FleetLoader(checkIdentity: false).load([FleetSource(tree: DirectoryTree(path: config), readsEveryFile: true) { _ in config }])
            let errors = snapshot.diagnostics.filter { $0.severity == .error }
            guard errors.isEmpty, let object = snapshot.objects.first(where: { $0.key.kind == Vocabulary.fleetConfigKind }) else {
                throw ValidationErrorMessage(errors.isEmpty ? "\(config): no FleetConfig document" : errors.map(\.description).joined(separator: "\n"))
            }
            let (layer, diagnostics) = FleetConfigLayer.parse(object)
            guard let layer else { throw ValidationErrorMessage(diagnostics.map(\.description).joined(separator: "\n")) }
            layers.append(layer)
        }
        let (fromEnvironment, problems) = FleetConfigLayer.fromEnvironment(environment)
        if !problems.isEmpty { throw ValidationErrorMessage(problems.joined(separator: "\n")) }
        layers.append(fromEnvironment)

        var flags = FleetConfigLayer()
        flags.repository = repo
        flags.ref = ref
        flags.path = path
        flags.stateDirectory = stateDir
        flags.pollInterval = try pollInterval.map { try Self.duration($0, flag: "--poll-interval", minimum: .milliseconds(100)) }
        if statusBranch != nil && statusPath != nil { throw ValidationError("give --status-branch or --status-path, not both") }
        if let statusBranch { flags.statusTarget = .branch(statusBranch) }
        if let statusPath { flags.statusTarget = .path(statusPath) }
        flags.statusInterval = try statusInterval.map { try Self.duration($0, flag: "--status-interval", minimum: .zero) }
        if let clusterBudget, clusterBudget < 0 { throw ValidationError("--cluster-budget must be 0 or more") }
        flags.clusterBudget = clusterBudget
        flags.driftInterval = try driftInterval.map { try Self.duration($0, flag: "--drift-interval", minimum: .zero) }
        if let driftMode {
            guard let mode = FleetConfig.DriftMode(rawValue: driftMode) else { throw ValidationError("--drift-mode is report or correct") }
            flags.driftMode = mode
        }
        flags.httpAddress = httpAddress
        layers.append(flags)
        return layers
    }

    static func duration(_ text: String, flag: String, minimum: Duration) throws -> Duration {
        guard let d = DurationText.parse(text), d >= minimum else {
            throw ValidationError("\(flag) \(text): expected a duration of at least \(DurationText.format(minimum)) such as 30s, 5m, 1h30m")
        }
        return d
    }

    /// The libgit2 source, with its mirror inside the state directory.
    func gitSource(repository: String, settings: FleetConfig, stateDirectory: String) throws -> GitFleetSource {
        let remote = try access.remote(url: repository)
        return try GitFleetSource(remote: remote, ref: try GitRef(parsing: settings.source.ref), path: settings.source.path ?? "",
                                  stateDirectory: stateDirectory)
    }

    /// The writer for a status target: a branch of its own, or a directory on the source branch.
    static func statusWriter(_ target: FleetConfig.StatusTarget, source: GitFleetSource, stateDirectory: String) throws -> any StatusWriter {
        switch target {
        case .branch(let branch):
            return try GitStatusWriter(remote: source.remote, stateDirectory: stateDirectory, branch: branch)
        case .path(let directory):
            var branch: String
            if case .branch(let name) = source.ref { branch = name } else { branch = source.lastGoodRevision?.ref ?? "" }
            if branch.hasPrefix("refs/heads/") { branch.removeFirst("refs/heads/".count) }
            guard !branch.isEmpty, !branch.hasPrefix("refs/"), branch != "commit" else {
                throw SourceError(.unsupported, source: source.remote.description, ref: branch,
                                  message: "status.path needs the source to follow a branch; use status.branch instead")
            }
            return try GitStatusWriter(remote: source.remote, stateDirectory: stateDirectory, branch: branch, directory: directory)
        }
    }

    /// The webhook secret from `--webhook-secret-file`, else `CAPSTAN_WEBHOOK_SECRET`; nil disables webhooks.
    func webhookSecret(_ environment: [String: String]) throws -> WebhookSecret? {
        if let webhookSecretFile {
            guard let text = try? String(contentsOfFile: webhookSecretFile, encoding: .utf8) else {
                throw ValidationErrorMessage("cannot read the webhook secret file \(webhookSecretFile)")
            }
            guard let secret = WebhookSecret(text) else { throw ValidationErrorMessage("the webhook secret file \(webhookSecretFile) is empty") }
            return secret
        }
        return environment["CAPSTAN_WEBHOOK_SECRET"].flatMap(WebhookSecret.init)
    }

    /// Policy objects from `--policies` directories (their `tests/` fixtures left out).
    func localPolicies() throws -> [FleetObject] {
        var out: [FleetObject] = []
        for dir in policies {
            let snapshot = FleetLoader(checkIdentity: false).load(tree: DirectoryTree(path: dir))
            let errors = snapshot.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty { throw ValidationErrorMessage(errors.map(\.description).joined(separator: "\n")) }
            out += snapshot.objects.filter { !$0.path.split(separator: "/").contains("tests") && !$0.path.hasSuffix("capstan-policy-test.yaml") }
        }
        return out
    }

    /// Maps `spec.management.provisioning` onto the simulated infrastructure's latencies.
    static func applyLatencies(_ latencies: [String: Duration], to simulation: inout SimulationConfiguration) {
        for (name, d) in latencies {
            switch name {
            case "cluster": simulation.clusterProvisioning = d
            case "machine": simulation.machineProvisioning = d
            case "node": simulation.nodeReady = d
            case "deprovision": simulation.deprovisioning = d
            case "inPlaceUpdate": simulation.inPlaceUpdate = d
            default: break
            }
        }
    }
}


/// The reconcile loop as a service: graceful shutdown lets the step in flight and the last status commit finish.
struct DaemonService: Service {
    let daemon: FleetDaemon
    func run() async throws {
        await withGracefulShutdownHandler { await daemon.run() } onGracefulShutdown: { daemon.stop() }
    }
}

/// The embedded controllers in real time, stopped at graceful shutdown.
struct ProvidersService: Service {
    let manager: ControllerManager
    func run() async throws {
        try await cancelWhenGracefulShutdown { try await manager.run() }
    }
}

/// Logs the HTTP port once bound (`listening port=...`; tests and `make run` read it with port 0), then waits.
struct PortAnnouncer: Service {
    let server: CapstanHTTPServer
    let logger: Logger
    func run() async throws {
        if let port = try? await server.boundPort() {
            logger.notice("listening", metadata: ["port": "\(port)"])
            FileHandle.standardOutput.write(Data("capstan: listening on port \(port)\n".utf8))
        }
        try? await gracefulShutdown()
    }
}

/// Records what the reconciler reports into the Prometheus registry `/metrics` serves.
struct DaemonMetrics: ReconcilerMetrics {
    let metrics: CapstanMetrics

    func syncFinished(duration: Duration, outcome: SyncOutcome) {
        metrics.recordSync(duration: duration, result: SyncResult(rawValue: outcome.metricLabel) ?? .stalled)
    }
    func appliedRevision(_ revision: Revision) { metrics.recordAppliedRevision(revision.description) }
    func applied(kind: String, count: Int) { metrics.recordApplied(kind: kind, count: count) }
    func pruned(kind: String, count: Int) { metrics.recordPruned(kind: kind, count: count) }
    func held(kind: String, count: Int) { metrics.recordHeld(kind: kind, count: count) }
    func renderErrors(count: Int) { metrics.recordRenderErrors(count: count) }
    func policyDenials(policy: String, count: Int) { metrics.recordPolicyDenials(policy: policy, count: count) }
    func drift(objects: Int, clusters: Int) { metrics.recordDrift(objects: objects, clusters: clusters) }
    func fetchError(_ reason: SourceFailureReason) {
        let mapped: FetchErrorReason = switch reason {
        case .network: .network
        case .timeout: .timeout
        case .authFailed: .auth
        case .unknownHost, .hostKeyMismatch: .tls
        case .notFound: .notFound
        default: .other
        }
        metrics.recordFetchError(mapped)
    }
}
