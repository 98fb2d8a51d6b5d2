public import BrokerStore
public import Foundation
public import Logging
import Synchronization

/// The running gateway's parts, shared by every request: configuration, routing state, the
/// upstream client, the key directory, the decision log and metrics.
public final class Gateway: Sendable {
    public let configuration: GatewayConfiguration
    public let state: BrokerState
    public let store: any CatalogueStore
    public let client: ProviderClient
    public let decisionLog: DecisionLogWriter
    public let keys: KeyDirectory
    public let logger: Logger
    let metrics = GatewayMetrics()
    /// Where the request path reads the store (an unknown key, a tenant's spend at the start
    /// of a period): requests run on the event loops, which must never wait on SQLite.
    let storeReads = BlockingExecutor(label: "tokenbroker.store-reads")
    public let startedAt: Date
    /// Client connections open now, for the drain's deadline at shutdown.
    let connections = OpenConnections()
    /// The parts a SIGHUP may change (providers directory, demo overlay, bootstrap keys);
    /// the listen address and the database need a restart.
    private let reloadable: Mutex<GatewayConfiguration>

    public init(
        configuration: GatewayConfiguration, state: BrokerState, store: any CatalogueStore, client: ProviderClient,
        decisionLog: DecisionLogWriter, keys: KeyDirectory, logger: Logger, startedAt: Date = Date()
    ) {
        self.configuration = configuration
        self.state = state
        self.store = store
        self.client = client
        self.decisionLog = decisionLog
        self.keys = keys
        self.logger = logger
        self.startedAt = startedAt
        self.reloadable = Mutex(configuration)
    }

    public var currentConfiguration: GatewayConfiguration { reloadable.withLock { $0 } }

    func setConfiguration(_ configuration: GatewayConfiguration) {
        let changed = Self.restartOnlyChanges(from: self.configuration, to: configuration)
        if !changed.isEmpty {
            logger.warning("reload: \(changed.joined(separator: ", ")) changed; they take effect after a restart")
        }
        reloadable.withLock { $0 = configuration }
    }

    /// The settings a reload cannot change (docs/daemon.md, SIGHUP) that differ.
    static func restartOnlyChanges(from old: GatewayConfiguration, to new: GatewayConfiguration) -> [String] {
        let checks: [(String, Bool)] = [
            ("listen", old.listen != new.listen), ("listen_backlog", old.listenBacklog != new.listenBacklog),
            ("idle_timeout_seconds", old.idleTimeoutSeconds != new.idleTimeoutSeconds),
            ("control_socket", old.controlSocketPath != new.controlSocketPath), ("control_group", old.controlGroup != new.controlGroup),
            ("control_allowed_uids", old.controlAllowedUIDs != new.controlAllowedUIDs),
            ("control_allowed_gids", old.controlAllowedGIDs != new.controlAllowedGIDs), ("db", old.database != new.database),
            ("upstream_connections_per_host", old.upstreamConnectionsPerHost != new.upstreamConnectionsPerHost),
            ("circuit_breaker", old.circuitBreaker != new.circuitBreaker),
            ("catalogue_refresh_seconds", old.catalogueRefreshSeconds != new.catalogueRefreshSeconds),
            ("drain_timeout_seconds", old.drainTimeoutSeconds != new.drainTimeoutSeconds), ("log_level", old.logLevel != new.logLevel),
            // Read by the request path from the configuration it started with.
            ("max_body_bytes", old.maxBodyBytes != new.maxBodyBytes), ("access_log", old.accessLog != new.accessLog),
            ("failover_candidates", old.failoverCandidates != new.failoverCandidates),
            ("request_timeout_seconds", old.requestTimeoutSeconds != new.requestTimeoutSeconds),
            ("connect_timeout_seconds", old.connectTimeoutSeconds != new.connectTimeoutSeconds),
        ]
        return checks.filter(\.1).map(\.0)
    }

    func log(_ record: DecisionRecord) {
        decisionLog.record(record)
    }
}
