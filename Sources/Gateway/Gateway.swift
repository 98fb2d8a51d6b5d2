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
        if configuration.listen != self.configuration.listen || configuration.database != self.configuration.database {
            logger.warning("listen and db changes take effect after a restart")
        }
        reloadable.withLock { $0 = configuration }
    }

    func log(_ record: DecisionRecord) {
        decisionLog.record(record)
    }
}
