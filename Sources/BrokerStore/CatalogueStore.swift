public import BrokerCore
public import struct Foundation.Date

/// Everything TokenBroker keeps: the catalogue, append-only price history, policies,
/// tenants and hashed keys, credits, and the decision log.
///
/// Two implementations: ``SQLiteStore`` (the daemon's, GRDB over the system SQLite) and
/// ``InMemoryStore`` (tests and offline tools). Every write is one transaction: it
/// happens whole or not at all.
public protocol CatalogueStore: Sendable {
    /// Upserts providers, models, offers and policies, and appends a price version for every
    /// offer whose prices differ from the version in force (or that had none).
    func syncCatalogue(_ catalogue: Catalogue, at date: Date) throws -> SyncReport
    /// The catalogue with, for each offer, the price version in force at `date`.
    func catalogue(at date: Date) throws -> Catalogue
    /// Adds imported models, offers and dated versions (see ``PriceBatch``).
    func importPrices(_ batch: PriceBatch) throws -> ImportReport
    /// Appends one price version (`tokenbroker prices set`); false if identical to the one in force.
    func appendPriceVersion(_ version: PriceVersion, for offer: OfferID) throws -> Bool
    func priceHistory(_ filter: PriceHistoryFilter) throws -> [PriceHistoryEntry]

    func setCredit(_ credit: Credit) throws
    func credits() throws -> [Credit]

    /// Records an operator's mode for a provider (`disabled`, `draining`), or clears it (nil).
    func setProviderMode(_ provider: String, _ mode: String?, at date: Date) throws
    /// Every provider an operator took out of routing, with its mode.
    func providerModes() throws -> [String: String]

    func createKey(_ key: APIKeyRecord) throws
    func key(hash: String) throws -> APIKeyRecord?
    func keys() throws -> [APIKeyRecord]
    /// Marks a key revoked; false when no such key exists.
    func revokeKey(id: String, at date: Date) throws -> Bool

    func recordDecisions(_ records: [DecisionRecord]) throws
    func decisions(_ filter: DecisionFilter) throws -> [DecisionRecord]
    /// The provider of each stream's latest decision, so hysteresis survives a restart.
    func latestProviders() throws -> [String: String]
    /// What a tenant's decisions since `date` that chose an offer cost (`spend_nusd`: actual
    /// cost, else expected); a decision that chose none paid no provider.
    func spend(tenant: String, since date: Date) throws -> Money
}

/// A store operation that failed, with what it was doing.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}
