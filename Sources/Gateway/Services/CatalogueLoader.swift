public import BrokerCore
public import BrokerStore
public import Foundation
import PriceFeeds

/// Builds routing snapshots: from the provider files (start and SIGHUP: validate, sync into
/// the store, read back with every stored price) or from the store alone (periodic refresh,
/// so future-dated prices and `prices set` take effect).
public struct CatalogueLoader: Sendable {
    public let store: any CatalogueStore
    public let environment: [String: String]

    public init(store: any CatalogueStore, environment: [String: String]) {
        self.store = store
        self.environment = environment
    }

    /// Loads and validates every provider file, and the configuration against them, first; a
    /// bad file throws before anything is written, so the store and the running catalogue stay
    /// as they were (a periodic refresh rebuilds from the store).
    public func load(configuration: GatewayConfiguration, at date: Date) throws -> (BrokerSnapshot, SyncReport) {
        let files = try ProviderCatalogueLoader.load(directory: URL(fileURLWithPath: configuration.providersDirectory))
        try configuration.checkAgainst(policies: files.policies.keys)
        let report = try store.syncCatalogue(files, at: date)
        return (try snapshot(configuration: configuration, at: date), report)
    }

    /// The catalogue as stored, at `date`.
    public func snapshot(configuration: GatewayConfiguration, at date: Date) throws -> BrokerSnapshot {
        BrokerSnapshot(
            catalogue: try store.catalogue(at: date), at: date, environment: environment,
            demoUpstream: configuration.demoUpstream, credits: try store.credits())
    }
}
