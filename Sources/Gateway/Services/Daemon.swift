import BrokerCore
import UnixSignals
public import BrokerStore
import CurlTransport
import Foundation
public import Logging
import NIOCore
public import Prometheus
public import ServiceLifecycle

/// `tokenbrokerd` assembled: every long-running part as a service in one group.
///
/// Start order: the decision log writer, the catalogue refresher (periodic + SIGHUP), the
/// control socket, the HTTP server; "listening" is announced once both servers accept. On SIGTERM/SIGINT the group stops them in reverse: the server stops accepting
/// and lets requests in flight finish (up to `drain_timeout_seconds`), then the refresher
/// stops, then the writer commits everything still buffered.
public struct Daemon: Sendable {
    public let gateway: Gateway
    public let serviceGroup: ServiceGroup
    /// Held for the life of the process: a second daemon on the same state refuses to start.
    public let lock: StateLock
    let transport: CurlTransport

    /// Builds everything and fails fast — lock held elsewhere, unreadable database, bad
    /// provider file — before a port is bound.
    /// - Parameters:
    ///   - reloadConfiguration: reads the configuration again on SIGHUP.
    ///   - onListening: called with the bound address (the real port when 0 was asked for).
    public static func make(
        configuration: GatewayConfiguration, environment: [String: String], registry: PrometheusCollectorRegistry?,
        logger: Logger, reloadConfiguration: @escaping @Sendable () throws -> GatewayConfiguration,
        onListening: @escaping @Sendable (String) -> Void
    ) throws -> Daemon {
        if let files = OpenFileLimit.raise() {
            let inFlight = OpenFileLimit.requestsInFlight(limit: files.after)
            if inFlight < 1_000 {
                logger.warning(
                    "open-file limit \(files.after) (hard limit \(files.hard)) allows only about \(inFlight) requests in flight; raise the hard limit (LimitNOFILE= in the systemd unit, ulimit -Hn)")
            } else if files.after != files.before {
                logger.info("open-file limit raised from \(files.before) to \(files.after) (about \(inFlight) requests in flight)")
            }
        }
        // Checked before the database is created or anything written (as the loader's other checks).
        _ = try configuration.controlGroupID()
        let lock = try StateLock(path: configuration.database + ".lock")
        let store = try SQLiteStore(path: configuration.database)
        let loader = CatalogueLoader(store: store, environment: environment)
        let now = Date()
        let (snapshot, report) = try loader.load(configuration: configuration, at: now)
        let keys = KeyDirectory(store: store)
        let created = try keys.bootstrap(configuration.bootstrapKeys, at: now)
        logger.notice(
            "catalogue: \(snapshot.catalogue.providers.count) providers, \(snapshot.callableOfferCount) offers, \(snapshot.catalogue.policies.count) policies; \(report.priceVersionsAppended) price versions appended; \(created) bootstrap keys created")
        for (provider, reason) in snapshot.unavailable.sorted(by: { $0.key < $1.key }) {
            logger.warning("provider \(provider) is out of routing: \(reason)")
        }
        let demo = snapshot.upstreams.values.filter(\.isDemo).map(\.provider).sorted()
        if !demo.isEmpty, let upstream = configuration.demoUpstream {
            logger.notice("demo overlay: \(demo.count) providers without credentials are served by \(upstream)")
        }
        let state = BrokerState(
            snapshot: snapshot, lastProviders: try store.latestProviders(), breakerPolicy: configuration.circuitBreaker)
        let transport = try CurlTransport(configuration: .init(maxConnectionsPerHost: configuration.upstreamConnectionsPerHost))
        let writer = DecisionLogWriter(store: store)
        let gateway = Gateway(
            configuration: configuration, state: state, store: store, client: ProviderClient(transport: transport),
            decisionLog: writer, keys: keys, logger: logger, startedAt: now)
        let modes = ProviderModes(stored: try store.providerModes())
        for (provider, mode) in modes.all.sorted(by: { $0.key < $1.key }) {
            state.setDisabled(provider, true)
            logger.notice("provider \(provider) stays \(mode.rawValue), as an operator left it (tokenbroker providers enable \(provider))")
        }
        let catalogueService = CatalogueService(gateway: gateway, loader: loader, reloadConfiguration: reloadConfiguration)
        let announcement = ListeningAnnouncement(onListening)
        let app = buildGatewayApplication(gateway: gateway, registry: registry, logger: logger) { channel in
            announcement.gatewayBound(Self.describe(channel.localAddress) ?? configuration.listen.description)
        }
        let routes = ControlRoutes(
            gateway: gateway, store: store, loader: loader, catalogueService: catalogueService, modes: modes,
            socketPath: configuration.controlSocketPath, listenAddress: { announcement.address ?? configuration.listen.description })
        let control = try ControlServer.make(routes: routes, configuration: configuration, logger: logger) {
            announcement.controlBound()
        }
        var group = ServiceGroupConfiguration(
            services: [
                .init(service: DecisionLogService(writer: writer), serviceName: "decision-log"),
                .init(service: catalogueService, serviceName: "catalogue"),
                .init(service: control, serviceName: "control"),
                .init(
                    service: DrainingService(
                        server: app, connections: gateway.connections, drain: .milliseconds(Int64(configuration.drainTimeoutSeconds * 1000)),
                        logger: logger),
                    serviceName: "http"),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A last resort: the HTTP service stops its own requests when the drain runs out
        // (`DrainingService`), and answering them and flushing the log take well under this.
        group.maximumGracefulShutdownDuration = .milliseconds(Int64(configuration.drainTimeoutSeconds * 1000) + 10_000)
        return Daemon(gateway: gateway, serviceGroup: ServiceGroup(configuration: group), lock: lock, transport: transport)
    }

    public func run() async throws {
        defer { transport.shutdown() }
        do {
            try await serviceGroup.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigurationError(
                field: "listen",
                message: "\(gateway.configuration.listen) is already in use by another process; choose another with --listen HOST:PORT")
        }
    }

    static func describe(_ address: SocketAddress?) -> String? {
        guard let address, let port = address.port else { return nil }
        let host = address.ipAddress ?? "127.0.0.1"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
